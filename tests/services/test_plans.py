"""Payment plan use cases: set up, reminders kept (and only those), Paid, Can't pay, ownership."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from notices.reminder_kinds import PLAN_SLOTS, kind_of
from services import notices as notice_cases
from services import plans as cases
from services.ownership import NotYours
from storage.models import Notice, NoticeEvent, NoticeStatus, PaymentPlan
from tests.services.conftest import NOW, World

ANSWERS = cases.PlanAnswers(monthly_cents=20000, payment_day=15, first_payment=date(2026, 12, 15),
                            direct_debit=False, balance_cents=341218, timely_filer=True)


async def _plan_notice(world: World) -> int:
    nid = await world.notice(1)
    async with world.sm() as s:  # plan the deadline reminders first
        await notice_cases.edit(world.unit(s), 1, nid, {"notes": "x"}, NOW.date())
    return nid


async def test_set_up_marks_the_plan_and_keeps_only_payment_reminders_at_the_local_morning(world: World) -> None:
    nid = await _plan_notice(world)
    assert not any((kind_of(r.kind).slot in PLAN_SLOTS) for r in await world.pending(nid))
    world.commits, world.wakes = 0, []
    async with world.sm() as s:
        view = await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    assert world.commits == 1 and world.wakes == [(None, 1)]
    assert view.notice.status == NoticeStatus.PLAN and view.next_payments == [date(2026, 12, 15), date(2027, 1, 15)]
    kinds = sorted((r.kind, r.due_at) for r in await world.pending(nid))
    # 3 days before and the morning of each of the next two payments, 09:00 New York (14:00 UTC in winter)
    assert kinds == sorted([
        ("plan:3:2026-12-15", datetime(2026, 12, 12, 14, 0, tzinfo=UTC)),
        ("plan:0:2026-12-15", datetime(2026, 12, 15, 14, 0, tzinfo=UTC)),
        ("plan:3:2027-01-15", datetime(2027, 1, 12, 14, 0, tzinfo=UTC)),
        ("plan:0:2027-01-15", datetime(2027, 1, 15, 14, 0, tzinfo=UTC)),
    ])
    assert view.payoff is not None and view.payoff.payoff_date is not None and view.payoff_if_filed_late is None


async def test_paid_records_the_payment_lowers_the_balance_and_moves_the_reminders_on(world: World) -> None:
    nid = await _plan_notice(world)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        paid = await cases.record_payment(world.unit(s), 1, nid)
    assert paid.paid_for == date(2026, 12, 15) and paid.view.plan.balance_cents == 341218 - 20000
    assert {r.kind for r in await world.pending(nid)} == {
        "plan:3:2027-01-15", "plan:0:2027-01-15", "plan:3:2027-02-15", "plan:0:2027-02-15"}
    async with world.sm() as s:
        [ev] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "plan_payment"))).all()
        assert ev.data == {"for": "2026-12-15", "amount": "200.00"}


async def test_cant_pay_plans_a_reminder_the_next_morning_to_call_or_revise(world: World) -> None:
    nid = await _plan_notice(world)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        _view, due = await cases.cant_pay(world.unit(s), 1, nid)
    assert due == date(2026, 12, 15)
    fixes = [r for r in await world.pending(nid) if r.kind.startswith("fix:")]
    assert [(r.kind, r.due_at) for r in fixes] == [("fix:2026-12-15", datetime(2026, 11, 22, 14, 0, tzinfo=UTC))]
    async with world.sm() as s:  # paid after all: the call reminder goes away
        await cases.record_payment(world.unit(s), 1, nid)
    assert not [r for r in await world.pending(nid) if r.kind.startswith("fix:")]


async def test_unknown_answers_assume_next_months_payment_day_and_the_notice_amount(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        view = await cases.set_up(world.unit(s), 1, nid, cases.PlanAnswers(monthly_cents=50000))
    assert view.plan.first_payment == date(2026, 12, 28) and view.plan.first_payment_assumed
    assert view.balance_assumed and view.balance is not None and view.balance == Decimal("3412.18")
    assert view.payoff_if_filed_late is not None  # timely filing unknown: the 0.5% figure too
    assert view.payoff is not None and view.payoff_if_filed_late.penalty > view.payoff.penalty


async def test_reopening_a_plan_notice_brings_the_deadline_reminders_back(world: World) -> None:
    nid = await _plan_notice(world)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        await notice_cases.change_status(world.unit(s), 1, nid, NoticeStatus.OPEN)
    kinds = {r.kind for r in await world.pending(nid)}
    assert "day" in kinds and not any((kind_of(k).slot in PLAN_SLOTS) for k in kinds)
    async with world.sm() as s:
        with pytest.raises(cases.NoPlan):
            await cases.record_payment(world.unit(s), 1, nid)


async def test_paying_in_full_stops_the_plan_reminders(world: World) -> None:
    nid = await _plan_notice(world)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        await notice_cases.change_status(world.unit(s), 1, nid, NoticeStatus.PAID)
    assert await world.pending(nid) == []


@pytest.mark.parametrize("which", range(4))
async def test_plan_use_cases_refuse_someone_elses_notice(world: World, which: int) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        u = world.unit(s)
        call = [lambda: cases.set_up(u, 2, nid, ANSWERS), lambda: cases.record_payment(u, 2, nid),
                lambda: cases.cant_pay(u, 2, nid), lambda: cases.show(u, 2, nid)][which]
        with pytest.raises(NotYours):
            await call()


def test_bad_answers_are_refused() -> None:
    for bad in ({"monthly_cents": 0}, {"monthly_cents": 100, "payment_day": 31},
                {"monthly_cents": 100, "balance_cents": -1}):
        with pytest.raises(ValueError):
            cases.PlanAnswers(**bad)  # type: ignore[arg-type]


async def test_deleting_a_plan_notice_deletes_its_plan(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        await notice_cases.delete(world.unit(s), 1, nid)
    async with world.sm() as s:
        assert await s.get(PaymentPlan, nid) is None and await s.get(Notice, nid) is None


async def test_export_includes_the_plan_and_forget_deletes_it(world: World) -> None:
    from services import people

    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.set_up(world.unit(s), 1, nid, ANSWERS)
    async with world.sm() as s:
        data = await people.export(world.unit(s), 1)
    [notice] = data["notices"]
    assert notice["payment_plan"]["monthly"] == "200.00" and notice["payment_plan"]["payment_day"] == 15
    async with world.sm() as s:
        await people.forget(world.unit(s), 1)
    async with world.sm() as s:
        assert (await s.scalars(select(PaymentPlan))).all() == []
