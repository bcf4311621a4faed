"""Two workers on one PostgreSQL share the reminders: none sent twice, none lost, even when a third
worker dies holding a batch."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from scheduler.items import DueItem
from scheduler.service import ReminderService
from storage import reminders as store
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Case, Notice, Reminder, User

pytestmark = pytest.mark.postgres
N = 20_000


class RecordingSender:
    def __init__(self, log: list[tuple[str, int]], name: str) -> None:
        self.log, self.name = log, name

    async def send(self, item: DueItem) -> None:
        await asyncio.sleep(0)  # a real send yields to the loop
        self.log.extend((self.name, rid) for rid in item.reminder_ids)


async def _fill(url: str) -> None:
    await upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(insert(User), [{"id": i, "reminder_offsets": [7, 3, 1, 0]} for i in range(1, N + 1)])
        await conn.execute(insert(Case), [{"id": i, "user_id": i, "tax_form": "1040", "tax_years": [2024]}
                                          for i in range(1, N + 1)])  # a bulk insert: each notice's case by hand
        await conn.execute(insert(Notice), [{"id": i, "user_id": i, "case_id": i, "code": "CP14", "tax_years": [2024],
                                              "notes": ""} for i in range(1, N + 1)])
        await conn.execute(insert(Reminder), [
            {"notice_id": i, "user_id": i, "kind": "day", "due_at": now - timedelta(seconds=i % 600),
             "priority": i % 5, "attempts": 0} for i in range(1, N + 1)
        ])
    async with make_sessionmaker(engine)() as s, s.begin():  # a worker that dies holding a batch
        await store.claim(s, "ghost", now, now + timedelta(seconds=1.5), 300)
    await engine.dispose()


async def _worker(url: str, name: str, log: list[tuple[str, int]]) -> None:
    engine = make_engine(url, pool_size=5)
    sm = make_sessionmaker(engine)
    svc = ReminderService(sm, RecordingSender(log, name), worker_id=name, global_rate=None,
                          per_chat_interval=0.0, batch_size=500, sweep_seconds=0.5)
    await svc.start()
    try:
        async with asyncio.timeout(60):
            while True:
                await asyncio.sleep(0.2)
                async with sm() as s:
                    if await s.scalar(select(func.count()).where(Reminder.status == "pending")) == 0:
                        break
    finally:
        await svc.stop()
        await engine.dispose()


def test_two_workers_deliver_20000_reminders_once_each(pg_url: str) -> None:
    asyncio.run(_fill(pg_url))
    log: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            asyncio.run(_worker(pg_url, name, log))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    per_reminder = Counter(rid for _, rid in log)
    assert len(per_reminder) == N, "lost reminders"
    assert max(per_reminder.values()) == 1, "a reminder went out twice"
    per_worker = Counter(name for name, _ in log)
    assert set(per_worker) == {"w1", "w2"} and min(per_worker.values()) > N // 10, per_worker

    async def sent_rows() -> int:
        engine = make_engine(pg_url)
        async with engine.connect() as conn:
            count = await conn.scalar(select(func.count()).where(Reminder.status == "sent"))
        await engine.dispose()
        return int(count or 0)

    assert asyncio.run(sent_rows()) == N
    assert time.monotonic() - started < 60
