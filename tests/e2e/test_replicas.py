"""Scale-out: two webhook replicas behind a round-robin load balancer, each also a reminder worker,
on one PostgreSQL and one Redis. Updates spread over both, a conversation that moves between them
continues, every reminder goes out exactly once, and a replica stopping leaves the other serving."""

from __future__ import annotations

import asyncio
import json
import random
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select

from emulator import EmulatorClient, EmulatorServer
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Notice, Reminder, User
from tests.e2e.conftest import Chat
from tests.e2e.test_redis import ANSWER, NOTICE, asks_notice_date
from tests.e2e.test_webhook import StartBot, metric, webhook_bots

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

REMINDERS = 30


class LoadBalancer:
    """Round robin over the replicas; a replica that refuses the connection or answers 503 (it is
    stopping) is skipped, as a real balancer's health checks and retries would."""

    def __init__(self) -> None:
        self.backends: list[str] = []
        self.routed: list[tuple[int, int, int]] = []  # (update_id, backend index, status)
        self._next = 0
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self.forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        update_id = json.loads(body).get("update_id", -1)
        keep = {"content-type", "x-telegram-bot-api-secret-token"}
        headers = {k: v for k, v in request.headers.items() if k.lower() in keep}
        for _ in range(len(self.backends)):
            index = self._next % len(self.backends)
            self._next += 1
            try:
                async with self._http.post(self.backends[index] + request.path, data=body, headers=headers) as resp:
                    if resp.status == 503:
                        continue
                    payload = await resp.read()
                    self.routed.append((update_id, index, resp.status))
                    ctype = resp.headers.get("Content-Type", "application/json")
                    return web.Response(status=resp.status, body=payload, headers={"Content-Type": ctype})
            except aiohttp.ClientConnectionError:
                continue
        return web.Response(status=502)

    def replica_of(self, update_id: int) -> int:
        return next(i for uid, i, status in self.routed if uid == update_id and status == 200)


@pytest.fixture
async def replica_factory(emulator: EmulatorServer, tmp_path: Path) -> AsyncIterator[StartBot]:
    async with webhook_bots(emulator, tmp_path) as start:
        yield start


@pytest.fixture
async def balancer() -> AsyncIterator[LoadBalancer]:
    lb = LoadBalancer()
    await lb.start()
    yield lb
    await lb.stop()


async def seed_due_reminders(pg_url: str, first_due: datetime, users: list[int]) -> None:
    """One open notice per person, each with a reminder; due one after another from ``first_due``."""
    engine = make_engine(pg_url)
    now = datetime.now(UTC)
    async with make_sessionmaker(engine)() as session:
        session.add_all(User(id=u, language="en", timezone="America/New_York") for u in users)
        await session.flush()
        notices = [Notice(user_id=u, code="CP14", tax_years=[2024], respond_by=now.date() + timedelta(days=20))
                   for u in users]
        session.add_all(notices)
        await session.flush()
        session.add_all(
            Reminder(notice_id=n.id, user_id=n.user_id, kind="before:7", due_at=first_due + timedelta(seconds=0.1 * k),
                     priority=3, status="pending", attempts=0, created_at=now)
            for k, n in enumerate(notices)
        )
        await session.commit()
    await engine.dispose()


async def reminders_sent(pg_url: str) -> int:
    engine = make_engine(pg_url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Reminder).where(Reminder.status == "sent")) or 0)
    finally:
        await engine.dispose()


async def settled(client: EmulatorClient) -> None:
    """Every injected update answered (the balancer has recorded where it went)."""
    deadline = time.monotonic() + 10
    while (await client.info())["pending_updates"]:
        assert time.monotonic() < deadline, "updates still pending"
        await asyncio.sleep(0.02)


