"""Cases (issue 16): the case a registered notice joins, moving a notice to another case, and what
the bot shows of cases (the list, most urgent first, and one case with its timeline).

The rule of which notices are one debt is ``notices.cases`` (pure); here it meets the database.
Every use case checks ownership through ``services.ownership`` (notice and case alike) and commits
once; a case left without notices is deleted in the same commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from notices import cases as rules
from notices import facts
from notices import plans as plan_rules
from notices.instruments import still_counting
from scheduler.facts import input_of
from scheduler.planner import local_today
from services.ownership import owned, owned_case, viewable_case
from services.people import local_date
from services.unit import Unit
from storage import cases as store
from storage import notices as notice_store
from storage.models import Case, Notice, NoticeEvent, NoticeStatus, PaymentPlan

MOVED = "moved"  # NoticeEvent.kind: {"from": case id, "to": case id}


async def join_or_open(u: Unit, user_id: int, code: str | None, tax_years: Iterable[int], now: datetime) -> Case:
    """The person's case of the same debt as a notice of ``code`` for ``tax_years``, or a new one
    (no commit: part of registering the notice)."""
    found = await matching_case(u, user_id, code, tax_years)
    if found is not None:
        return found
    return await store.open_case(u.session, user_id, now)


async def matching_case(u: Unit, user_id: int, code: str | None, tax_years: Iterable[int]) -> Case | None:
    """The case a notice would join (the draft card says so before it is saved), or None."""
    mine = await store.for_user(u.session, user_id)
    chosen = rules.pick(rules.Debt.of(code, tax_years), ((c.id, store.debt(c)) for c in mine))
    return next((c for c in mine if c.id == chosen), None)


async def notices_in(u: Unit, case: Case) -> list[Notice]:
    return (await store.notices_of(u.session, [case.id]))[case.id]


@dataclass(frozen=True)
class Moved:
    notice: Notice
    case: Case  # where it is now
    changed: bool  # False: it was there already (a second press)


async def move(u: Unit, user_id: int, notice_id: int, to_case_id: int | None) -> Moved:
    """Move the person's notice into another of their cases, or (``to_case_id`` None) into a case of
    its own. The case it leaves is deleted when empty. Raises ``NotYours`` for a notice or a case
    that is not theirs (or no longer exists)."""
    notice = await owned(u.session, user_id, notice_id)
    source = await owned_case(u.session, user_id, notice.case_id)
    if to_case_id is None:
        if len(await notices_in(u, source)) == 1:
            return Moved(notice, source, False)  # already a case of its own
    elif to_case_id == source.id:
        return Moved(notice, source, False)
    now = u.now()
    target = await store.open_case(u.session, user_id, now) if to_case_id is None else \
        await owned_case(u.session, user_id, to_case_id)
    notice.case_id = target.id
    notice.updated_at = now
    u.session.add(NoticeEvent(notice_id=notice.id, kind=MOVED, at=now, data={"from": source.id, "to": target.id}))
    await store.refresh(u.session, source, now)
    await store.refresh(u.session, target, now)
    await u.commit()
    return Moved(notice, target, True)


async def other_cases(u: Unit, user_id: int, notice: Notice) -> list[tuple[Case, list[Notice]]]:
    """Where a notice can be moved: the person's other cases with their notices (most urgent first)."""
    found = await case_list(u, user_id, include_closed=True)
    return [(s.case, s.notices) for s in found.cases if s.case.id != notice.case_id]


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    notices: list[Notice]  # oldest first
    now: Notice  # the notice the case is at (the furthest step received)
    due: rules.Due | None  # its most urgent open deadline
    counting: bool  # something in it still counts


@dataclass(frozen=True)
class CaseList:
    cases: list[CaseSummary]  # most urgent first
    closed: int  # resolved cases left out (0 when they are included)


def _case_notice(n: Notice, today: date, zone: str, lang: str) -> rules.CaseNotice:
    derived = facts.derive(input_of(n), today, lang)
    status = NoticeStatus(n.status).value
    counting = still_counting(n.code, status)
    resolved = None if counting or n.status_changed_at is None else local_today(n.status_changed_at, zone)
    return rules.CaseNotice(
        notice_id=n.id, code=n.code, notice_date=n.notice_date,
        received=n.received_date or local_today(n.created_at, zone), respond_by=derived.respond_by,
        estimated=derived.estimated, hard=derived.hard, counting=counting, resolved_on=resolved, status=status,
        expected=derived.expected)


