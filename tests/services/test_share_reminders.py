"""A viewer's copies of a shared case's reminders (issue 16): accepting an invite plans them in the
viewer's own zone, time and quiet hours; the owner's are unchanged; revoking cancels them in the
same commit; a resolved notice stops everyone's; a snooze stays the owner's; a web link, or a
stranger, gets none; the viewer's settings move their copies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from scheduler.planner import replan_notice
from services import notices, people, reminders, shares
from storage.models import NoticeStatus, Reminder, ReminderStatus, User
from tests.services.conftest import World
from tests.services.test_shares import OWNER, STRANGER, VIEWER, accept, case_of, invite

MADRID = ZoneInfo("Europe/Madrid")


async def slots(world: World, notice_id: int, who: int, status: str = ReminderStatus.PENDING) -> list[Reminder]:
    async with world.sm() as s:
        return list(await s.scalars(select(Reminder).where(Reminder.notice_id == notice_id, Reminder.user_id == who,
                                                           Reminder.status == status).order_by(Reminder.due_at)))


def keys(rows: list[Reminder]) -> list[tuple[str, datetime]]:
    return [(r.kind, r.due_at) for r in rows]


@pytest.fixture
async def planned(world: World) -> int:
    """The owner's open CP14, planned; the viewer in Madrid, 07:00, quiet until 08:30, Spanish."""
    async with world.sm() as s:
        viewer = await s.get(User, VIEWER)
        assert viewer is not None
        viewer.timezone, viewer.language, viewer.reminder_minute = "Europe/Madrid", "es", 7 * 60
        viewer.quiet_start_minute, viewer.quiet_end_minute = 22 * 60, 8 * 60 + 30
        s.add(User(id=STRANGER))
        await s.commit()
    notice_id = await world.notice(OWNER)
    async with world.sm() as s:
        await replan_notice(s, notice_id, world.clock.at)
        await s.commit()
    return notice_id


async def test_accepting_an_invite_plans_the_viewers_copies_in_their_own_time(world: World, planned: int) -> None:
    owners = keys(await slots(world, planned, OWNER))
    assert owners and await slots(world, planned, VIEWER) == []
    wakes = len(world.wakes)
    await accept(world, (await invite(world, await case_of(world, planned))).token)
    assert len(world.wakes) == wakes + 1 and world.wakes[-1][1] == world.commits  # woken after the commit
    copies = await slots(world, planned, VIEWER)
    assert keys(await slots(world, planned, OWNER)) == owners  # the owner's are unchanged
    assert [r.kind for r in copies] == [k for k, _ in owners]  # the same slots...
    for row, (_, owner_due) in zip(copies, owners, strict=True):
        local = row.due_at.astimezone(MADRID)
        # ...on the same day, at the viewer's 07:00 moved out of their quiet hours
        assert (local.hour, local.minute) == (8, 30) and local.date() == owner_due.date(), row.kind
    async with world.sm() as s:  # re-planning the same facts adds nothing
        await replan_notice(s, planned, world.clock.at)
        await s.commit()
    assert keys(await slots(world, planned, VIEWER)) == keys(copies)
    assert await slots(world, planned, STRANGER) == []


async def test_revoking_cancels_the_viewers_copies_at_once(world: World, planned: int) -> None:
    case_id = await case_of(world, planned)
    new = await invite(world, case_id)
    await accept(world, new.token)
    owners = keys(await slots(world, planned, OWNER))
    count = len(await slots(world, planned, VIEWER))
    async with world.sm() as s:
        assert await shares.revoke(world.unit(s), OWNER, case_id, new.share.id)
    assert await slots(world, planned, VIEWER) == []
    assert len(await slots(world, planned, VIEWER, ReminderStatus.CANCELLED)) == count
    assert keys(await slots(world, planned, OWNER)) == owners
    async with world.sm() as s:  # an owner's later re-plan does not bring them back
        await replan_notice(s, planned, world.clock.at)
        await s.commit()
    assert await slots(world, planned, VIEWER) == []


async def test_a_web_link_plans_no_copies(world: World, planned: int) -> None:
    web = await invite(world, await case_of(world, planned), shares.WEB)
    async with world.sm() as s:
        assert (await shares.open_link(world.unit(s), web.token, "en")).outcome is shares.Link.OPEN
        await replan_notice(s, planned, world.clock.at)
        await s.commit()
    assert {r.user_id for r in await slots(world, planned, OWNER)} == {OWNER}
    async with world.sm() as s:
        assert {r.user_id for r in await s.scalars(select(Reminder))} == {OWNER}


async def test_the_owner_resolving_the_notice_stops_the_copies_and_a_snooze_is_the_owners(
        world: World, planned: int) -> None:
    await accept(world, (await invite(world, await case_of(world, planned))).token)
    async with world.sm() as s:
        assert await reminders.snooze(world.unit(s), OWNER, planned, 1) is not None
    assert [r.kind for r in await slots(world, planned, OWNER) if r.kind == "snooze"] == ["snooze"]
    assert all(r.kind != "snooze" for r in await slots(world, planned, VIEWER))
    async with world.sm() as s:
        await notices.change_status(world.unit(s), OWNER, planned, NoticeStatus.PAID)
    assert await slots(world, planned, VIEWER) == [] and await slots(world, planned, OWNER) == []


async def test_the_viewers_settings_move_their_copies(world: World, planned: int) -> None:
    await accept(world, (await invite(world, await case_of(world, planned))).token)
    async with world.sm() as s:
        viewer = await s.get(User, VIEWER)
        assert viewer is not None
        await people.change_settings(world.unit(s), viewer, quiet_start_minute=None, quiet_end_minute=None)
    copies = await slots(world, planned, VIEWER)
    assert copies and {(r.due_at.astimezone(MADRID).hour, r.due_at.astimezone(MADRID).minute) for r in copies} == {(7, 0)}
