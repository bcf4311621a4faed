"""A notice's derived facts, worked out in one place: respond-by date, hard or not, estimate or not
and why, what is still missing, risk, and the notices expected next.

Everything that shows or plans from these facts (the draft card, the saved card, the reminder
planner, the calendar, ``noticebot parse``) calls ``derive``. The input is plain values
(``NoticeInput``), never a storage row, so the core stays free of I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from notices import catalog, deadlines, risk
from notices.catalog import NoticeInfo

# The order the bot asks for what is missing: the code decides the rules, the notice date starts
# the clock, a printed response date matters when our window is an estimate or unknown, then the
# amount (not for refund-hold letters) and the tax years.
ASK_ORDER = ("code", "notice_date", "due_date", "amount", "tax_years")

# Letters arrive about a week after the date printed on them (the assumption when it is unknown).
ASSUMED_MAIL_DAYS = 7
# For a hard notice, IRS mail can take much longer: with no notice date the latest safe assumption is
# three weeks before it arrived, shown as "at the latest" until the printed date is known.
ASSUMED_MAIL_DAYS_HARD = 21


@dataclass(frozen=True)
class NoticeInput:
    """What is known about one notice, as plain values (from a draft, a saved notice or argv)."""

    code: str | None
    notice_date: date | None = None
    printed_due: date | None = None  # the respond-by date printed on the notice
    received_date: date | None = None
    abroad: bool = False  # addressed outside the United States (deficiency notices only)
    amount: Decimal | None = None
    tax_years: tuple[int, ...] = ()
    status: str | None = "open"  # None: no risk wanted (the planner)
    # A respond-by date the person already confirmed (a saved notice): it wins over the rule.
    confirmed_respond_by: date | None = None
    confirmed_estimated: bool = False
    unknown: frozenset[str] = frozenset()  # fields the person answered "I don't know"


@dataclass(frozen=True)
class Facts:
    info: NoticeInfo | None
    respond_by: date | None
    estimated: bool
    hard: bool
    # why it is estimated: notice_date_assumed | window_unconfirmed | unknown_code;
    # at_the_latest: a safe (early) assumption for a hard date, until the printed date is known;
    # printed_due_before_notice_date / printed_due_after_law / stored_date_after_law: a date not used
    notes: tuple[str, ...]
    risk: risk.Risk | None
    expected: tuple[deadlines.ExpectedNotice, ...]
    missing: tuple[str, ...] = field(default=())  # names from ASK_ORDER, in that order
    deadline: deadlines.Deadline | None = None
    pay_by: date | None = None  # math-error notices: pay by this date; respond_by is the 60-day window
    asks_abroad: bool = False  # a notice of deficiency: "addressed outside the US?" is shown and editable
    abroad: bool = False  # the 150-day window is in use (asked, answered yes, deficiency notice)
    printed_controls: bool = False  # a hard notice: the date printed on it controls (say so)

    @property
    def at_the_latest(self) -> bool:
        return "at_the_latest" in self.notes


def missing(code: str | None, notice_date: date | None, printed_due: date | None, amount: Decimal | None,
            tax_years: Collection[int], unknown: Collection[str] = ()) -> tuple[str, ...]:
    """What is still worth asking, in ``ASK_ORDER`` (the one missing-fields rule)."""
    info = catalog.get(code) if code else None
    needs = {
        "code": code is None,
        "notice_date": notice_date is None,
        # asked when our window is unconfirmed or there is none (CP71, CP163), or when the notice
        # prints its own last day (Letter 3172, CP3219A): the printed date counts
        "due_date": printed_due is None and code is not None
        and (info is None or not info.window_confirmed or info.window_days is None or info.prints_last_day),
        "amount": amount is None and not (info and info.stage_key == "refund_hold"),
        "tax_years": not tax_years,
    }
    return tuple(name for name in ASK_ORDER if needs[name] and name not in unknown)


def before_saving(code: str | None, notice_date: date | None, tax_years: Collection[int],
                  unknown: Collection[str] = ()) -> tuple[str, ...]:
    """What is asked before a notice is saved, unless the person answered "I don't know": the notice
    date of a notice with a hard deadline (the day a right is lost counts from it), then the tax year
    (it ties the notice to the same debt's other letters)."""
    info = catalog.get(code) if code else None
    needs = {"notice_date": notice_date is None and bool(info and info.hard), "tax_years": not tax_years}
    return tuple(name for name in ("notice_date", "tax_years") if needs[name] and name not in unknown)


def derive(n: NoticeInput, today: date, lang: str = "en") -> Facts:
    """Every derived fact about ``n`` as of ``today`` (the person's calendar day).

    A hard date is never later than the law allows: with no notice date it comes from the latest
    safe assumption (received - 21 days, "at the latest"); "addressed outside the US" counts only
    on a notice of deficiency; a printed date can move a hard date later only where the notice
    prints its own last day (see ``deadlines.compute``).
    """
    info = catalog.get(n.code) if n.code else None
    hard = bool(info and info.hard)
    notes: list[str] = []
    if info is None:
        notes.append("unknown_code")
    notice_date = n.notice_date
    printed = n.printed_due
    # With no notice date, a hard notice has no firm date: the window is counted from the latest safe
    # assumption, and a printed date (other than a printed last day) may only make it earlier.
    assumed = notice_date is None and info is not None and (
        printed is None or bool(info.pay_days) or (hard and not info.prints_last_day))
    if assumed:
        notes.append("notice_date_assumed")
        notice_date = (n.received_date or today) - timedelta(days=ASSUMED_MAIL_DAYS_HARD if hard else ASSUMED_MAIL_DAYS)
    deadline = None
    respond_by = printed
    pay_by = None
    from_printed = False
    abroad = bool(n.abroad and info and info.stage_key == "deficiency")
    if n.code is not None:
        given = None if assumed else printed
        try:
            deadline = deadlines.compute(n.code, notice_date, given, abroad, lang, n.amount)
        except ValueError:  # a printed date before the notice date is a misreading: use the window
            notes.append("printed_due_before_notice_date")
            deadline = deadlines.compute(n.code, notice_date, None, abroad, lang, n.amount)
        respond_by, pay_by, from_printed = deadline.respond_by, deadline.pay_by, deadline.from_printed_date
        if assumed and printed is not None:
            if info is not None and info.pay_days:
                pay_by = printed
            elif respond_by is None or printed <= respond_by:
                respond_by, from_printed = printed, True
            else:
                notes.append("printed_due_after_law")
        if deadline.printed_ignored:
            notes.append("printed_due_after_law")
        if info is not None and deadline.estimate and not from_printed:
            notes.append("window_unconfirmed")
    if hard and respond_by is not None and not from_printed and (
        assumed or (info is not None and info.prints_last_day)
    ):
        notes.append("at_the_latest")
    estimated = respond_by is not None and not from_printed and (
        assumed or "window_unconfirmed" in notes or "at_the_latest" in notes)
    if n.confirmed_respond_by is not None and n.confirmed_respond_by != respond_by:
        # A stored date is one we derived earlier (a person edits the printed dates, not this one):
        # on a hard notice a later stored date (older rules, "abroad" read from words) is not used.
        if hard and respond_by is not None and n.confirmed_respond_by > respond_by:
            notes.append("stored_date_after_law")
        else:
            respond_by, estimated = n.confirmed_respond_by, n.confirmed_estimated
    assessed = None
    if n.status is not None and n.status in risk.STATUSES:
        assessed = risk.assess(n.code, respond_by, today, n.status, n.amount, hard if info else None)
    return Facts(
        info=info, respond_by=respond_by, estimated=estimated, hard=hard, notes=tuple(notes), risk=assessed,
        expected=tuple(deadline.next) if deadline is not None else (),
        missing=missing(n.code, n.notice_date, n.printed_due, n.amount, n.tax_years, n.unknown),
        deadline=deadline,
        pay_by=pay_by,
        asks_abroad=bool(info and info.stage_key == "deficiency"),
        abroad=abroad,
        printed_controls=hard,
    )
