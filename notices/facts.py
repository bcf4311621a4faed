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
    # printed_due_before_notice_date: the printed date was ignored as a misreading
    notes: tuple[str, ...]
    risk: risk.Risk | None
    expected: tuple[deadlines.ExpectedNotice, ...]
    missing: tuple[str, ...] = field(default=())  # names from ASK_ORDER, in that order
    deadline: deadlines.Deadline | None = None


def missing(code: str | None, notice_date: date | None, printed_due: date | None, amount: Decimal | None,
            tax_years: Collection[int], unknown: Collection[str] = ()) -> tuple[str, ...]:
    """What is still worth asking, in ``ASK_ORDER`` (the one missing-fields rule)."""
    info = catalog.get(code) if code else None
    needs = {
        "code": code is None,
        "notice_date": notice_date is None,
        # asked when our window is unconfirmed or there is none (CP71, CP163): the printed date counts
        "due_date": printed_due is None and code is not None
        and (info is None or not info.window_confirmed or info.window_days is None),
        "amount": amount is None and not (info and info.stage_key == "refund_hold"),
        "tax_years": not tax_years,
    }
    return tuple(name for name in ASK_ORDER if needs[name] and name not in unknown)


def derive(n: NoticeInput, today: date, lang: str = "en") -> Facts:
    """Every derived fact about ``n`` as of ``today`` (the person's calendar day)."""
    info = catalog.get(n.code) if n.code else None
    notes: list[str] = []
    if info is None:
        notes.append("unknown_code")
    notice_date = n.notice_date
    assumed = notice_date is None and n.printed_due is None and info is not None
    if assumed:
        notes.append("notice_date_assumed")
        notice_date = (n.received_date or today) - timedelta(days=ASSUMED_MAIL_DAYS)
    deadline = None
    respond_by = n.printed_due
    if n.code is not None:
        try:
            deadline = deadlines.compute(n.code, notice_date, n.printed_due, n.abroad, lang)
        except ValueError:  # a printed date before the notice date is a misreading: use the window
            notes.append("printed_due_before_notice_date")
            deadline = deadlines.compute(n.code, notice_date, None, n.abroad, lang)
        respond_by = deadline.respond_by
        if info is not None and deadline.estimate and not deadline.from_printed_date:
            notes.append("window_unconfirmed")
    estimated = respond_by is not None and (assumed or "window_unconfirmed" in notes)
    if n.confirmed_respond_by is not None and n.confirmed_respond_by != respond_by:
        respond_by, estimated = n.confirmed_respond_by, n.confirmed_estimated
    hard = bool(info and info.hard)
    assessed = None
    if n.status is not None and n.status in risk.STATUSES:
        assessed = risk.assess(n.code, respond_by, today, n.status, n.amount, hard if info else None)
    return Facts(
        info=info, respond_by=respond_by, estimated=estimated, hard=hard, notes=tuple(notes), risk=assessed,
        expected=tuple(deadline.next) if deadline is not None else (),
        missing=missing(n.code, n.notice_date, n.printed_due, n.amount, n.tax_years, n.unknown),
        deadline=deadline,
    )
