"""Case use cases: a registered notice joins the case of the same debt or opens one, a notice moves
to another case or a new one (only the person's own), the last notice's deletion removes its case,
/forget removes every case; the list is most urgent first and a case tells its story."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services import cases, people, plans
from services import notices as notice_cases
from services.ownership import NotYours
from storage.models import Case, Notice, NoticeEvent, NoticeStatus
from tests.services.conftest import NOW, World

DATED = date(2026, 11, 10)


async def register(world: World, uid: int, code: str, years: list[int], **fields: Any) -> Notice:
    values = {"notice_date": DATED, "respond_by": DATED + timedelta(days=21), **fields}
    async with world.sm() as s:
        saved = await notice_cases.register(world.unit(s), uid, code=code, tax_years=years, **values)
        assert not saved.duplicate
        return saved.notice


async def all_cases(world: World) -> dict[int, tuple[int, str | None, list[int], list[int]]]:
    """{case id: (person, form, years, notice ids)}"""
    async with world.sm() as s:
        found = {c.id: (c.user_id, c.tax_form, c.tax_years, []) for c in (await s.scalars(select(Case))).all()}
        for n in (await s.scalars(select(Notice).order_by(Notice.id))).all():
            found[n.case_id][3].append(n.id)
    return found


async def test_a_notice_of_the_same_form_and_year_joins_its_case(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2024])
    async with world.sm() as s:
        saved = await notice_cases.register(world.unit(s), 1, code="CP501", tax_years=[2023, 2024],
                                            notice_date=date(2026, 12, 20), respond_by=date(2027, 1, 10))
    assert saved.notice.case_id == cp14.case_id and [n.id for n in saved.earlier] == [cp14.id]
    assert await all_cases(world) == {cp14.case_id: (1, "1040", [2023, 2024], [cp14.id, saved.notice.id])}
    async with world.sm() as s:
        [created] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.notice_id == saved.notice.id))).all()
        assert created.data == {"follows": [cp14.id]}


@pytest.mark.parametrize(("code", "years", "who"), [
    ("CP14", [2023], 1),  # another tax year
    ("CP161", [2024], 1),  # a business return
    ("LTR1153", [2024], 1),  # the trust fund recovery penalty: not the person's own 1040
    ("CP999", [2024], 1),  # not in the catalog: never guessed into a case
    ("CP501", [], 1),  # no tax year known
    ("CP501", [2024], 2),  # someone else
], ids=["other-year", "business-form", "tfrp", "unknown-code", "no-year", "other-person"])
async def test_a_notice_of_another_debt_opens_a_new_case(world: World, code: str, years: list[int], who: int) -> None:
    cp14 = await register(world, 1, "CP14", [2024])
    other = await register(world, who, code, years)
    assert other.case_id != cp14.case_id
    found = await all_cases(world)
    assert len(found) == 2 and found[other.case_id][0] == who and found[other.case_id][3] == [other.id]


async def test_move_to_another_case_and_to_a_new_case_and_twice_is_harmless(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2024])
    cp501 = await register(world, 1, "CP501", [2024], notice_date=date(2026, 12, 20))
    older = await register(world, 1, "CP14", [2023])
    world.commits = 0
    async with world.sm() as s:
        moved = await cases.move(world.unit(s), 1, cp501.id, older.case_id)
    assert moved.changed and moved.case.id == older.case_id and world.commits == 1
    found = await all_cases(world)
    assert found[cp14.case_id] == (1, "1040", [2024], [cp14.id])
    assert found[older.case_id] == (1, "1040", [2023, 2024], [cp501.id, older.id])
    async with world.sm() as s:
        again = await cases.move(world.unit(s), 1, cp501.id, older.case_id)
        assert not again.changed and world.commits == 1  # the second press writes nothing
        alone = await cases.move(world.unit(s), 1, cp501.id, None)
        assert alone.changed and alone.case.id not in found
        assert not (await cases.move(world.unit(s), 1, cp501.id, None)).changed  # already a case of its own
        [event, _] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == cases.MOVED)
                                      .order_by(NoticeEvent.id))).all()
        assert event.data == {"from": cp14.case_id, "to": older.case_id}
    assert len(await all_cases(world)) == 3


async def test_moving_the_last_notice_out_removes_its_case(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2024])
    older = await register(world, 1, "CP14", [2023])
    async with world.sm() as s:
        await cases.move(world.unit(s), 1, older.id, cp14.case_id)
    assert await all_cases(world) == {cp14.case_id: (1, "1040", [2023, 2024], [cp14.id, older.id])}


@pytest.mark.parametrize("whose", ["notice", "case", "gone"])
async def test_move_refuses_what_is_not_the_persons(world: World, whose: str) -> None:
    mine = await register(world, 1, "CP14", [2024])
    theirs = await register(world, 2, "CP14", [2023])
    notice_id, to = {"notice": (theirs.id, mine.case_id), "case": (mine.id, theirs.case_id),
                     "gone": (mine.id, 10_000)}[whose]
    before = await all_cases(world)
    world.commits = 0
    async with world.sm() as s:
        with pytest.raises(NotYours):
            await cases.move(world.unit(s), 1, notice_id, to)
    assert world.commits == 0 and await all_cases(world) == before


async def test_deleting_a_notice_keeps_the_case_and_the_last_one_removes_it(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2023])
    cp501 = await register(world, 1, "CP501", [2023, 2024])
    async with world.sm() as s:
        await notice_cases.delete(world.unit(s), 1, cp501.id)
    assert await all_cases(world) == {cp14.case_id: (1, "1040", [2023], [cp14.id])}  # the years follow
    async with world.sm() as s:
        await notice_cases.delete(world.unit(s), 1, cp14.id)
    assert await all_cases(world) == {}


async def test_editing_the_years_keeps_the_case_years_in_step(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2024])
    async with world.sm() as s:
        await notice_cases.edit(world.unit(s), 1, cp14.id, {"tax_years": [2022, 2024]}, NOW.date())
    assert await all_cases(world) == {cp14.case_id: (1, "1040", [2022, 2024], [cp14.id])}


async def test_forget_removes_the_persons_cases_and_only_theirs(world: World) -> None:
    await register(world, 1, "CP14", [2024])
    await register(world, 1, "CP14", [2023])
    theirs = await register(world, 2, "CP14", [2024])
    async with world.sm() as s:
        await people.forget(world.unit(s), 1)
    assert await all_cases(world) == {theirs.case_id: (2, "1040", [2024], [theirs.id])}


async def test_the_list_puts_a_hard_deadline_before_a_soft_one_of_the_same_week(world: World) -> None:
    today = NOW.date()  # Nov 21, 2026
    soft = await register(world, 1, "CP14", [2024], respond_by=today + timedelta(days=3))
    hard = await register(world, 1, "LT11", [2022], respond_by=today + timedelta(days=8))
    later = await register(world, 1, "CP14", [2021], respond_by=today + timedelta(days=2 + 7))
    paid = await register(world, 1, "CP14", [2020], respond_by=today + timedelta(days=1))
    undated = await register(world, 1, "CP71", [2019], respond_by=None)
    async with world.sm() as s:
        await notice_cases.change_status(world.unit(s), 1, paid.id, NoticeStatus.PAID)
        found = await cases.case_list(world.unit(s), 1)
        assert [c.case.id for c in found.cases] == [hard.case_id, soft.case_id, later.case_id, undated.case_id]
        assert found.closed == 1
        everything = await cases.case_list(world.unit(s), 1, include_closed=True)
        assert everything.cases[-1].case.id == paid.case_id and everything.closed == 0


async def test_the_case_view_tells_the_story_of_the_debt(world: World) -> None:
    cp14 = await register(world, 1, "CP14", [2024], notice_date=date(2026, 9, 1), respond_by=date(2026, 9, 22))
    cp501 = await register(world, 1, "CP501", [2024], notice_date=date(2026, 11, 10), respond_by=date(2026, 12, 1))
    async with world.sm() as s:
        u = world.unit(s)
        await notice_cases.log_contact(u, 1, cp501.id, "call", {"date": "2026-11-18", "agreed": "call back Dec 15"})
        await plans.set_up(u, 1, cp501.id, plans.PlanAnswers(monthly_cents=10_000, payment_day=15))
        view = await cases.case_view(u, 1, cp14.case_id, "en")
        with pytest.raises(NotYours):
            await cases.case_view(world.unit(s), 2, cp14.case_id, "en")
    story = view.timeline
    assert [n.code for n in story.received] == ["CP14", "CP501"]
    assert [(d.code, d.state) for d in story.deadlines] == [("CP14", "missed"), ("CP501", "met")]
    assert [(x.kind, x.day, x.detail) for x in story.logged] == [
        ("call", date(2026, 11, 18), "call back Dec 15"), ("plan", NOW.date(), "100.00")]
    assert story.now is not None and story.now.code == "CP501" and story.next_expected == ()  # in a plan
    assert story.resolved is False  # the CP14 is still open
