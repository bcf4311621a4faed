"""The delivery service: wake at the next due instant, claim, send within Telegram's limits, record.

APScheduler only wakes us: one date job at the next due instant (moved whenever an earlier reminder
appears) and an interval job as a safety sweep. The reminders table decides what is due, so the job
store holds two jobs whatever the number of reminders and processes can share one database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notices.reminder_kinds import Slot
from scheduler import planner
from scheduler.clock import Clock, SystemClock
from scheduler.errors import Blocked, RetryAfter, TransientError
from scheduler.items import ReminderSender
from scheduler.jobs import Job, sort_claimed, viewer_pairs
from scheduler.ratelimit import ChatSpacing, GlobalLimiter
from scheduler.shared_rate import DatabaseSchedule, is_postgres
from storage import reminders as store

log = logging.getLogger("noticebot.reminders")

MAX_FAILED_ATTEMPTS = 8  # unexpected errors (not 429/5xx/timeouts) give up after this many tries
MAX_BACKOFF_S = 600.0
# The writer records at most once per this window: under load many sends share one transaction,
# instead of one per wake-up (a transaction every few sends, part of the aiosqlite thread's ~17%
# of the service's core); a lone send is still recorded at once (as before, so a button pressed
# right after the message finds the reminder already sent). The trade-off: a crash can repeat at
# most the sends of one window, and those are still only the "in flight" ones (delivered, not yet
# recorded), as without the window. A claim records everything first anyway; stop() records all.
RECORD_WINDOW_S = 0.025


@dataclass
class Counters:
    """For /metrics: reminders claimed as due, messages sent, failures, retries, last lateness."""

    due: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    lag_s: float = 0.0


@dataclass
class _Outcomes:
    """Results waiting to be written; the writer turns many sends into one statement."""

    sent: list[int] = field(default_factory=list)
    released: list[tuple[tuple[int, ...], datetime | None, str | None, bool]] = field(default_factory=list)
    given_up: list[tuple[int, ...]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    replan: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.sent or self.released or self.given_up or self.blocked or self.replan)

    def merge(self, other: _Outcomes) -> None:
        self.sent += other.sent
        self.released += other.released
        self.given_up += other.given_up
        self.blocked |= other.blocked
        self.replan |= other.replan


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class ReminderService:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        sender: ReminderSender,
        *,
        clock: Clock | None = None,
        worker_id: str | None = None,
        global_rate: float | None = 30.0,
        per_chat_interval: float = 1.0,
        batch_size: int = 200,
        lease_seconds: float = 300.0,
        sweep_seconds: float = 30.0,
        catch_up_after: float = 600.0,
        retry_base_s: float = 2.0,
        share_rate: bool | None = None,
    ) -> None:
        """``share_rate``: keep ``global_rate`` across every process on the database (default: on
        PostgreSQL, where several may send)."""
        self.sessionmaker = sessionmaker
        self.sender = sender
        self.clock = clock or SystemClock()
        self.worker_id = worker_id or default_worker_id()
        self.batch_size = batch_size
        self.max_in_flight = 2 * batch_size
        self.lease = timedelta(seconds=lease_seconds)
        self.sweep_seconds = sweep_seconds
        self.catch_up_after = timedelta(seconds=catch_up_after)
        self.retry_base_s = retry_base_s
        self.counters = Counters()
        if share_rate is None:
            share_rate = is_postgres(sessionmaker)
        self._limiter = GlobalLimiter(global_rate, shared=DatabaseSchedule(sessionmaker) if share_rate else None)
        self._chats = ChatSpacing(per_chat_interval)
        self._scheduler: AsyncIOScheduler | None = None
        self._wakeup = asyncio.Event()
        self._dirty = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._out = _Outcomes()
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: set[asyncio.Task[None]] = set()  # not sending yet: safe to cancel on stop
        self._runner: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._next_wake: datetime | None = None
        self._retry_times: set[datetime] = set()  # when rows this worker backed off become due
        self._pokes = 0
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Start inside the running loop; whatever is already due (missed while down) goes first."""
        self._stopping = False
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            # A wake-up that comes late must still run: the default grace of 1 s would drop it.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._scheduler.add_job(self._on_sweep, "interval", seconds=self.sweep_seconds, id="sweep")
        self._scheduler.start()
        self._runner = asyncio.create_task(self._run(), name="reminders-dispatch")
        self._writer = asyncio.create_task(self._write_loop(), name="reminders-record")
        self._wakeup.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Let sends already on the wire finish, record them, and hand every other lease back."""
        self._stopping = True
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in (self._runner, *self._waiting):
            if task is not None:
                task.cancel()
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._flush()
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        async with self.sessionmaker() as session, session.begin():
            await store.release_worker(session, self.worker_id)

    @property
    def alive(self) -> bool:
        return (
            not self._stopping
            and self._scheduler is not None and self._scheduler.running
            and self._runner is not None and not self._runner.done()
            and self._writer is not None and not self._writer.done()
        )

    def poke(self, due_at: datetime | None = None) -> None:
        """Something changed (call after the commit): wake now, or earlier than planned."""
        if self._scheduler is None or self._stopping:
            return
        self._pokes += 1
        if due_at is None or due_at <= self.clock.now():
            self._wakeup.set()
        elif self._next_wake is None or due_at < self._next_wake:
            self._arm(due_at)

    # --- waking ---------------------------------------------------------------------------

    async def _on_wake(self) -> None:
        self._next_wake = None
        self._wakeup.set()

    async def _on_sweep(self) -> None:
        self._wakeup.set()

    def _arm(self, at: datetime) -> None:
        assert self._scheduler is not None
        # APScheduler runs on real time; the clock may be shifted (tests), so convert via a delay.
        delay = max(0.0, (at - self.clock.now()).total_seconds())
        run_date = datetime.now(UTC) + timedelta(seconds=delay)
        self._scheduler.add_job(self._on_wake, "date", run_date=run_date, id="wake", replace_existing=True)
        self._next_wake = at

    async def _arm_next(self) -> None:
        pokes = self._pokes
        now = self.clock.now()
        async with self.sessionmaker() as session:
            nxt = await store.next_due(session, now)
        self._retry_times = {t for t in self._retry_times if t > now}
        nxt = min((t for t in (nxt, *self._retry_times) if t is not None), default=None)
        if nxt is not None and nxt <= now or pokes != self._pokes:
            self._wakeup.set()  # became due meanwhile, or a poke raced with the query
        elif nxt is not None:
            self._arm(nxt)

    # --- dispatching ----------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            try:
                await self._drain()
                await self._arm_next()
            except Exception:
                log.exception("reminder dispatch failed; retrying shortly")
                await asyncio.sleep(1.0)
                self._wakeup.set()

    async def _drain(self) -> None:
        """Claim and start sends until nothing is due, keeping at most ``max_in_flight`` claimed."""
        while True:
            room = self.max_in_flight - len(self._tasks)
            if room < self.batch_size:
                await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
                continue
            jobs = await self._claim(self.batch_size)
            if not jobs:
                return
            for job in jobs:
                task = asyncio.create_task(self._deliver(job))
                self._tasks.add(task)
                self._waiting.add(task)
                task.add_done_callback(self._tasks.discard)
                task.add_done_callback(self._waiting.discard)

    async def _claim(self, limit: int) -> list[Job]:
        # Record what is already sent first: a sent row must never look claimable again (lease ran out).
        await self._flush()
        now = self.clock.now()
        async with self.sessionmaker() as session, session.begin():
            claimed = await store.claim(session, self.worker_id, now, now + self.lease, limit)
            if not claimed:
                return []
            rows = await store.notice_rows(session, {c.notice_id for c in claimed})
            readers = await store.readers(session, viewer_pairs(claimed, rows))
            found = sort_claimed(claimed, rows, readers, now, self.catch_up_after)
            await store.set_status(session, found.cancelled, store.CANCELLED)
            await store.set_status(session, found.paused, store.PAUSED)
        self.counters.due += len(claimed) - len(found.cancelled) - len(found.paused)
        return found.jobs

    async def _deliver(self, job: Job) -> None:
        item = job.item
        started = False
        await self._chats.acquire(item.chat_id)
        try:
            await self._limiter.acquire()
            started = True
        finally:
            self._chats.release(item.chat_id, started=started)
        self._waiting.discard(asyncio.current_task())
        ids = item.reminder_ids
        begun = self.clock.now()
        try:
            await self.sender.send(item)
        except RetryAfter as exc:
            self._limiter.pause(exc.seconds)
            self._retry(ids, begun + timedelta(seconds=exc.seconds), "429", count=False)
        except TransientError as exc:
            self._retry(ids, begun + self._backoff(job.attempts), f"transient: {exc!r}", count=True)
        except Blocked:
            self.counters.failed += 1
            self._out.blocked.add(item.user_id)
            log.info("person blocked the bot; reminders paused", extra={"user_id": item.user_id})
        except Exception as exc:
            self.counters.failed += 1
            log.exception("reminder send failed", extra={"notice_id": item.notice_id})
            if job.attempts + 1 >= MAX_FAILED_ATTEMPTS:
                self._out.given_up.append(ids)
            else:
                self._out.released.append((ids, begun + self._backoff(job.attempts), repr(exc), True))
        else:
            self.counters.sent += 1
            self.counters.lag_s = max(0.0, (begun - item.due_at).total_seconds())
            self._out.sent += ids
            if any(k.slot is Slot.OVERDUE for k in item.kinds):
                self._out.replan.add(item.notice_id)  # plan the next nudges beyond the horizon
        self._dirty.set()

    def _retry(self, ids: tuple[int, ...], at: datetime, error: str, *, count: bool) -> None:
        self.counters.retried += 1
        self._out.released.append((ids, at, error, count))
        self._dirty.set()
        self._retry_times.add(at)
        self.poke(at)

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_base_s * 2**attempts, MAX_BACKOFF_S))

    # --- recording ------------------------------------------------------------------------

    async def _write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        last = float("-inf")
        while True:
            await self._dirty.wait()
            if (wait := last + RECORD_WINDOW_S - loop.time()) > 0:
                await asyncio.sleep(wait)  # recorded a moment ago: gather what else completes meanwhile
            self._dirty.clear()
            last = loop.time()
            try:
                await self._flush()
            except Exception:
                log.exception("recording reminder outcomes failed; retrying")
                await asyncio.sleep(1.0)
                self._dirty.set()

    async def _flush(self) -> None:
        async with self._flush_lock:
            out, self._out = self._out, _Outcomes()
            if not out:
                return
            try:
                async with self.sessionmaker() as session, session.begin():
                    # Recorded at flush time: at most a few milliseconds after the send itself.
                    await store.mark_sent(session, out.sent, self.worker_id, self.clock.now())
                    for ids, retry_at, error, count in out.released:
                        await store.release(session, ids, self.worker_id, retry_at, error, count_attempt=count)
                    for ids in out.given_up:
                        await store.set_status(session, ids, store.CANCELLED)
                    for user_id in out.blocked:
                        await store.pause_user(session, user_id)
                    for notice_id in out.replan:
                        await planner.replan_notice(session, notice_id, self.clock.now())
            except BaseException:
                out.merge(self._out)  # keep everything for the next attempt
                self._out = out
                raise
