"""Respond-by dates: the printed date wins; otherwise notice date + window, rolled per IRC 7503."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
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


def respond_by(code: str, notice_date: date | None, printed_due: date | None = None,
               abroad: bool = False) -> tuple[date | None, bool]:
    """(respond-by date, estimate) without the rest of the Deadline; see ``compute``."""
    if printed_due and notice_date and printed_due < notice_date:
        raise ValueError(f"the printed due date {printed_due} is before the notice date {notice_date}")
    info = catalog.get(code)
    if info is None:
        return printed_due, True
    if printed_due is not None:
        return printed_due, False
    window = info.window_days_abroad if abroad and info.window_days_abroad else info.window_days
    if notice_date is None or window is None:
        return None, not info.window_confirmed
    return roll_forward(notice_date + timedelta(days=window)), not info.window_confirmed


def compute(
    code: str,
    notice_date: date | None,
    printed_due: date | None = None,
    abroad: bool = False,
    lang: str = "en",
) -> Deadline:
    """Deadline for a notice.

    * A printed respond-by date always wins and is kept as printed (it is the IRS's own date).
    * Otherwise notice date (day 0) + the catalog window, rolled forward past weekends and legal
      holidays; CP3219A/N addressed outside the US get their abroad window (150 days).
    * ``estimate`` is true when the window is unconfirmed or the code is not in the catalog.
    * An unknown code gets a respond-by date only from the printed date.
    """
    due, estimate = respond_by(code, notice_date, printed_due, abroad)
    info = catalog.get(code)
    canon = info.code if info else (catalog.canonical_code(code) or code.strip().upper())
    if info is None:
        return Deadline(
            code=canon, notice_date=notice_date, respond_by=printed_due, window_days=None,
            hard_deadline=False, rights=(), stage=None, stage_name=None, estimate=True,
            from_printed_date=printed_due is not None, equivalent_hearing_until=None,
            known=False, abroad=abroad,
        )

    window = info.window_days_abroad if abroad and info.window_days_abroad else info.window_days

    expected = []
    if notice_date is not None:
        # a longer window (abroad) pushes what follows by the same number of days
        shift = timedelta(days=(window or 0) - (info.window_days or 0))
        expected = [
            ExpectedNotice(n.code, notice_date + timedelta(days=n.min_days) + shift,
                           notice_date + timedelta(days=n.max_days) + shift, n.estimate)
            for n in info.next
        ]
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
        from_printed_date=printed_due is not None,
        equivalent_hearing_until=(
            _add_years(notice_date, EQUIVALENT_HEARING_YEARS) if info.cdp and notice_date else None
        ),
        next=expected,
        abroad=abroad,
    )
