"""Use cases of a payment plan (issue 16): set it up, record a payment, "can't pay this month", and
the plan's estimates (payoff date, interest and the reduced penalty) for the card and the replies.

Each loads the notice through the one ownership rule, commits once, re-plans the notice's reminders
(a plan notice keeps its payment reminders) and wakes the engine after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from notices import catalog, plans
from scheduler.planner import plan_of, replan_notice
from services.ownership import owned
from services.people import local_date
from services.unit import Unit
from storage import cases as case_store
from storage import notices as notice_store
from storage.models import Notice, NoticeEvent, NoticeStatus, PaymentPlan


class NoPlan(LookupError):
    """The notice has no payment plan on file (never set up, or the notice was reopened)."""


@dataclass(frozen=True)
class PlanAnswers:
    """What the person answered; None is "I don't know"."""

    monthly_cents: int
    payment_day: int | None = None
    first_payment: date | None = None
    direct_debit: bool | None = None
    balance_cents: int | None = None
    timely_filer: bool | None = None

    def __post_init__(self) -> None:
        if self.monthly_cents <= 0:
            raise ValueError("the monthly payment must be more than zero")
        if self.payment_day is not None and not 1 <= self.payment_day <= 28:
            raise ValueError("the payment day is from 1 to 28")
        if self.balance_cents is not None and self.balance_cents < 0:
            raise ValueError("the balance cannot be negative")


@dataclass(frozen=True)
class PlanView:
    """The stored plan with its estimates, what the bot shows."""

    notice: Notice
    plan: PaymentPlan
    next_payments: list[date]
    balance: Decimal | None  # the plan's balance, or the notice's amount when not given
    balance_assumed: bool  # the notice's amount stands in for an unknown plan balance
    payoff: plans.Payoff | None  # None without any balance
    payoff_if_filed_late: plans.Payoff | None  # timely filing unknown: the 0.5% figure too


async def set_up(u: Unit, user_id: int, notice_id: int, answers: PlanAnswers) -> PlanView:
    """Mark the notice as in a payment plan and store the plan (replacing an earlier one)."""
    notice = await owned(u.session, user_id, notice_id)
    now = u.now()
    today = await _today(u, user_id)
    first = answers.first_payment
    day = answers.payment_day or (first.day if first is not None and first.day <= 28 else None) or 28
    assumed = first is None
    if first is None:
        first = plans.first_payment_for(day, today)
    stored = await u.session.get(PaymentPlan, notice.id)
    if stored is None:
        stored = PaymentPlan(notice_id=notice.id)
        u.session.add(stored)
    stored.monthly_cents, stored.payment_day, stored.first_payment = answers.monthly_cents, day, first
    stored.first_payment_assumed, stored.direct_debit = assumed, answers.direct_debit
    stored.balance_cents, stored.timely_filer = answers.balance_cents, answers.timely_filer
    stored.paid_through = stored.missed_due = stored.missed_on = None
    stored.created_at = stored.updated_at = now
    await notice_store.set_status(u.session, notice, NoticeStatus.PLAN, now, via="plan")
    u.session.add(NoticeEvent(notice_id=notice.id, kind="plan", at=now, data={
        "monthly": f"{answers.monthly_cents / 100:.2f}", "day": day, "first": first.isoformat(),
        "direct_debit": answers.direct_debit}))
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    for mate in (await case_store.notices_of(u.session, [notice.case_id]))[notice.case_id]:
        if mate.id != notice.id and plans.about_plan(mate.code) == plans.MONTHLY_REMINDER:
            await replan_notice(u.session, mate.id, now)  # its own reminders give way to the plan's
    await u.commit(wake=True)
    return _view(notice, stored, today)


async def show(u: Unit, user_id: int, notice_id: int) -> PlanView:
    notice = await owned(u.session, user_id, notice_id)
    stored = await u.session.get(PaymentPlan, notice.id)
    if stored is None or notice.status != NoticeStatus.PLAN:
        raise NoPlan(notice_id)
    return _view(notice, stored, await _today(u, user_id))


@dataclass(frozen=True)
class Payment:
    view: PlanView
    paid_for: date  # the payment date recorded as paid


async def record_payment(u: Unit, user_id: int, notice_id: int) -> Payment:
    """"Paid": the next unpaid payment is recorded, the plan's balance goes down by the monthly amount
    (never below zero), and its reminders stop; the next payment's reminders follow."""
    notice = await owned(u.session, user_id, notice_id)
    stored = await u.session.get(PaymentPlan, notice.id)
    if stored is None or notice.status != NoticeStatus.PLAN:
        raise NoPlan(notice_id)
    now = u.now()
    plan = plan_of(stored)
    [due] = plans.next_payments(plan, plan.first_payment, count=1)
    stored.paid_through = due
    if stored.balance_cents is not None:
        stored.balance_cents = max(0, stored.balance_cents - stored.monthly_cents)
    if stored.missed_due is not None and stored.missed_due <= due:
        stored.missed_due = stored.missed_on = None  # paid after all: no call needed
    stored.updated_at = now
    u.session.add(NoticeEvent(notice_id=notice.id, kind="plan_payment", at=now, data={
        "for": due.isoformat(), "amount": f"{stored.monthly_cents / 100:.2f}"}))
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return Payment(_view(notice, stored, await _today(u, user_id)), due)


async def cant_pay(u: Unit, user_id: int, notice_id: int) -> tuple[PlanView, date]:
    """"Can't pay this month": on record, and a reminder the next morning to call the IRS or revise
    the plan online before the payment date. Returns the plan and that payment date."""
    notice = await owned(u.session, user_id, notice_id)
    stored = await u.session.get(PaymentPlan, notice.id)
    if stored is None or notice.status != NoticeStatus.PLAN:
        raise NoPlan(notice_id)
    now = u.now()
    today = await _today(u, user_id)
    plan = plan_of(stored)
    [due] = plans.next_payments(plan, plan.first_payment, count=1)
    stored.missed_due, stored.missed_on, stored.updated_at = due, today, now
    u.session.add(NoticeEvent(notice_id=notice.id, kind="plan_cant_pay", at=now, data={"for": due.isoformat()}))
    await u.session.flush()
    await replan_notice(u.session, notice.id, now)
    await u.commit(wake=True)
    return _view(notice, stored, today), due


async def _today(u: Unit, user_id: int) -> date:
    return (await local_date(u, user_id))[0]


def _view(notice: Notice, stored: PaymentPlan, today: date) -> PlanView:
    plan = plan_of(stored)
    balance, assumed = plan.balance, False
    if balance is None and notice.amount_cents is not None:
        balance, assumed = Decimal(notice.amount_cents) / 100, True
    info = catalog.get(notice.code)
    levy = notice.notice_date if info is not None and info.intent_to_levy else None
    payoff = late = None
    if balance is not None:
        payoff = plans.payoff(balance, plan, today, timely_filer=stored.timely_filer is not False,
                              levy_notice_date=levy)
        if stored.timely_filer is None:
            late = plans.payoff(balance, plan, today, timely_filer=False, levy_notice_date=levy)
            late = None if late == payoff else late
    return PlanView(notice, stored, plans.next_payments(plan, today, count=2), balance, assumed, payoff, late)