async def test_two_replicas_two_workers_one_postgres_one_redis(
    replica_factory: StartBot, client: EmulatorClient, balancer: LoadBalancer, pg_url: str, redis_url: str
) -> None:  # type: ignore[no-untyped-def]
    await upgrade(pg_url)  # migrations first (`noticebot migrate`), as deploy/README.md says
    env = {"database_url": pg_url, "webhook_url": f"{balancer.url}/telegram/hook", "ready_timeout": 60,
           "WEBHOOK_DELETE_ON_STOP": "false", "REDIS_URL": redis_url}
    # Two processes starting at once on a busy machine: a longer start-up allowance than usual.
    replicas = list(await asyncio.gather(replica_factory(**env), replica_factory(**env)))
    balancer.backends = [r.url for r in replicas]
    deadline = time.monotonic() + 10
    while not (await client.info())["webhook"]:
        assert time.monotonic() < deadline, "no webhook set"
        await asyncio.sleep(0.05)

    base = random.randint(10**8, 9 * 10**8)  # fresh ids: the Redis FSM keys are shared between runs
    reminder_people = [base + 1000 + k for k in range(REMINDERS)]
    await seed_due_reminders(pg_url, datetime.now(UTC) + timedelta(seconds=2), reminder_people)

    # 1. Updates spread over both replicas. (Each new person's first message also wakes that
    #    replica's reminder worker, so both are armed for the reminders seeded above.)
    for k in range(4):
        (reply,) = await Chat(client, base + k).say("/help")
        assert "/notices" in reply["text"]
    await settled(client)
    per_replica = Counter(i for _, i, status in balancer.routed if status == 200)
    assert per_replica[0] >= 2 and per_replica[1] >= 2, balancer.routed

    # 2. A conversation that moves between replicas continues (its state is in Redis).
    person = Chat(client, base + 50)
    card = await person.say(NOTICE)
    assert asks_notice_date(card), card
    await settled(client)
    asked_on = balancer.replica_of(balancer.routed[-1][0])
    (updated,) = await person.say(ANSWER)
    await settled(client)
    assert balancer.replica_of(balancer.routed[-1][0]) != asked_on, balancer.routed
    assert "Notice date: November 3, 2026" in updated["text"], updated["text"]

    # 3. Every reminder is delivered once, by whichever worker claimed it.
    deadline = time.monotonic() + 40
    while await reminders_sent(pg_url) < REMINDERS:
        assert time.monotonic() < deadline, f"only {await reminders_sent(pg_url)} of {REMINDERS} reminders sent"
        await asyncio.sleep(0.25)
    await asyncio.sleep(1.0)  # anything sent twice would arrive now
    for chat_id in reminder_people:
        got = [m for m in await client.sent(chat_id) if "Reminder" in (m.get("text") or "")]
        assert len(got) == 1, (chat_id, got)
    sent_by = []
    async with aiohttp.ClientSession() as http:
        for r in replicas:
            async with http.get(r.metrics_url) as resp:
                text = await resp.text()
            sent_by.append(metric(text, "noticebot_reminders_sent_total"))
            assert metric(text, "noticebot_reminder_worker_up") == 1
            assert metric(text, "noticebot_updates_total", type="message", outcome="handled") >= 1
            async with http.get(f"{r.url}/healthz") as resp:
                assert resp.status == 200
    assert sum(sent_by) == REMINDERS, sent_by
    print(f"reminders sent per worker: {sent_by}; updates per replica: {dict(per_replica)}")

    # 4. One replica stops (a rolling upgrade): the webhook stays, the other serves everything.
    assert await replicas[0].stop(signal.SIGTERM) == 0, replicas[0].logs()
    assert (await client.info())["webhook"] is not None
    for k in range(2):
        (reply,) = await Chat(client, base + 60 + k).say("/help")
        assert "/notices" in reply["text"]
    await settled(client)
    assert {i for _, i, status in balancer.routed[-2:]} == {1}
    for r in replicas:
        assert "Traceback" not in r.logs(), r.logs()
