"""Delivery through the local Bot API emulator: local time, snooze, resolution, restart, errors, limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from scheduler.planner import replan_notice, resume_user
from storage.models import Notice, NoticeEvent, NoticeStatus, Reminder, ReminderStatus, User
from tests.scheduler.conftest import World, add_notice, add_person, reminders_of

LEAD = 0.3  # how far before a reminder the tests set the clock, so the wake job has to fire


async def rows(world: World, **where: object) -> list[Reminder]:
    async with world.sm() as s:
        q = select(Reminder).filter_by(**where).order_by(Reminder.due_at, Reminder.id)
        return list(await s.scalars(q))


async def until(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not await predicate():  # noqa: ASYNC110 - polling the database, there is no event
            await asyncio.sleep(0.02)


async def test_reminders_arrive_at_the_local_reminder_time_across_dst(world: World) -> None:
    # Each zone gets a reminder on both sides of its DST change (or none, for Phoenix/Honolulu).
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    people = {
        1: ("America/New_York", date(2026, 11, 3)),  # falls back 2026-11-01
        2: ("America/Phoenix", date(2026, 11, 3)),
        3: ("Pacific/Honolulu", date(2027, 3, 16)),
        4: ("America/New_York", date(2027, 3, 16)),  # springs forward 2027-03-14
        5: ("Australia/Sydney", date(2027, 4, 6)),  # leaves DST 2027-04-04
    }
    for uid, (zone, due) in people.items():
        await world.person_with_notice(uid, due, timezone=zone, reminder_offsets=[3, 1], reminder_minute=8 * 60 + 45)
    async with world.sm() as s:  # only the two "before" reminders matter here
        await s.execute(delete(Reminder).where(Reminder.kind.not_like("before:%")))
        await s.commit()
    svc = world.service()
    await svc.start()
    planned = await rows(world)
    assert len(planned) == 10
    for r in planned:
        world.clock.set(r.due_at - timedelta(seconds=LEAD))
        svc.poke()  # the clock jumped: look again (the wake job then fires LEAD seconds later)
        [msg] = await world.emu.wait_sent(r.user_id, timeout=3)
        assert "Reminder" in msg["plain_text"]
        await until(lambda: _all_sent(world))  # recorded before the clock jumps again
    for r in await rows(world):
        zone = ZoneInfo(people[r.user_id][0])
        assert r.status == ReminderStatus.SENT
        assert timedelta(0) <= r.sent_at - r.due_at < timedelta(seconds=1)
        local = r.due_at.astimezone(zone)
        assert (local.hour, local.minute) == (8, 45), (r.user_id, r.kind, local)
    assert svc.counters.sent == 10 and svc.alive


async def test_message_has_days_left_next_step_and_buttons(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    await world.person_with_notice(7, date(2026, 10, 20), code="CP14", timezone="America/New_York",
                                   reminder_offsets=[3])
    world.clock.set(datetime(2026, 10, 17, 13, tzinfo=UTC) - timedelta(seconds=LEAD))  # 09:00 EDT, 3 days before
    svc = world.service()
    await svc.start()
    [msg] = await world.emu.wait_sent(7, timeout=3)
    text = msg["plain_text"]
    assert "CP14" in text and "3 days left" in text and "$3,412.18" in text and "Next step" in text
    assert "Risk: " in text
    labels = [b["text"] for row in msg["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✅ Paid", "📅 Payment plan set up", "✋ Disputed", "😴 Snooze 1 day", "😴 Snooze 3 days",
                      "📋 Checklist"]


async def _first_reminder(world: World, uid: int, due: date, svc_options: dict | None = None) -> tuple[dict, int]:  # type: ignore[type-arg]
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    nid = await world.person_with_notice(uid, due, timezone="America/Chicago", reminder_offsets=[7, 3, 1, 0])
    first = (await rows(world, notice_id=nid))[0]
    world.clock.set(first.due_at - timedelta(seconds=LEAD))
    svc = world.service(**(svc_options or {}))
    await svc.start()
    world.start_bot(svc)
    [msg] = await world.emu.wait_sent(uid, timeout=3)
    return msg, nid


def _button(msg: dict, label: str) -> str:  # type: ignore[type-arg]
    return next(b["callback_data"] for row in msg["reply_markup"]["inline_keyboard"] for b in row
                if b["text"] == label)


async def test_snooze_brings_the_reminder_back_a_day_later(world: World) -> None:
    msg, nid = await _first_reminder(world, 11, date(2026, 10, 20))
    query = world.emu.inject_callback(11, msg["message_id"], _button(msg, "😴 Snooze 1 day"))
    await until(lambda: _answered(world, query))
    # regression: the answer said "2026-10-14 09:00"; dates in words, 12-hour time for US English
    assert "remind you again on October 14, 2026, 9:00\u202fAM" in world.emu.callback_answer(query)["text"]
    [snoozed] = await rows(world, notice_id=nid, kind="snooze")
    assert snoozed.due_at == datetime(2026, 10, 14, 14, tzinfo=UTC)  # 09:00 CDT
    world.clock.set(snoozed.due_at - timedelta(seconds=LEAD))
    world.services[0].poke()
    [again] = await world.emu.wait_sent(11, timeout=3)
    assert "6 days left" in again["plain_text"]


async def _answered(world: World, query: str) -> bool:
    return bool(world.emu.callback_answer(query)["answered"])


async def test_paid_button_stops_reminders_and_records_the_change(world: World) -> None:
    msg, nid = await _first_reminder(world, 12, date(2026, 10, 20))
    query = world.emu.inject_callback(12, msg["message_id"], _button(msg, "✅ Paid"))
    await until(lambda: _answered(world, query))
    async with world.sm() as s:
        assert (await s.get(Notice, nid)).status == NoticeStatus.PAID
        [event] = list(await s.scalars(select(NoticeEvent).where(NoticeEvent.notice_id == nid)))
        assert event.kind == "status" and event.data["to"] == "paid"
        left = {r.status for r in await reminders_of(s, nid)}
    assert left == {ReminderStatus.SENT, ReminderStatus.CANCELLED}
    await world.emu.wait_sent(12, timeout=3)  # the confirmation
    world.clock.set(datetime(2026, 10, 21, tzinfo=UTC))
    world.services[0].poke()
    await asyncio.sleep(0.5)
    assert [m["plain_text"] for m in world.emu.sent(12)][-1].startswith("Marked as paid")


async def test_checklist_button_answers_with_the_list(world: World) -> None:
    msg, _ = await _first_reminder(world, 15, date(2026, 10, 20))
    query = world.emu.inject_callback(15, msg["message_id"], _button(msg, "📋 Checklist"))
    await until(lambda: _answered(world, query))
    [listing] = await world.emu.wait_sent(15, timeout=3)
    text = listing["plain_text"]  # the step to take first; the rest folded behind a button
    assert text.startswith("Checklist for ZZ1") and "Do this first:" in text and "more steps are folded" in text
    assert _button(listing, "📋 Show all steps (10)")


async def test_someone_elses_notice_is_refused_politely(world: World) -> None:
    msg, nid = await _first_reminder(world, 13, date(2026, 10, 20))
    forged = _button(msg, "✅ Paid")  # 13's notice id, pressed by person 14 from their own chat
    bot_msg = await world.bot.send_message(14, "x")
    query = world.emu.inject_callback(14, bot_msg.message_id, forged)
    await until(lambda: _answered(world, query))
    assert "not yours" in world.emu.callback_answer(query)["text"]  # the one refusal (services.ownership)
    async with world.sm() as s:
        assert (await s.get(Notice, nid)).status == NoticeStatus.OPEN


async def test_restart_sends_one_catch_up_per_notice_and_skips_resolved(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    a = await world.person_with_notice(21, date(2026, 10, 20), timezone="America/New_York")
    async with world.sm() as s:  # a second notice for the same person, and a third person's
        b = (await add_notice(s, 21, date(2026, 10, 22), code="CP501")).id
        await add_person(s, 22, timezone="Europe/Berlin")
        c = (await add_notice(s, 22, date(2026, 10, 20))).id
        for nid in (b, c):
            await replan_notice(s, nid, world.clock.now())
        await s.commit()
    svc = world.service()
    await svc.start()
    await svc.stop()
    # Down for 17 days: before:7, before:3 and before:1 of a and c were missed, two of b.
    world.clock.set(datetime(2026, 10, 19, 23, tzinfo=UTC))
    async with world.sm() as s:
        (await s.get(Notice, c)).status = NoticeStatus.CLOSED  # resolved meanwhile, not re-planned
        await s.commit()
    svc = world.service()
    await svc.start()
    got = await world.emu.wait_sent(21, count=2, timeout=5)
    await asyncio.sleep(0.5)
    assert len(world.emu.sent(21)) == 2 and world.emu.sent(22) == []
    assert all("could not reach you on time" in m["plain_text"] for m in got)
    assert {("CP501" in m["plain_text"]) for m in got} == {True, False}
    sent = await rows(world, status=ReminderStatus.SENT)
    assert sorted((r.notice_id, r.kind) for r in sent) == sorted(
        [(a, "before:7"), (a, "before:3"), (a, "before:1"), (b, "before:7"), (b, "before:3")]
    )
    assert {r.status for r in await rows(world, notice_id=c) if r.due_at < world.clock.now()} == {
        ReminderStatus.CANCELLED
    }
    calls = [c["t"] for c in world.emu.calls("sendMessage")]
    assert calls[1] - calls[0] >= 0.95  # the same chat: one per second


async def test_429_waits_retry_after_then_delivers_once(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    await world.person_with_notice(31, date(2026, 10, 5), reminder_offsets=[0])
    world.clock.set(datetime(2026, 10, 5, 14, tzinfo=UTC))
    world.emu.fault("sendMessage", 429, times=1, retry_after=1)
    svc = world.service()
    await svc.start()
    await world.emu.wait_sent(31, timeout=4)
    calls = world.emu.calls("sendMessage")
    assert [c["status"] for c in calls] == [429, 200]
    assert calls[1]["t"] - calls[0]["t"] >= 1.0
    assert svc.counters.retried == 1 and svc.counters.sent == 1
    await until(lambda: _all_sent(world))


async def _all_sent(world: World) -> bool:
    """Everything due by now is recorded as sent."""
    return {r.status for r in await rows(world) if r.due_at <= world.clock.now()} == {ReminderStatus.SENT}


async def test_server_errors_and_timeouts_retry_with_backoff_and_keep_the_reminder(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    await world.person_with_notice(32, date(2026, 10, 5), reminder_offsets=[0])
    world.clock.set(datetime(2026, 10, 5, 14, tzinfo=UTC))
    world.emu.fault("sendMessage", 502, times=2)
    world.emu.fault("sendMessage", stall=3.0, times=1)
    svc = world.service()
    svc.sender.timeout = 0.5  # type: ignore[attr-defined]
    await svc.start()
    await world.emu.wait_sent(32, timeout=6)
    calls = world.emu.calls("sendMessage")
    assert [c["status"] for c in calls][:2] == [502, 502] and len(world.emu.sent(32)) == 1
    gaps = [b["t"] - a["t"] for a, b in zip(calls, calls[1:], strict=False)]
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2  # exponential backoff
    await until(lambda: _all_sent(world))
    [r] = [r for r in await rows(world) if r.kind == "day"]
    assert r.attempts == 3 and svc.counters.retried == 3


async def test_blocked_person_is_marked_inactive_paused_and_resumed(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    nid = await world.person_with_notice(33, date(2026, 10, 5), reminder_offsets=[1, 0])
    await world.person_with_notice(34, date(2026, 10, 5), reminder_offsets=[1, 0])
    world.clock.set(datetime(2026, 10, 4, 14, tzinfo=UTC))
    world.emu.fault("sendMessage", 403, chat_id=33, times=None, description="Forbidden: bot was blocked by the user")
    svc = world.service()
    await svc.start()
    await world.emu.wait_sent(34, timeout=3)
    await until(lambda: _paused(world, nid))
    async with world.sm() as s:
        assert not (await s.get(User, 33)).active
    world.emu.clear_faults()
    async with world.sm() as s:
        await resume_user(s, 33, world.clock.now())
        await s.commit()
    svc.poke()
    [msg] = await world.emu.wait_sent(33, timeout=3)
    assert "Tomorrow" in msg["plain_text"]


async def _paused(world: World, nid: int) -> bool:
    return {r.status for r in await rows(world, notice_id=nid)} == {ReminderStatus.PAUSED}


@pytest.mark.serial  # measures a rate
async def test_global_and_per_chat_rate_limits(world: World) -> None:
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    async with world.sm() as s:
        for uid in range(100, 130):  # 30 people with two notices each: 60 messages
            await add_person(s, uid)
            for due in (date(2026, 10, 5), date(2026, 10, 6)):
                await replan_notice(s, (await add_notice(s, uid, due)).id, world.clock.now())
        await s.commit()
    world.clock.set(datetime(2026, 10, 7, tzinfo=UTC))  # everything due at once
    svc = world.service(global_rate=20.0, batch_size=50)
    await svc.start()
    await until(lambda: _count_sent(world, 60), timeout=8)
    calls = [c for c in world.emu.calls("sendMessage") if c["status"] == 200]
    assert len(calls) == 60
    times = sorted(c["t"] for c in calls)
    for i, t in enumerate(times):  # any 1-second window: 20, +1 at the edge, +1 for HTTP jitter
        assert sum(1 for u in times[i:] if u < t + 1.0) <= 22
    assert 0.9 * 20 < 59 / (times[-1] - times[0]) <= 1.05 * 20  # used, not exceeded (HTTP jitter at the ends)
    by_chat: dict[int, list[float]] = {}
    for c in calls:
        by_chat.setdefault(c["chat_id"], []).append(c["t"])
    assert all(len(ts) == 2 and ts[1] - ts[0] >= 0.99 for ts in by_chat.values())


async def _count_sent(world: World, n: int) -> bool:
    return len(world.emu.sent()) >= n


async def test_a_disputed_hard_notice_is_still_reminded_before_its_date(world: World) -> None:
    """Issue 14: marking an LT11 disputed used to cancel its reminders before the CDP date; they go
    out, say that only Form 12153 keeps the right, and offer it first."""
    world.clock.set(datetime(2026, 10, 1, tzinfo=UTC))
    nid = await world.person_with_notice(31, date(2026, 10, 20), code="LT11", timezone="America/New_York",
                                         reminder_offsets=[3])
    async with world.sm() as s:
        (await s.get(Notice, nid)).status = NoticeStatus.DISPUTED  # type: ignore[union-attr]
        await replan_notice(s, nid, world.clock.now())
        await s.commit()
    world.clock.set(datetime(2026, 10, 17, 13, tzinfo=UTC) - timedelta(seconds=LEAD))  # 09:00 EDT, 3 days before
    svc = world.service()
    await svc.start()
    [msg] = await world.emu.wait_sent(31, timeout=3)
    assert "only Form 12153 (the request for a CDP hearing) keeps the right" in msg["plain_text"]
    first = msg["reply_markup"]["inline_keyboard"][0][0]
    assert first == {"text": "🏛 Request a hearing (Form 12153)", "callback_data": f"rm:tool:{nid}"}
