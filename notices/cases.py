"""Cases: one debt (a tax form and its tax periods, per person) and the notices about it.

Pure rules, no I/O: which case a notice belongs to (the one rule, used when a notice is registered
and by the migration that grouped the notices saved before cases existed), which case is most
urgent, and a case's timeline (what was received, the stage now, what comes next, the deadlines met
or open, what the person did).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from notices import catalog
from notices.deadlines import ExpectedNotice
from notices.money import money
from notices.words import Words

INDIVIDUAL_FORM = "1040"
BUSINESS_FORM = "business"  # a business return (941, 1120...): the notice does not tell us which
# Debts an individual is billed for that are not their own income tax, so never the same case as a
# Form 1040 balance of the same year: the trust fund recovery penalty (IRC 6672, Letter 1153) and the
# employer shared responsibility payment (IRC 4980H, Letter 226-J and its bill CP220J).
_OWN_FORM = {"LTR1153": "6672", "LTR226J": "4980H", "CP220J": "4980H"}


def tax_form(code: str | None) -> str | None:
    """The return a notice's debt is on, as a key; None for a code not in the catalog (such a notice
    is never guessed into a case: it opens its own, and the person can move it)."""
    info = catalog.get(code) if code else None
    if info is None:
        return None
    return _OWN_FORM.get(info.code) or (INDIVIDUAL_FORM if info.audience == "individual" else BUSINESS_FORM)


@dataclass(frozen=True)
class Debt:
    """What makes two notices one case: the same tax form and overlapping tax periods."""

    form: str | None
    years: frozenset[int]

    @classmethod
    def of(cls, code: str | None, years: Iterable[int]) -> Debt:
        return cls(tax_form(code), frozenset(years))

    def same_as(self, other: Debt) -> bool:
        """Without a known form or any tax period nothing is the same debt (a case of its own)."""
        return self.form is not None and self.form == other.form and bool(self.years & other.years)


def case_debt(notices: Sequence[Debt]) -> Debt:
    """A case's debt from its notices (oldest first): the first known form, every tax period."""
    form = next((d.form for d in notices if d.form is not None), None)
    return Debt(form, frozenset().union(*(d.years for d in notices)))


def pick(debt: Debt, cases: Iterable[tuple[int, Debt]]) -> int | None:
    """The case a notice of ``debt`` joins: same form and overlapping tax periods; of several, the
    one sharing the most tax periods, then the one a notice joined last (``cases`` come from the
    least to the most recently joined). None: it opens a new case."""
    matches = [(len(debt.years & d.years), i, cid) for i, (cid, d) in enumerate(cases) if debt.same_as(d)]
    return max(matches)[2] if matches else None


def group(notices: Iterable[tuple[int, Debt]]) -> list[list[int]]:
    """Notices in the order they were saved, grouped exactly as registering them one after another
    would have grouped them (the migration that gave every saved notice its case)."""
    found: dict[int, tuple[Debt, list[int]]] = {}  # by the first notice's id, least recently joined first
    for notice_id, debt in notices:
        first = pick(debt, ((k, d) for k, (d, _) in found.items()))
        if first is None:
            found[notice_id] = (debt, [notice_id])
        else:
            known, ids = found.pop(first)
            found[first] = (case_debt([known, debt]), [*ids, notice_id])  # now the most recently joined
    return sorted((ids for _, ids in found.values()), key=lambda ids: ids[0])


# --- urgency ----------------------------------------------------------------------------------

# A hard deadline (a right is lost) counts as this many days earlier than it is, so it comes before
# a soft one (penalties, the next notice) less than a week before it.
HARD_LEAD = timedelta(days=6)


@dataclass(frozen=True)
class Due:
    day: date
    hard: bool


def urgency(dues: Iterable[Due], *, open_: bool = True) -> tuple[int, date, int, date]:
    """A case's sort key (smaller first) from its open deadlines: the soonest first, a hard deadline
    before a soft one of the same week; then open cases without a date; resolved cases last."""
    keys = [(0, d.day - HARD_LEAD if d.hard else d.day, 0 if d.hard else 1, d.day) for d in dues]
    return min(keys, default=(1 if open_ else 2, date.max, 1, date.max))


