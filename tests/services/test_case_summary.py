"""Gathering a case for its summary (issue 16): only the person's own case, read-only, the plan and the
IRS's answers in it, notes and what was agreed on calls only with the person's "details" setting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services import case_summary, people, plans
from services import notices as notice_cases
from services.ownership import NotYours
from storage.models import Notice, NoticeStatus, User
from tests.services.conftest import World

DATED = date(2026, 11, 10)


async def register(world: World, uid: int, code: str, **fields: Any) -> Notice:
    values = {"notice_date": DATED, "respond_by": DATED + timedelta(days=21), "tax_years": [2024],
              "amount_cents": 341218, **fields}
    async with world.sm() as s:
        return (await notice_cases.register(world.unit(s), uid, code=code, **values)).notice


async def a_case(world: World) -> tuple[Notice, Notice]:
    cp14 = await register(world, 1, "CP14", notes="ask Ana, SSN 123-45-6789")
    cp501 = await register(world, 1, "CP501", notice_date=date(2026, 11, 15), respond_by=date(2026, 12, 6))
    async with world.sm() as s:
        u = world.unit(s)
        await notice_cases.log_contact(u, 1, cp501.id, "call", {"date": "2026-11-18", "agreed": "call back Dec 15"})
        await notice_cases.log_contact(u, 1, cp14.id, "letter", {"date": "2026-11-12"})
        await notice_cases.answered(u, 1, cp14.id)
        await plans.set_up(u, 1, cp14.id, plans.PlanAnswers(monthly_cents=20000, payment_day=15))
    return cp14, cp501


@pytest.mark.parametrize("details", [False, True])
async def test_a_case_is_gathered_read_only_with_its_plan_answers_and_notes_only_if_allowed(
        world: World, details: bool) -> None:
    cp14, cp501 = await a_case(world)
    async with world.sm() as s:
        user = await s.get(User, 1)
        assert user is not None
        await people.change_settings(world.unit(s), user, calendar_details=details)
    world.commits = 0
    async with world.sm() as s:
        found = await case_summary.gather(world.unit(s), 1, cp14.case_id)
    assert world.commits == 0  # a summary changes nothing
    assert [n.code for n in found.notices] == ["CP14", "CP501"] and found.form == "1040" and found.tax_years == (2024,)
    [plan] = found.plans
    assert plan.code == "CP14" and plan.monthly == 200 and plan.payment_day == 15 and plan.first_payment_assumed
    assert [nid for nid, _day in found.answered] == [cp14.id]
    [call] = [x for x in found.timeline.logged if x.kind == "call"]
    assert found.details is details
    assert (call.detail == "call back Dec 15") is details and (found.notices[0].notes != "") is details
    from notices.case_summary import open_questions
    asked = " ".join(open_questions(found))
    assert "No answer recorded yet" not in asked  # the IRS answered after the letter
    assert "balance was not given" in asked and "first payment date is assumed" in asked


async def test_someone_elses_case_or_a_missing_one_is_refused(world: World) -> None:
    cp14, _ = await a_case(world)
    async with world.sm() as s:
        with pytest.raises(NotYours):
            await case_summary.gather(world.unit(s), 2, cp14.case_id)
        with pytest.raises(NotYours):
            await case_summary.gather(world.unit(s), 1, cp14.case_id + 999)


async def test_a_plan_left_behind_by_a_reopened_notice_is_not_shown(world: World) -> None:
    cp14, _ = await a_case(world)
    async with world.sm() as s:
        await notice_cases.change_status(world.unit(s), 1, cp14.id, NoticeStatus.OPEN)
    async with world.sm() as s:
        assert (await case_summary.gather(world.unit(s), 1, cp14.case_id)).plans == ()
