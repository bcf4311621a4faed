"""Respond-by dates: the printed date wins; otherwise notice date + window, rolled per IRC 7503."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import holidays

from notices import catalog

# Equivalent hearing after a missed CDP window: within one year of the notice (Form 12153).
EQUIVALENT_HEARING_YEARS = 1


@cache
def _legal_holidays(year: int) -> frozenset[date]:
    # IRC 7503 "legal holiday" includes District of Columbia holidays (Emancipation Day, Inauguration
    # Day), with their observed dates; holidays.US(subdiv="DC") carries both.
    return frozenset(holidays.US(subdiv="DC", years=year).keys())


def is_legal_holiday(d: date) -> bool:
    """True for a Saturday, Sunday, or federal/DC legal holiday (observed dates included)."""
    return d.weekday() >= 5 or d in _legal_holidays(d.year)


def roll_forward(d: date) -> date:
    """The first day on or after ``d`` that is not a Saturday, Sunday or legal holiday (IRC 7503)."""
    while is_legal_holiday(d):
        d += timedelta(days=1)
    return d


@dataclass(frozen=True)
class ExpectedNotice:
    """A notice expected if nothing is done; arrival window, not a deadline (so no roll)."""

    code: str
    earliest: date
    latest: date
    estimate: bool = False  # the catalog's window for this step is not confirmed by a source

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "estimate": self.estimate,
        }


@dataclass(frozen=True)
class Deadline:
    code: str
    notice_date: date | None
    respond_by: date | None
    window_days: int | None
    hard_deadline: bool
    rights: tuple[str, ...]
    stage: int | None
    stage_name: str | None
    estimate: bool
    from_printed_date: bool
    equivalent_hearing_until: date | None
    next: list[ExpectedNotice] = field(default_factory=list)
    known: bool = True
    abroad: bool = False
    pay_by: date | None = None  # math-error notices: the payment date, apart from respond_by
    business_days: int | None = None  # set when the window is business days ($100,000 or more)
    printed_ignored: bool = False  # a printed date later than the law allows was not used

    def to_json(self) -> dict:
        iso = _iso
        return {
            "code": self.code,
            "known": self.known,
            "notice_date": iso(self.notice_date),
            "respond_by": iso(self.respond_by),
            "window_days": self.window_days,
            "hard_deadline": self.hard_deadline,
            "rights": list(self.rights),
            "stage": self.stage,
            "stage_name": self.stage_name,
            "estimate": self.estimate,
            "from_printed_date": self.from_printed_date,
            "abroad": self.abroad,
            "pay_by": iso(self.pay_by),
            "business_days": self.business_days,
            "printed_ignored": self.printed_ignored,
            "equivalent_hearing_until": iso(self.equivalent_hearing_until),
            "next": [n.to_json() for n in self.next],
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # Feb 29 -> Feb 28
        return d.replace(year=d.year + years, day=28)


def add_business_days(d: date, days: int) -> date:
    """The ``days``-th business day after ``d`` (weekends and legal holidays skipped)."""
    while days > 0:
        d += timedelta(days=1)
        if not is_legal_holiday(d):
            days -= 1
    return d


def _large_balance(info: catalog.NoticeInfo, amount: Decimal | None) -> bool:
    return bool(info.large_balance_business_days and amount is not None
                and amount >= catalog.thresholds().short_term_plan)


def _window_date(info: catalog.NoticeInfo, notice_date: date, abroad: bool, amount: Decimal | None) -> date | None:
    """The last day the law gives, counted from the notice date (day 0), rolled per IRC 7503."""
    if info.large_balance_business_days and _large_balance(info, amount):
        # IRC 6601(e)(3) / 6651(a)(3): $100,000 or more is due within 10 business days of the demand
        return add_business_days(notice_date, info.large_balance_business_days)
    window = info.window_days_abroad if abroad and info.window_days_abroad else info.window_days
    if window is None:
        return None
    return roll_forward(notice_date + timedelta(days=window))


def respond_by(code: str, notice_date: date | None, printed_due: date | None = None,
               abroad: bool = False, amount: Decimal | None = None) -> tuple[date | None, bool]:
    """(respond-by date, estimate) without the rest of the Deadline; see ``compute``."""
    d = compute(code, notice_date, printed_due, abroad, amount=amount)
    return d.respond_by, d.estimate


def compute(
    code: str,
    notice_date: date | None,
    printed_due: date | None = None,
    abroad: bool = False,
    lang: str = "en",
    amount: Decimal | None = None,
) -> Deadline:
    """Deadline for a notice.

    * Otherwise notice date (day 0) + the catalog window, rolled forward past weekends and legal
      holidays; a notice of deficiency addressed outside the US gets its 150 days (``abroad`` is
      ignored for every other notice); a CP14 of $100,000 or more is due in 10 business days.
    * A printed respond-by date wins and is kept as printed (it is the IRS's own date), except on
      a hard notice that does not print its own last day: there the date the law gives from the
      notice date is never moved later by a printed (possibly misread) date.
    * Math-error notices (CP11/CP12/CP23) have two dates: ``pay_by`` (the printed date, else about
      21 days) and ``respond_by`` (the 60-day window to ask for the change to be reversed).
    * Expected next notices never arrive before this notice's own date to act by.
    * ``estimate`` is true when the window is unconfirmed or the code is not in the catalog.
    """
    if printed_due and notice_date and printed_due < notice_date:
        raise ValueError(f"the printed due date {printed_due} is before the notice date {notice_date}")
    info = catalog.get(code)
    canon = info.code if info else (catalog.canonical_code(code) or code.strip().upper())
    if info is None:
        return Deadline(
            code=canon, notice_date=notice_date, respond_by=printed_due, window_days=None,
            hard_deadline=False, rights=(), stage=None, stage_name=None, estimate=True,
            from_printed_date=printed_due is not None, equivalent_hearing_until=None,
            known=False, abroad=False,
        )
    abroad = abroad and info.stage_key == "deficiency"
    window = info.window_days_abroad if abroad and info.window_days_abroad else info.window_days
    by_law = _window_date(info, notice_date, abroad, amount) if notice_date is not None else None
    pay_by = None
    if info.pay_days is not None:  # the printed date on a math-error notice is the payment date
        pay_by = printed_due or (roll_forward(notice_date + timedelta(days=info.pay_days)) if notice_date else None)
        due, from_printed, estimate = by_law, False, not info.window_confirmed
    elif printed_due is not None and not (info.hard and not info.prints_last_day and by_law and printed_due > by_law):
        due, from_printed, estimate = printed_due, True, False
    else:
        due, from_printed, estimate = by_law, False, not info.window_confirmed

    expected = []
    if notice_date is not None:
        # a longer window (abroad) pushes what follows by the same number of days
        shift = timedelta(days=(window or 0) - (info.window_days or 0))
        floor = pay_by or due  # the next notice follows this one's own date, never comes before it
        for n in info.next:
            earliest = notice_date + timedelta(days=n.min_days) + shift
            latest = notice_date + timedelta(days=n.max_days) + shift
            if floor is not None and earliest <= floor:
                earliest = floor + timedelta(days=1)
                latest = max(latest, earliest)
            expected.append(ExpectedNotice(n.code, earliest, latest, n.estimate))
    return Deadline(
        code=info.code,
        notice_date=notice_date,
        respond_by=due,
        window_days=window,
        hard_deadline=info.hard,
        rights=info.rights.get(lang),
        stage=info.stage,
        stage_name=info.stage_name.get(lang),
        estimate=estimate,
        from_printed_date=from_printed,
        equivalent_hearing_until=(
            _add_years(notice_date, EQUIVALENT_HEARING_YEARS) if info.cdp and notice_date else None
        ),
        next=expected,
        abroad=abroad,
        pay_by=pay_by,
        printed_ignored=printed_due is not None and not from_printed and pay_by is None,
        business_days=info.large_balance_business_days if _large_balance(info, amount) else None,
    )
