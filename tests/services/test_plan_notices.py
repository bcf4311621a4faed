"""The IRS's notices about a payment plan read against the case's plan (issue 16, point 2): a CP523
puts the plan at risk and keeps its own (soft, 30-day) deadline reminders; a CP521/CP621 adds no
reminders of its own while the case has a plan (and gives way when a plan is set up later); plans
stay per notice and are found through the case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from notices.reminder_kinds import kind_of
from services import cases, plans
from services import notices as notice_cases
from storage.models import Notice, NoticeStatus
from tests.services.conftest import World

DATED = date(2026, 11, 10)
ANSWERS = plans.PlanAnswers(monthly_cents=20000, payment_day=15, first_payment=date(2026, 12, 15))


async def register(world: World, code: str, **fields: Any) -> Notice:
    values = {"notice_date": DATED, "tax_years": [2024], "amount_cents": 341218, **fields}
    async with world.sm() as s:
        return (await notice_cases.register(world.unit(s), 1, code=code, **values)).notice


async def with_plan(world: World) -> Notice:
    cp14 = await register(world, "CP14", notice_date=date(2026, 9, 1), respond_by=date(2026, 9, 22))
    async with world.sm() as s:
        await plans.set_up(world.unit(s), 1, cp14.id, ANSWERS)
    return cp14


@pytest.mark.parametrize("code", ["CP523", "CP523C", "CP523D", "CP623"])
async def test_a_cp523_in_a_case_with_a_plan_puts_it_at_risk_and_keeps_its_deadline_reminders(
        world: World, code: str) -> None:
    cp14 = await with_plan(world)
    cp523 = await register(world, code, respond_by=DATED + timedelta(days=30))
    assert cp523.case_id == cp14.case_id
    async with world.sm() as s:
        view = await cases.case_view(world.unit(s), 1, cp14.case_id, "en")
    assert view.plan_on is not None and view.plan_on.id == cp14.id and view.plan_at_risk
    slots = {kind_of(r.kind).slot.value for r in await world.pending(cp523.id)}
    assert "before" in slots or "day" in slots  # the 30-day date is reminded like any deadline
    async with world.sm() as s:  # settled: no longer at risk
        await notice_cases.change_status(world.unit(s), 1, cp523.id, NoticeStatus.CLOSED)
    async with world.sm() as s:
        assert not (await cases.case_view(world.unit(s), 1, cp14.case_id, "en")).plan_at_risk


async def test_a_cp521_adds_no_reminders_of_its_own_while_the_case_has_a_plan(world: World) -> None:
    await with_plan(world)
    cp521 = await register(world, "CP521", stated_due_date=date(2026, 12, 15), respond_by=date(2026, 12, 15))
    assert await world.pending(cp521.id) == []


async def test_a_plan_set_up_after_a_cp521_takes_over_its_reminders(world: World) -> None:
    cp14 = await register(world, "CP14", notice_date=date(2026, 9, 1), respond_by=date(2026, 9, 22))
    cp521 = await register(world, "CP621", stated_due_date=date(2026, 12, 15), respond_by=date(2026, 12, 15))
    assert await world.pending(cp521.id) != []  # no plan yet: its date is reminded
    async with world.sm() as s:
        view = await cases.case_view(world.unit(s), 1, cp14.case_id, "en")
    assert view.plan_on is None and not view.plan_at_risk
    async with world.sm() as s:
        await plans.set_up(world.unit(s), 1, cp14.id, ANSWERS)
    assert await world.pending(cp521.id) == []