# --- the timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseNotice:
    """One notice of the case, as plain values (the caller derives them: ``notices.facts``)."""

    notice_id: int
    code: str
    notice_date: date | None
    received: date | None
    respond_by: date | None
    estimated: bool  # the respond-by date is an estimate or a safe assumption
    hard: bool
    counting: bool  # still counting: open, or disputed with a hard date
    resolved_on: date | None  # when it stopped counting (paid, plan, closed...)
    status: str
    expected: tuple[ExpectedNotice, ...] = ()

    @property
    def day(self) -> date | None:
        """The day it is dated (printed), else the day it came."""
        return self.notice_date or self.received


@dataclass(frozen=True)
class Logged:
    """Something the person did or recorded: call, letter, instrument (the right's own paper sent),
    plan (set up), payment, cant_pay, paid."""

    day: date
    kind: str
    notice_id: int  # the notice it was recorded on
    code: str
    detail: str = ""  # what was agreed, the tracking number, the monthly amount


def logged_text(x: Logged, tr: Words, detail: str, *, agreed: bool = True) -> str:
    """What was done, in words ("call to the IRS about CP14 — agreed: ..."), for the case view and the
    summary PDF. ``detail`` is ``x.detail`` as the caller may show it (escaped for the chat, redacted
    for a document); ``agreed``: whether what was agreed on a call may be shown."""
    _ = tr.gettext
    text = {
        "call": _("call to the IRS about {code}"),
        "letter": _("letter to the IRS about {code}"),
        "instrument": _("sent what keeps the right on {code}"),
        "plan": _("payment plan set up for {code}"),
        "payment": _("plan payment made ({code})"),
        "cant_pay": _("could not pay this month's plan payment ({code})"),
        "paid": _("{code} marked paid"),
    }[x.kind].format(code=x.code)
    if x.kind == "call" and detail and agreed:
        text += " — " + _("agreed: {what}").format(what=detail)
    elif x.kind == "instrument" and detail:
        text += " — " + _("tracking: {number}").format(number=detail)
    elif x.kind in ("plan", "payment") and x.detail:
        try:
            amount = money(Decimal(x.detail), lang=tr.language)
        except (InvalidOperation, ArithmeticError):
            return text  # a stored amount that is not a number: the sentence without it
        text += " — " + (_("{amount} a month") if x.kind == "plan" else "{amount}").format(amount=amount)
    return text


@dataclass(frozen=True)
class DeadlineState:
    code: str
    day: date
    hard: bool
    estimated: bool
    state: str  # met | open | missed


@dataclass(frozen=True)
class CaseTimeline:
    received: tuple[CaseNotice, ...]  # oldest first
    now: CaseNotice | None  # the notice the case is at: the furthest step received (then the latest)
    stage: catalog.NoticeInfo | None  # its catalog entry (stage name, title)
    next_expected: tuple[ExpectedNotice, ...]  # what follows it if nothing is done (none once it is settled)
    deadlines: tuple[DeadlineState, ...]  # by date
    logged: tuple[Logged, ...]  # by date
    resolved: bool  # nothing in the case is counting any more


def _stage(n: CaseNotice) -> int:
    info = catalog.get(n.code)
    return info.stage if info is not None else -1


def deadline_state(n: CaseNotice, logged: Sequence[Logged], today: date) -> DeadlineState | None:
    """Met: the right's own paper was sent, or the notice was settled (paid, plan, closed...), on or
    before the day; otherwise open until the day has passed, and missed after it."""
    if n.respond_by is None:
        return None
    sent = any(x.kind == "instrument" and x.notice_id == n.notice_id and x.day <= n.respond_by for x in logged)
    settled = not n.counting and n.resolved_on is not None and n.resolved_on <= n.respond_by
    state = "met" if sent or settled else "open" if n.counting and n.respond_by >= today else "missed"
    return DeadlineState(n.code, n.respond_by, n.hard, n.estimated, state)


def timeline(notices: Sequence[CaseNotice], logged: Iterable[Logged], today: date) -> CaseTimeline:
    """The case's story as of ``today`` (the person's date)."""
    done = tuple(sorted(logged, key=lambda x: x.day))
    received = tuple(sorted(notices, key=lambda n: (n.day or date.max, n.notice_id)))
    now = max(received, key=lambda n: (_stage(n), n.day or date.min, n.notice_id), default=None)
    states = [s for n in received if (s := deadline_state(n, done, today)) is not None]
    return CaseTimeline(
        received=received, now=now, stage=catalog.get(now.code) if now else None,
        next_expected=now.expected if now is not None and now.counting else (),
        deadlines=tuple(sorted(states, key=lambda s: s.day)), logged=done,
        resolved=not any(n.counting for n in received),
    )
