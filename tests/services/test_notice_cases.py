"""The notice use cases: one ownership rule, one commit, reminders re-planned, the engine woken after
the commit; the result is what the handler renders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services import notices as cases
from services import queries, reminders
from services.ownership import NotYours, find_owned, owned
from storage.models import ChecklistProgress, Notice, NoticeEvent, NoticeStatus
from tests.services.conftest import NOW, World


async def test_change_status_records_it_stops_reminders_commits_once_then_wakes(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        u = world.unit(s)
        await cases.change_status(u, 1, nid, NoticeStatus.OPEN)  # plans nothing: already open
        assert world.commits == 0 and world.wakes == []
    async with world.sm() as s:  # plan its reminders first, through the edit path
        await cases.edit(world.unit(s), 1, nid, {"notes": "x"}, NOW.date())
    assert await world.pending(nid)
    world.commits, world.wakes = 0, []
    async with world.sm() as s:
        result = await cases.change_status(world.unit(s), 1, nid, NoticeStatus.PAID, via="reminder")
    assert result.changed and result.at == NOW and result.notice.status == NoticeStatus.PAID
    assert world.commits == 1 and world.wakes == [(None, 1)]  # woken after the one commit
    assert await world.pending(nid) == []
    async with world.sm() as s:
        [ev] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "status"))).all()
        assert ev.data == {"from": "open", "to": "paid", "via": "reminder"}
        assert (await s.get(Notice, nid)).status_changed_at == NOW  # type: ignore[union-attr]


async def test_same_status_again_changes_nothing_and_wakes_nobody(world: World) -> None:
    nid = await world.notice(1, status=NoticeStatus.PAID)
    async with world.sm() as s:
        result = await cases.change_status(world.unit(s), 1, nid, NoticeStatus.PAID)
    assert not result.changed and world.commits == 0 and world.wakes == []


async def _each_case(u: Any, uid: int, nid: int) -> list[Any]:
    return [
        lambda: cases.change_status(u, uid, nid, NoticeStatus.PAID),
        lambda: cases.delete(u, uid, nid),
        lambda: cases.edit(u, uid, nid, {"notes": "mine now"}, NOW.date()),
        lambda: cases.log_contact(u, uid, nid, "call", {"agent": "x"}),
        lambda: cases.set_checklist_item(u, uid, nid, "item", True),
        lambda: reminders.snooze(u, uid, nid, 1),
    ]


@pytest.mark.parametrize("which", range(6))
async def test_every_notice_use_case_refuses_someone_elses_notice(world: World, which: int) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        call = (await _each_case(world.unit(s), 2, nid))[which]
        with pytest.raises(NotYours):
            await call()
        with pytest.raises(NotYours):  # and a notice that does not exist looks the same
            await (await _each_case(world.unit(s), 1, 10_000))[which]()
    assert world.commits == 0 and world.wakes == []
    async with world.sm() as s:
        n = await find_owned(s, 1, nid)
        assert n is not None and n.status == NoticeStatus.OPEN and n.notes == ""
        assert (await s.scalars(select(NoticeEvent))).all() == []
        assert (await s.scalars(select(ChecklistProgress))).all() == []


async def test_delete_removes_the_notice_and_its_reminders(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.edit(world.unit(s), 1, nid, {"notes": "x"}, NOW.date())
    async with world.sm() as s:
        assert await cases.delete(world.unit(s), 1, nid) == "CP14"
    assert await world.pending(nid) == [] and world.wakes[-1] == (None, world.commits)
    async with world.sm() as s:
        assert await s.get(Notice, nid) is None


async def test_edit_works_the_date_out_again_and_replans(world: World) -> None:
    nid = await world.notice(1, respond_by=date(2026, 12, 1), notice_date=date(2026, 11, 10))
    async with world.sm() as s:
        n = await cases.edit(world.unit(s), 1, nid, {"notice_date": date(2026, 11, 17)}, NOW.date())
        assert n.respond_by == date(2026, 12, 8) and n.sequence == 1  # CP14: 21 days
    due = [r.due_at.date() for r in await world.pending(nid)]
    assert date(2026, 12, 7) in due  # the day before the new date
    assert world.commits == 1 and world.wakes == [(None, 1)]


async def test_tick_commits_without_waking_and_a_logged_letter_plans_its_follow_ups(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        u = world.unit(s)
        assert await cases.set_checklist_item(u, 1, nid, "call", True) is True
        assert await cases.set_checklist_item(u, 1, nid, "call", True) is False  # a second tick: still ticked, once
        assert await queries.checklist_done(u, await owned(s, 1, nid)) == {"call"}
        assert await cases.set_checklist_item(u, 1, nid, "call", False) is True
        assert await cases.set_checklist_item(u, 1, nid, "call", False) is False  # untick twice: still unticked
        assert await queries.checklist_done(u, await owned(s, 1, nid)) == set()
        assert world.commits == 4 and world.wakes == []
        await cases.log_contact(u, 1, nid, "letter", {"date": "2026-11-20"})
    assert world.commits == 5 and world.wakes == [(None, 5)]  # follow-ups planned: woken after the commit
    assert {"letter:30:2026-11-20", "letter:60:2026-11-20"} <= {r.kind for r in await world.pending(nid)}


async def test_register_links_earlier_notices_of_the_case_and_plans(world: World) -> None:
    cp14 = await world.notice(1, code="CP14", tax_years=[2024])
    async with world.sm() as s:
        saved = await cases.register(world.unit(s), 1, code="CP501", tax_years=[2024],
                                     respond_by=date(2026, 12, 20), notice_date=date(2026, 11, 20))
    assert [n.id for n in saved.earlier] == [cp14]
    assert await world.pending(saved.notice.id) and world.wakes == [(None, 1)]
    async with world.sm() as s:
        [created] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "created"))).all()
        assert created.data == {"follows": [cp14]}


async def test_register_returns_the_same_letter_saved_before_and_writes_nothing(world: World) -> None:
    fields: dict[str, Any] = {"code": "CP501", "tax_years": [2024], "respond_by": date(2026, 12, 20),
                              "notice_date": date(2026, 11, 20)}
    async with world.sm() as s:
        first = await cases.register(world.unit(s), 1, **fields)
    commits = world.commits
    async with world.sm() as s:
        u = world.unit(s)
        again = await cases.register(u, 1, **{**fields, "tax_years": [2024]})
        assert again.duplicate and again.notice.id == first.notice.id
        other = await cases.register(u, 1, **{**fields, "notice_date": date(2026, 11, 27)})
        assert not other.duplicate and other.notice.id != first.notice.id
    assert world.commits == commits + 1  # the duplicate wrote nothing
    async with world.sm() as s:  # undated letters are never called duplicates: both are kept
        undated = {**fields, "notice_date": None}
        u = world.unit(s)
        a = await cases.register(u, 1, **undated)
        b = await cases.register(u, 1, **undated)
        assert not a.duplicate and not b.duplicate


async def test_snooze_wakes_the_engine_at_the_snooze_instant(world: World) -> None:
    nid = await world.notice(1, respond_by=NOW.date() + timedelta(days=10))
    async with world.sm() as s:
        at = await reminders.snooze(world.unit(s), 1, nid, 3)
    assert at is not None and at > NOW and world.wakes == [(at, 1)]


async def test_snooze_refuses_a_resolved_notice(world: World) -> None:
    nid = await world.notice(1, status=NoticeStatus.PAID)
    async with world.sm() as s:
        assert await reminders.snooze(world.unit(s), 1, nid, 1) is None
    assert world.commits == 0 and world.wakes == []


async def test_regression_editing_a_note_moved_a_hard_date_later(world: World) -> None:
    """Bug: the edit use case worked the date out again with no received date, so the notice date
    was assumed from *today* instead of the day the notice was saved: editing only the notes of a
    CP90 saved 7 weeks ago without its printed date moved its CDP-hearing deadline 7 weeks later."""
    saved = NOW - timedelta(days=51)
    nid = await world.notice(1, code="CP90", notice_date=None, respond_by=date(2026, 10, 26),
                             respond_by_estimated=True, created_at=saved)
    async with world.sm() as s:
        n = await cases.edit(world.unit(s), 1, nid, {"notes": "called them"}, NOW.date())
        # The day it was saved minus 21 days is the latest safe notice date of a hard notice (issue 14):
        # Oct 13, never later than the Oct 26 that the old 7-day assumption gave.
        assert n.respond_by == date(2026, 10, 13) and n.respond_by_estimated


async def test_editing_addressed_outside_the_us_and_the_amount_uses_the_issue_14_rules(world: World) -> None:
    # "Addressed outside the US: yes" on a notice of deficiency gives 150 days (usc/26/6213(a)); a CP14
    # edited to $100,000 or more is due in 10 business days (usc/26/6601(e)(3)).
    cp3219a = await world.notice(1, code="CP3219A", notice_date=date(2026, 10, 1), respond_by=date(2026, 12, 30))
    cp14 = await world.notice(1, code="CP14", notice_date=date(2026, 11, 3), respond_by=date(2026, 11, 24))
    async with world.sm() as s:
        n = await cases.edit(world.unit(s), 1, cp3219a, {"abroad": True}, NOW.date())
        assert n.respond_by == date(2027, 3, 1)
        n = await cases.edit(world.unit(s), 1, cp3219a, {"abroad": False}, NOW.date())
        assert n.respond_by == date(2026, 12, 30)
        n = await cases.edit(world.unit(s), 1, cp14, {"amount_cents": 10_000_000}, NOW.date())
        assert n.respond_by == date(2026, 11, 18)
