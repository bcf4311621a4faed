"""Issue 18: database faults during a reminder burst and during intake, with the real `noticebot run`.

- PostgreSQL (pytest.mark.postgres): every connection of the bot is killed (pg_terminate_backend on
  the test's own database, so nobody else's work is touched) four times a second for several seconds
  while reminders fall due and people register notices. Nothing is lost: every reminder is
  delivered, every notice the bot said was saved is stored once, and a person hears "try again"
  only when their save truly failed (nothing stored); the process recovers without a restart.
- SQLite: another process holds the write lock for 10 s in one go (BEGIN IMMEDIATE) while notices
  are registered and reminders fall due: the bot waits (busy_timeout 30 s), nobody is told to try
  again, nothing is lost.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pytest

from emulator import EmulatorServer
from tests.reliability.support import (
    TOKEN,
    bot_process,
    button,
    money,
    plain,
    record,
    scaled,
    seed_due,
    sql,
    wait_message,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

APOLOGY = "something went wrong"
# Four kills a second: at one a second CI once (in ~130 registrations) caught a Save whose failure
# went unanswered (the apology path read the detached person row); this rate finds it every run.
KILL_EVERY_S = 0.25


async def register(emu: EmulatorServer, uid: int, cents: int, timeout: float = 45) -> str:
    """Message → card → Save: "saved", "apology" (told to try again) or "silent" (no answer)."""
    cursor = emu.cursor
    emu.inject_message(uid, f"got a CP14 for 2024, owe {money(cents)}, dated 3/1/2026", language_code="en")
    card = await wait_message(emu, uid, cursor, lambda m: (money(cents) in plain(m) and button(m, "Save") is not None)
                              or APOLOGY in plain(m).lower(), timeout)
    if card is None:
        return "silent"
    if APOLOGY in plain(card).lower():
        return "apology"
    cursor = emu.cursor
    qid = emu.inject_callback(uid, card["message_id"], button(card, "Save") or "")

    def answered() -> bool:
        alert = (emu.callback_answer(qid).get("text") or "").lower()
        return APOLOGY in alert or any("Saved." in plain(m) for m in emu.sent(uid, cursor))

    if not await emu.wait_until(answered, timeout):
        return "silent"
    return "saved" if any("Saved." in plain(m) for m in emu.sent(uid, cursor)) else "apology"


def delivered(emu: EmulatorServer, lo: int, hi: int) -> Counter[int]:
    return Counter(r.chat_id for r in emu.records.values() if r.outgoing and lo <= r.chat_id <= hi)


async def spread_due(url: str, users: list[int], start_s: float, over_s: float) -> None:
    """One reminder per person, due one after another from ``start_s`` for ``over_s`` seconds."""
    now = datetime.now(UTC)
    await seed_due(url, users, now + timedelta(days=1))
    dues = [now + timedelta(seconds=start_s + i * over_s / len(users)) for i in range(len(users))]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split(":///", 1)[1]) as conn:
            conn.executemany("UPDATE reminders SET due_at = ? WHERE user_id = ?",
                             [(d.replace(tzinfo=None).isoformat(" "), u) for d, u in zip(dues, users, strict=True)])
        return
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.executemany("UPDATE reminders SET due_at = $1 WHERE user_id = $2", list(zip(dues, users, strict=True)))
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_postgres_connections_killed_during_a_reminder_burst_and_intake(pg_url: str, tmp_path: Path) -> None:
    reminders = scaled(60, 300)
    users = list(range(680_000, 680_000 + reminders))
    await spread_due(pg_url, users, start_s=8, over_s=12)
    raw = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    dbname = raw.rsplit("/", 1)[1]
    killed: list[int] = []

    async def killer(stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(raw.rsplit("/", 1)[0] + "/postgres")
        try:
            while not stop.is_set():
                n = await conn.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = $1 AND pid <> pg_backend_pid()", dbname)
                killed.append(int(n))
                try:
                    await asyncio.wait_for(stop.wait(), KILL_EVERY_S)
                except TimeoutError:
                    pass
        finally:
            await conn.close()

    async with EmulatorServer(tokens=[TOKEN]) as emu:
        proc = bot_process(emu, pg_url, tmp_path)
        await proc.start()
        stop = asyncio.Event()
        outcomes: dict[int, str] = {}
        try:
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) >= 1, 40)
            kill_task = asyncio.create_task(killer(stop))
            cents = iter(range(80_000, 10**9, 17))
            began = time.monotonic()
            k = 0
            while time.monotonic() - began < 8:  # intake all through the kills, one person each
                c = next(cents)
                outcomes[c] = await register(emu, 681_000 + k, c)
                k += 1
            stop.set()
            await kill_task
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) == reminders, 90), (
                len(delivered(emu, users[0], users[-1])))
            after = await register(emu, 682_000, 4_242)  # recovered, no restart
            async with aiohttp.ClientSession() as http, http.get(f"{proc.url}/healthz") as resp:
                healthy = resp.status == 200
        finally:
            stop.set()
            await proc.stop()
        logs = proc.logs()
        got = delivered(emu, users[0], users[-1])
    conn = await asyncpg.connect(raw)
    try:
        stored = Counter(a for (a,) in await conn.fetch("SELECT amount_cents FROM notices WHERE user_id >= 681000"))
        unsent = await conn.fetchval("SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id < 681000")
    finally:
        await conn.close()
    kinds = Counter(outcomes.values())
    false_alarms = [c for c, o in outcomes.items() if o == "apology" and stored[c]]
    assert sum(killed) > 0, "connections were killed"
    assert len(got) == reminders and unsent == 0, "no reminder lost"
    assert kinds["silent"] == 0, f"every registration got an answer: {kinds}"
    assert all(stored[c] == 1 for c, o in outcomes.items() if o == "saved"), "every 'Saved.' is stored once"
    assert max(stored.values()) == 1, "nothing stored twice"
    assert not false_alarms, f"told to try again although saved: {false_alarms}"
    assert after == "saved" and stored[4_242] == 1 and healthy
    record("postgres_connections_killed", kills=len(killed), connections_killed=sum(killed), reminders=reminders,
           delivered=len(got), duplicates=sum(got.values()) - len(got), registrations=len(outcomes),
           saved=kinds["saved"], told_to_retry=kinds["apology"], false_alarms=len(false_alarms),
           handler_failures_logged=logs.count("handler failed"))


async def test_sqlite_write_lock_held_10_s_by_another_process(tmp_path: Path) -> None:
    reminders = scaled(40, 200)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    db = url.split(":///", 1)[1]
    users = list(range(690_000, 690_000 + reminders))
    await spread_due(url, users, start_s=6, over_s=10)
    held: list[float] = []
    locked = threading.Event()

    def locker() -> None:
        conn = sqlite3.connect(db, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # the write lock, as another writer would hold it
            t = time.monotonic()
            locked.set()
            time.sleep(10.0)
            conn.execute("COMMIT")
            held.append(time.monotonic() - t)
        finally:
            conn.close()

    async with EmulatorServer(tokens=[TOKEN]) as emu:
        proc = bot_process(emu, url, tmp_path)
        await proc.start()
        thread = threading.Thread(target=locker, daemon=True)
        try:
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) >= 1, 40)
            thread.start()
            await asyncio.to_thread(locked.wait, 10)
            cents = iter(range(90_000, 10**9, 19))
            outcomes: dict[int, str] = {}
            waits: list[float] = []
            for k in range(3):  # registered while the lock is held
                c = next(cents)
                t = time.monotonic()
                outcomes[c] = await register(emu, 691_000 + k, c, timeout=40)
                waits.append(time.monotonic() - t)
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) == reminders, 90)
        finally:
            await asyncio.to_thread(thread.join, 30)
            await proc.stop()
        logs = proc.logs()
        got = delivered(emu, users[0], users[-1])
    stored = Counter(a for (a,) in sql(db, "SELECT amount_cents FROM notices WHERE user_id >= 691000"))
    assert held and held[0] >= 9.9, "the lock was held 10 s"
    assert set(outcomes.values()) == {"saved"}, outcomes
    assert all(stored[c] == 1 for c in outcomes)
    assert len(got) == reminders and set(got.values()) == {1}
    assert sql(db, "SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id < 691000") == [(0,)]
    assert "handler failed" not in logs and "Traceback" not in logs
    record("sqlite_locked_10s", held_s=round(held[0], 1), reminders=reminders, delivered=len(got),
           registrations=len(outcomes), saved=len(outcomes), longest_registration_s=round(max(waits), 1))

