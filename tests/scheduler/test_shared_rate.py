"""One global rate for every process sending through the bot: slots reserved on a shared schedule.

First with an in-memory schedule (the limiter's own logic: pacing across limiters, a retry_after
shared, a schedule that fails), then on PostgreSQL: two services, each with its own engine as two
processes would have, keep the configured rate together.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from scheduler.items import DueItem
from scheduler.ratelimit import GlobalLimiter
from scheduler.service import ReminderService
from storage import reminders as store
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Case, Notice, Reminder, User

# Every test here measures a rate: they run in the serial phase (tests/conftest.py).
pytestmark = pytest.mark.serial


class MemorySchedule:
    """The database's schedule in memory, on the loop's clock."""

    def __init__(self) -> None:
        self.next_at = 0.0
        self.reservations: list[int] = []
        self.failing = False

    async def reserve(self, count: int, interval: float) -> float:
        if self.failing:
            raise ConnectionError("database away")
        now = asyncio.get_running_loop().time()
        start = max(self.next_at, now)
        self.next_at = start + count * interval
        self.reservations.append(count)
        return start - now

    async def delay(self, seconds: float) -> None:
        now = asyncio.get_running_loop().time()
        self.next_at = max(self.next_at, now + seconds)


def rate_of(times: list[float]) -> float:
    times = sorted(times)
    return (len(times) - 1) / (times[-1] - times[0])


def worst_second(times: list[float]) -> int:
    """The most grants in any one-second window."""
    times = sorted(times)
    return max((sum(1 for u in times[i:] if u < t + 1.0) for i, t in enumerate(times)), default=0)


async def grant_all(limiter: GlobalLimiter, count: int, times: list[float]) -> None:
    async def one() -> None:
        await limiter.acquire()
        times.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(count)))


async def test_two_limiters_on_one_schedule_keep_one_rate_together() -> None:
    shared = MemorySchedule()
    a, b = GlobalLimiter(40.0, shared=shared), GlobalLimiter(40.0, shared=shared)
    times: list[float] = []
    await asyncio.gather(grant_all(a, 60, times), grant_all(b, 60, times))
    assert 36 <= rate_of(times) <= 42, rate_of(times)  # alone, each would grant 40/s: 80/s together
    assert max(shared.reservations) == 4, "a tenth of a second's worth per reservation at 40/s"


async def test_a_limiter_alone_reserves_only_what_waits() -> None:
    shared = MemorySchedule()
    limiter = GlobalLimiter(100.0, shared=shared)
    await grant_all(limiter, 1, [])
    assert shared.reservations == [1]  # one waiting send reserves one slot, not ten


async def test_a_retry_after_in_one_process_pauses_the_others() -> None:
    shared = MemorySchedule()
    a, b = GlobalLimiter(50.0, shared=shared), GlobalLimiter(50.0, shared=shared)
    await grant_all(a, 3, [])
    a.pause(0.5)
    await asyncio.sleep(0.01)  # the delay reaches the schedule in the background
    began = time.monotonic()
    await grant_all(b, 1, [])
    assert time.monotonic() - began >= 0.45


async def test_a_pause_that_cannot_be_shared_still_pauses_this_process(caplog: pytest.LogCaptureFixture) -> None:
    shared = MemorySchedule()

    async def unreachable(seconds: float) -> None:
        raise ConnectionError("database away")

    shared.delay = unreachable  # type: ignore[method-assign]
    limiter = GlobalLimiter(50.0, shared=shared)
    with caplog.at_level(logging.WARNING, logger="noticebot.reminders"):
        limiter.pause(0.3)
        began = time.monotonic()
        await grant_all(limiter, 1, [])
    assert time.monotonic() - began >= 0.25
    assert "could not share a retry_after pause" in caplog.text


async def test_an_unreachable_schedule_falls_back_to_local_pacing(caplog: pytest.LogCaptureFixture) -> None:
    shared = MemorySchedule()
    shared.failing = True
    limiter = GlobalLimiter(50.0, shared=shared)
    times: list[float] = []
    with caplog.at_level(logging.INFO, logger="noticebot.reminders"):
        await grant_all(limiter, 20, times)
        assert len(times) == 20 and rate_of(times) <= 51  # paced locally
        assert times[1] - times[0] >= 0.019, "the start of a burst does not grant two at once"
        assert caplog.text.count("shared send schedule unavailable") == 1, "said once, not per send"
        shared.failing = False
        limiter._shared_retry_at = 0.0  # as if SHARED_RETRY_S had passed
        await grant_all(limiter, 1, [])
    assert shared.reservations == [1] and "reachable again" in caplog.text


async def test_slots_left_over_an_idle_spell_are_dropped_not_sent_late() -> None:
    """Issue 18: a slot reserved and left unused (its send was cancelled) must not be used seconds
    later, when another process may hold the slots of that moment."""
    shared = MemorySchedule()
    limiter = GlobalLimiter(40.0, shared=shared)
    await limiter._lock.acquire()  # four sends queue up, so the first reserves four slots
    tasks = [asyncio.create_task(limiter.acquire()) for _ in range(4)]
    await asyncio.sleep(0)
    limiter._lock.release()
    await tasks[0]
    for task in tasks[1:]:
        task.cancel()
    await asyncio.gather(*tasks[1:], return_exceptions=True)
    assert shared.reservations == [4] and limiter._reserved == 3
    await asyncio.sleep(0.3)  # idle: the three slots pass
    await limiter.acquire()
    assert shared.reservations == [4, 1], "stale slots dropped, a fresh one reserved"


async def test_unlimited_uses_no_schedule() -> None:
    shared = MemorySchedule()
    await grant_all(GlobalLimiter(None, shared=shared), 50, [])
    assert shared.reservations == []


# --- on PostgreSQL --------------------------------------------------------------------------

RATE, DUE = 25.0, 100


class Timed:
    def __init__(self, times: list[float], ids: list[int], done: asyncio.Event) -> None:
        self.times, self.ids, self.done = times, ids, done

    async def send(self, item: DueItem) -> None:
        self.times.append(time.monotonic())
        self.ids.extend(item.reminder_ids)
        if len(self.ids) >= DUE:
            self.done.set()


@pytest.mark.postgres
async def test_two_services_on_postgresql_keep_the_configured_rate_together(pg_url: str) -> None:
    await upgrade(pg_url)
    engines = [make_engine(pg_url) for _ in range(2)]
    async with engines[0].begin() as conn:
        now = datetime.now(UTC)
        await conn.execute(insert(User), [{"id": i} for i in range(1, DUE + 1)])
        await conn.execute(insert(Case), [{"id": i, "user_id": i, "tax_form": "1040", "tax_years": [2024]}
                                          for i in range(1, DUE + 1)])  # a bulk insert: each notice's case by hand
        await conn.execute(insert(Notice), [{"id": i, "user_id": i, "case_id": i, "code": "CP14", "tax_years": [2024],
                                             "notes": ""} for i in range(1, DUE + 1)])
        await conn.execute(insert(Reminder), [{"notice_id": i, "user_id": i, "kind": "day", "priority": 0,
                                               "attempts": 0, "due_at": now - timedelta(seconds=1)}
                                              for i in range(1, DUE + 1)])
    times: list[float] = []
    ids: list[int] = []
    done = asyncio.Event()
    services = [ReminderService(make_sessionmaker(e), Timed(times, ids, done), global_rate=RATE, batch_size=20)
                for e in engines]
    for svc in services:
        await svc.start()
    try:
        await asyncio.wait_for(done.wait(), 30)
    finally:
        for svc in services:
            await svc.stop()
        for e in engines:
            await e.dispose()
    assert sorted(ids) == list(range(1, DUE + 1)), "each reminder once"
    assert all(svc.counters.sent > 10 for svc in services), "both shared the work"
    assert 0.9 * RATE <= rate_of(times) <= 1.05 * RATE, rate_of(times)
    assert worst_second(times) <= RATE + 1, "never more than the rate in any second (+1 for clock granularity)"
    print(f"\nFIGURES shared rate {RATE}/s: achieved {rate_of(times):.1f}/s, worst second {worst_second(times)}")


@pytest.mark.postgres
async def test_the_database_schedule_reserves_in_order_and_honours_a_delay(pg_url: str) -> None:
    await upgrade(pg_url)
    engine = make_engine(pg_url)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            # Epoch seconds in float8 carry ~0.2 µs of rounding: "now" is within a millisecond.
            assert await store.reserve_send_slots(s, "t", 5, 0.1) == pytest.approx(0.0, abs=1e-3)  # free now
            second = await store.reserve_send_slots(s, "t", 1, 0.1)
            assert 0.45 <= second <= 0.5  # after the first five slots
            await store.delay_sends(s, "t", 3.0)
            assert await store.reserve_send_slots(s, "t", 1, 0.1) >= 2.9
            assert await store.reserve_send_slots(s, "other", 1, 0.1) == pytest.approx(0.0, abs=1e-3)  # by name
    finally:
        await engine.dispose()
