"""Database faults with the real `noticebot run`:

- SQLite: another process takes the write lock (BEGIN IMMEDIATE) and holds it for seconds, several
  times, while the bot registers notices and sends a stream of reminders. Busy waits, nothing fails:
  every confirmed notice is stored once, every reminder is delivered once and recorded, no update
  reaches the errors router.
- PostgreSQL (pytest.mark.postgres): the server is restarted mid-run with pg_ctlcluster. The bot
  reconnects, reminders due during and after the outage go out, nothing is lost, and a notice
  registered after the restart is saved. The restart affects everyone using the server, so the
  server is started again in a finally block whatever happens.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
    sqlite_path,
    wait_message,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


async def register(emu: EmulatorServer, uid: int, cents: int, timeout: float = 40) -> bool:
    """Message → card → Save; True when the bot said "Saved.". Each is another letter (its own date):
    the same code, year and date again is a duplicate the bot refuses to save twice."""
    cursor = emu.cursor
    day = 1 + cents % 28
    emu.inject_message(uid, f"got a CP14 for 2024, owe {money(cents)}, dated 3/{day}/2026", language_code="en")
    card = await wait_message(emu, uid, cursor, lambda m: money(cents) in plain(m) and button(m, "Save") is not None,
                              timeout)
    if card is None:
        return False
    cursor = emu.cursor
    emu.inject_callback(uid, card["message_id"], button(card, "Save") or "")
    return await wait_message(emu, uid, cursor, lambda m: "Saved." in plain(m), timeout) is not None


def delivered(emu: EmulatorServer, lo: int, hi: int) -> Counter[int]:
    return Counter(r.chat_id for r in emu.records.values() if r.outgoing and lo <= r.chat_id <= hi)


async def test_sqlite_write_lock_held_by_another_process(tmp_path: Path) -> None:
    reminders = scaled(60, 300)
    holds = scaled(3, 8)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    db = sqlite_path(url)
    users = list(range(660_000, 660_000 + reminders))
    # Due one after another over the test, so sends keep needing the database while it is locked.
    now = datetime.now(UTC)
    await seed_due(url, users, now + timedelta(days=1))
    with sqlite3.connect(db) as conn:
        for i, u in enumerate(users):
            due = (now + timedelta(seconds=8 + i * 12 / reminders)).replace(tzinfo=None).isoformat(" ")
            conn.execute("UPDATE reminders SET due_at = ? WHERE user_id = ?", (due, u))
    held: list[float] = []

    def locker(stop: threading.Event) -> None:
        conn = sqlite3.connect(db, timeout=30, isolation_level=None)
        try:
            while not stop.is_set() and len(held) < holds:
                conn.execute("BEGIN IMMEDIATE")  # the write lock, as another writer would hold it
                t = time.monotonic()
                conn.execute("UPDATE users SET updated_at = updated_at WHERE id = ?", (users[0],))
                stop.wait(2.0)
                conn.execute("COMMIT")
                held.append(time.monotonic() - t)
                stop.wait(1.5)
        finally:
            conn.close()

    async with EmulatorServer(tokens=[TOKEN]) as emu:
        proc = bot_process(emu, url, tmp_path)
        await proc.start()
        stop = threading.Event()
        thread = threading.Thread(target=locker, args=(stop,), daemon=True)
        thread.start()
        try:
            cents = iter(range(70_000, 10**9, 13))
            confirmed: list[int] = []
            for k in range(scaled(6, 20)):
                c = next(cents)
                if await register(emu, 661_000 + k % 3, c):
                    confirmed.append(c)
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) == reminders, 90)
        finally:
            stop.set()
            await asyncio.to_thread(thread.join, 30)
        for _ in range(100):
            if sql(db, "SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id >= ? AND user_id <= ?",
                   users[0], users[-1]) == [(0,)]:
                break
            await emu.wait_until(lambda: False, 0.1)
        await proc.stop()
        logs = proc.logs()
        got = delivered(emu, users[0], users[-1])
    assert held, "the lock was never taken"
    assert set(got.values()) == {1} and len(got) == reminders
    assert sql(db, "SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id >= ? AND user_id <= ?",
               users[0], users[-1]) == [(0,)]
    stored = Counter(a for (a,) in sql(db, "SELECT amount_cents FROM notices WHERE user_id >= 661000"))
    assert confirmed and all(stored[c] == 1 for c in confirmed)
    assert "handler failed" not in logs and "Traceback" not in logs
    record("sqlite_locked", lock_holds=len(held), held_s=round(sum(held), 1), reminders=reminders,
           delivered=len(got), notices_confirmed=len(confirmed))


PG_VERSION = next(iter(sorted(os.listdir("/etc/postgresql"))), "") if os.path.isdir("/etc/postgresql") else ""


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", action],
                   check=True, capture_output=True, timeout=120)


async def pg_ready(admin: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = await asyncpg.connect(admin, timeout=2)
            await conn.close()
            return
        except (OSError, asyncpg.PostgresError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


@pytest.mark.postgres
async def test_postgres_restarted_mid_run(pg_url: str, tmp_path: Path) -> None:
    if not PG_VERSION or not os.access("/usr/bin/pg_ctlcluster", os.X_OK):
        pytest.skip("pg_ctlcluster is not available here (a Debian PostgreSQL cluster is needed)")
    from tests.conftest import PG_ADMIN_URL

    reminders = scaled(40, 200)
    users = list(range(670_000, 670_000 + reminders))
    now = datetime.now(UTC)
    # Half due before the restart, half due during and after it.
    await seed_due(pg_url, users, now + timedelta(days=1))
    raw = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(raw)
    try:
        for i, u in enumerate(users):
            await conn.execute("UPDATE reminders SET due_at = $1 WHERE user_id = $2",
                               now + timedelta(seconds=10 + i * 16 / reminders), u)
    finally:
        await conn.close()
    async with EmulatorServer(tokens=[TOKEN]) as emu:
        proc = bot_process(emu, pg_url, tmp_path)
        await proc.start()
        t = time.monotonic()
        try:
            assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) >= reminders // 4, 60)
            t = time.monotonic()
            pg_ctl("stop")
            await asyncio.sleep(2.0)  # the database is down for a while, not just a blip
        finally:
            pg_ctl("start")
            await pg_ready(PG_ADMIN_URL)
            outage = time.monotonic() - t
        assert await emu.wait_until(lambda: len(delivered(emu, users[0], users[-1])) == reminders, 90), (
            len(delivered(emu, users[0], users[-1])))
        saved_after = await register(emu, 671_000, 42_42)
        conn = await asyncpg.connect(raw)
        try:
            for _ in range(100):
                left = await conn.fetchval("SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id < 671000")
                if left == 0:
                    break
                await asyncio.sleep(0.1)
            stored = await conn.fetchval("SELECT count(*) FROM notices WHERE user_id = 671000 AND amount_cents = 4242")
        finally:
            await conn.close()
        await proc.stop()
        got = delivered(emu, users[0], users[-1])
    assert len(got) == reminders and max(got.values()) <= 2
    assert left == 0
    assert saved_after and stored == 1
    record("postgres_restart", reminders=reminders, delivered=len(got), duplicates=sum(got.values()) - len(got),
           outage_s=round(outage, 1))
