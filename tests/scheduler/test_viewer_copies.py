"""A viewer's copies of a shared case's reminders in the engine (fixed clock, emulator): planned
in the viewer's zone across a DST change, sent once each in the viewer's language with a read-only
button, never again after a restart, and a copy already due when the share is revoked (even with
no re-plan) is cancelled at the claim instead of sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scheduler.planner import replan_notice
from storage.models import CaseShare, Notice, Reminder, ReminderStatus
from tests.scheduler.conftest import World, add_person

OWNER, VIEWER = 51, 52
LEAD = 0.3


async def copies(world: World, **where: object) -> list[Reminder]:
    async with world.sm() as s:
        return list(await s.scalars(select(Reminder).filter_by(user_id=VIEWER, **where).order_by(Reminder.due_at)))


async def shared_notice(world: World) -> int:
    """The owner in New York with a notice due after New York's DST change (2026-11-01); the
    viewer in Madrid (DST ends 2026-10-25), Spanish, 08:15; a live Telegram share; planned."""
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    nid = await world.person_with_notice(OWNER, date(2026, 11, 3), code="CP14", timezone="America/New_York",
                                         reminder_offsets=[14, 3])
    async with world.sm() as s:
        await add_person(s, VIEWER, timezone="Europe/Madrid", language="es", reminder_minute=8 * 60 + 15,
                         reminder_offsets=[14, 3])
        notice = await s.get(Notice, nid)
        assert notice is not None
        s.add(CaseShare(case_id=notice.case_id, kind="telegram", token_hash="f" * 64, viewer_id=VIEWER))
        await s.flush()
        await replan_notice(s, nid, world.clock.now())
        await s.commit()
    return nid


async def test_the_viewers_copies_follow_their_zone_across_dst_and_go_out_once(world: World) -> None:
    nid = await shared_notice(world)
    planned = [r for r in await copies(world) if r.kind.startswith("before:")]
    assert [r.kind for r in planned] == ["before:14", "before:3"]
    for r in planned:  # 2026-10-20 (summer time) and 2026-10-31 (winter time), both 08:15 in Madrid
        local = r.due_at.astimezone(ZoneInfo("Europe/Madrid"))
        assert (local.hour, local.minute) == (8, 15)
    assert planned[0].due_at.utcoffset() == timedelta(0) and \
        planned[0].due_at.hour == 6 and planned[1].due_at.hour == 7  # UTC moves with the change
    world.clock.set(planned[0].due_at - timedelta(seconds=LEAD))
    svc = world.service()
    await svc.start()
    [msg] = await world.emu.wait_sent(VIEWER, timeout=3)
    assert "Un caso compartido contigo" in msg["plain_text"] and "CP14" in msg["plain_text"]
    assert [[b["text"] for b in row] for row in msg["reply_markup"]["inline_keyboard"]] == [["👁 Abrir el caso"]]
    async with world.sm() as s:
        notice = await s.get(Notice, nid)
        assert notice is not None
    assert msg["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"sv:{notice.case_id}:0"
    await svc.stop()
    svc = world.service()  # a restart: the sent copy is not sent again
    await svc.start()
    await asyncio.sleep(0.5)
    assert len(world.emu.sent(VIEWER)) == 1
    assert [r.status for r in await copies(world, kind="before:14")] == [ReminderStatus.SENT]


async def test_a_copy_due_after_the_share_is_revoked_is_cancelled_not_sent(world: World) -> None:
    nid = await shared_notice(world)
    [first, *_] = [r for r in await copies(world) if r.kind.startswith("before:")]
    async with world.sm() as s:
        owners_first = (await s.scalars(select(Reminder).filter_by(notice_id=nid, user_id=OWNER, kind=first.kind))).one()
    async with world.sm() as s:  # revoked without a re-plan: the claim still checks the share
        share = (await s.scalars(select(CaseShare))).one()
        share.revoked_at = world.clock.now()
        await s.commit()
    world.clock.set(max(first.due_at, owners_first.due_at) + timedelta(minutes=1))
    svc = world.service()
    await svc.start()
    owners = await world.emu.wait_sent(OWNER, timeout=3)  # the owner's due reminder still goes
    assert owners
    await asyncio.sleep(0.3)
    assert world.emu.sent(VIEWER) == []
    assert [r.status for r in await copies(world, kind=first.kind)] == [ReminderStatus.CANCELLED]
