"""The case summary for a professional (issue 16): one of the person's cases gathered into the plain
values ``notices.case_summary`` builds the PDF from. Read-only: nothing is committed.

The case is checked through the one ownership rule (``services.cases.case_view`` ->
``owned_case``). Notes, the IRS phone number and what was agreed on a call leave the chat only when
the person turned on "details" (``User.calendar_details``, the setting that already lets notes and
the phone number into calendar files): a summary is handed to someone else, as a calendar is shared.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from notices import case_summary as doc
from scheduler.planner import local_today
from services import cases
from services.ownership import NotYours
from services.unit import Unit
from storage import notices as notice_store
from storage.models import NoticeStatus, PaymentPlan, User

__all__ = ["NotYours", "gather"]


def _dollars(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


async def gather(u: Unit, user_id: int, case_id: int) -> doc.CaseSummary:
    """Everything the summary shows about one of the person's cases. Raises ``NotYours``."""
    user = await u.session.get(User, user_id)
    if user is None:
        raise NotYours(case_id)
    view = await cases.case_view(u, user_id, case_id, user.language)
    details = bool(user.calendar_details)
    zone = user.timezone
    notices = view.notices
    found = tuple(doc.SummaryNotice(
        notice_id=n.id, code=n.code, notice_date=n.notice_date,
        received=n.received_date or local_today(n.created_at, zone), tax_years=tuple(n.tax_years or ()),
        amount=_dollars(n.amount_cents), status=NoticeStatus(n.status).value,
        notes=(n.notes or "") if details else "", phone=n.phone if details else None) for n in notices)
    plans = []
    for n in notices:
        stored = await u.session.get(PaymentPlan, n.id)
        if stored is None or n.status != NoticeStatus.PLAN:
            continue  # a plan left behind when the notice was reopened is not the plan any more
        plans.append(doc.SummaryPlan(
            code=n.code, monthly=Decimal(stored.monthly_cents) / 100, payment_day=stored.payment_day,
            first_payment=stored.first_payment, first_payment_assumed=bool(stored.first_payment_assumed),
            direct_debit=stored.direct_debit, balance=_dollars(stored.balance_cents),
            paid_through=stored.paid_through, missed_due=stored.missed_due))
    answered = await notice_store.events_of(u.session, [n.id for n in notices], ("answered",))
    story = view.timeline
    if not details:  # what was agreed on a call is the person's own words: kept in the chat
        story = replace(story, logged=tuple(replace(x, detail="") if x.kind in ("call", "letter") else x
                                            for x in story.logged))
    return doc.CaseSummary(
        form=view.case.tax_form, tax_years=tuple(view.case.tax_years or ()), today=local_today(u.now(), zone),
        notices=found, timeline=story, plans=tuple(plans),
        answered=tuple((e.notice_id, local_today(e.at, zone)) for e in answered), details=details)