def _summary(case: Case, notices: Sequence[Notice], today: date, zone: str) -> CaseSummary:
    views = [_case_notice(n, today, zone, "en") for n in notices]
    story = rules.timeline(views, (), today)
    now = next(n for n in notices if story.now is not None and n.id == story.now.notice_id)
    dues = [rules.Due(v.respond_by, v.hard) for v in views if v.counting and v.respond_by is not None]
    due = min(dues, key=lambda d: rules.urgency([d]), default=None)
    return CaseSummary(case, list(notices), now, due, not story.resolved)


async def case_list(u: Unit, user_id: int, *, include_closed: bool = False) -> CaseList:
    """The person's cases, most urgent first (``notices.cases.urgency``); resolved ones only with
    ``include_closed``."""
    today, zone = await local_date(u, user_id)
    mine = await store.for_user(u.session, user_id)
    by_case = await store.notices_of(u.session, [c.id for c in mine])
    summaries = [_summary(c, by_case[c.id], today, zone) for c in mine if by_case[c.id]]
    summaries.sort(key=lambda s: (rules.urgency([s.due] if s.due else [], open_=s.counting), s.case.id))
    if include_closed:
        return CaseList(summaries, 0)
    shown = [s for s in summaries if s.counting]
    return CaseList(shown, len(summaries) - len(shown))


@dataclass(frozen=True)
class CaseView:
    case: Case
    notices: list[Notice]  # oldest first
    timeline: rules.CaseTimeline
    # Plans stay per notice (issue 16): the case's plan is the one on a notice of the case that is in
    # a payment plan; the IRS's notices about a plan (CP521, CP89, CP523) are read against it.
    plan_on: Notice | None = None
    plan_at_risk: bool = False  # an open CP523 (or CP523C/D, CP623) in the case (notices.plans.at_risk)


_LOGGED = ("call", "letter", "instrument", "plan", "plan_payment", "plan_cant_pay", "status")


def _logged(e: NoticeEvent, code: str, zone: str) -> rules.Logged | None:
    """A history event as a timeline entry: on the day it happened (a call's own date, the day a
    letter was mailed), with what matters about it."""
    data = e.data or {}
    on = local_today(e.at, zone)

    def day(key: str) -> date:
        return date.fromisoformat(data[key]) if data.get(key) else on

    match e.kind:
        case "call" | "letter":
            return rules.Logged(day("date"), e.kind, e.notice_id, code, str(data.get("agreed") or ""))
        case "instrument":
            return rules.Logged(day("sent_on"), "instrument", e.notice_id, code, str(data.get("tracking") or ""))
        case "plan":
            return rules.Logged(on, "plan", e.notice_id, code, str(data.get("monthly") or ""))
        case "plan_payment":
            return rules.Logged(day("for"), "payment", e.notice_id, code, str(data.get("amount") or ""))
        case "plan_cant_pay":
            return rules.Logged(on, "cant_pay", e.notice_id, code, str(data.get("for") or ""))
        case "status" if data.get("to") == "paid":
            return rules.Logged(on, "paid", e.notice_id, code)
    return None


async def case_view(u: Unit, user_id: int, case_id: int, lang: str) -> CaseView:
    """A case the person may view (theirs, or shared with them) with its timeline as of their
    today. Raises ``NotYours``."""
    case = await viewable_case(u.session, user_id, case_id)
    today, zone = await local_date(u, user_id)
    notices = await notices_in(u, case)
    codes = {n.id: n.code for n in notices}
    events = await notice_store.events_of(u.session, list(codes), _LOGGED)
    logged = [x for e in events if (x := _logged(e, codes[e.notice_id], zone)) is not None]
    story = rules.timeline([_case_notice(n, today, zone, lang) for n in notices], logged, today)
    plan_on = await plan_notice(u, notices)
    at_risk = plan_on is not None and plan_rules.at_risk((n.code, NoticeStatus(n.status).value) for n in notices)
    return CaseView(case, notices, story, plan_on, at_risk)


async def plan_notice(u: Unit, notices: Sequence[Notice]) -> Notice | None:
    """The notice of the case its payment plan is on (the latest set up), or None."""
    for n in reversed(notices):
        if n.status == NoticeStatus.PLAN and await u.session.get(PaymentPlan, n.id) is not None:
            return n
    return None
