"""Reminder engine benchmark: start-up, memory, throughput, rate accuracy and lateness at scale.

python bench/reminders.py [--pending N] [--json] [--no-pg]

The parent fills a SQLite database with N pending reminders (spread over the next 60 days) and
starts the Bot API emulator in its own process. Then:
  1. the product's sending process, `noticebot worker`, is started as a real process with 20,000
     reminders already due and no effective rate limit: from process start to the first sendMessage
     the emulator receives, the rate at which the emulator receives them (its own clock), and the
     worker's peak RSS;
  2. the service runs in child processes (so each peak RSS is its own), once with a no-I/O sender
     (the engine alone: start-up, unthrottled rate) and once with the product's sender
     (BotApiReminderSender) to the emulator: the achieved rate against a 30/s and a 1,000/s limit
     with a backlog, and lateness when reminders fall due at 25/s under a 30/s limit (the engine
     child measures the same, without I/O);
  3. for comparison a child adds 100,000 one-shot APScheduler jobs (MemoryJobStore): the naive
     "one job per reminder" design.
With PostgreSQL reachable at 127.0.0.1:5432, step 1 and the engine's start-up and rate are
repeated there. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: its calendar.py would shadow the standard library's

UNTHROTTLED_DUE = 20_000
NAIVE_JOBS = 100_000
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
FIRST_ID = 10_000_000  # people and notices made by a child start at a multiple of this, above the filler


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: the latter carries over the parent's peak
    into a child started with fork + exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


# --- filling --------------------------------------------------------------------------------


def filler_rows(pending: int, now: datetime):  # type: ignore[no-untyped-def]
    """Four reminders per notice, one notice per person, due over the next 60 days."""
    people = max(1, pending // 4)
    users = [(i, "en", "America/New_York", 0, 540, "[7, 3, 1, 0]", 1, iso(now), iso(now)) for i in range(1, people + 1)]
    notices = [(i, i, "CP14", "[2024]", 0, 0, "", "open", 0, iso(now), iso(now), i, f"bench-{i}")
               for i in range(1, people + 1)]
    kinds = ("before:7", "before:3", "before:1", "day")
    reminders = [
        (1 + k % people, 1 + k % people, kinds[k // people % 4],
         iso(now + timedelta(hours=1, seconds=(k * 5184) % 5_184_000)), "pending", 2, 0, iso(now))
        for k in range(pending)
    ]
    return users, notices, reminders


SQL_USER = ("INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, reminder_offsets, "
            "active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")
SQL_CASE = "INSERT INTO cases (id, user_id, tax_form, tax_years, created_at, updated_at) VALUES (?,?,?,?,?,?)"
SQL_NOTICE = ("INSERT INTO notices (id, user_id, code, tax_years, respond_by_estimated, abroad, notes, status, "
              "sequence, created_at, updated_at, case_id, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
SQL_REMINDER = ("INSERT INTO reminders (notice_id, user_id, kind, due_at, status, priority, attempts, created_at) "
                "VALUES (?,?,?,?,?,?,?,?)")


def fill_sqlite(path: Path, pending: int) -> float:
    from storage.migrate import upgrade

    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    started = time.perf_counter()
    users, notices, reminders = filler_rows(pending, datetime.now(UTC))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executemany(SQL_USER, users)
        db.executemany(SQL_CASE, [(n[0], n[1], "1040", n[3], n[9], n[10]) for n in notices])  # a case each
        db.executemany(SQL_NOTICE, notices)
        db.executemany(SQL_REMINDER, reminders)
    return time.perf_counter() - started


async def fill_postgres(url: str, pending: int) -> None:
    import asyncpg

    from storage.migrate import upgrade

    await upgrade(url)
    users, notices, reminders = filler_rows(pending, datetime.now(UTC))
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        def aware(s: str) -> datetime:
            return datetime.fromisoformat(s).replace(tzinfo=UTC)

        await conn.copy_records_to_table("users", columns=[
            "id", "language", "timezone", "timezone_confirmed", "reminder_minute", "reminder_offsets", "active",
            "created_at", "updated_at"],
            records=[(u[0], u[1], u[2], False, u[4], u[5], True, aware(u[7]), aware(u[8])) for u in users])
        await conn.copy_records_to_table("cases", columns=[
            "id", "user_id", "tax_form", "tax_years", "created_at", "updated_at"],
            records=[(n[0], n[1], "1040", n[3], aware(n[9]), aware(n[10])) for n in notices])
        await conn.copy_records_to_table("notices", columns=[
            "id", "user_id", "code", "tax_years", "respond_by_estimated", "abroad", "notes", "status", "sequence",
            "created_at", "updated_at", "case_id", "uid"],
            records=[(n[0], n[1], n[2], n[3], False, False, "", "open", 0, aware(n[9]), aware(n[10]), n[11], n[12])
                     for n in notices])
        await conn.copy_records_to_table("reminders", columns=[
            "notice_id", "user_id", "kind", "due_at", "status", "priority", "attempts", "created_at"],
            records=[(r[0], r[1], r[2], aware(r[3]), r[4], r[5], r[6], aware(r[7])) for r in reminders])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# --- the service child ----------------------------------------------------------------------


class Timing:
    """Wraps the real sender and notes when each send started and how late it was."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.starts: list[float] = []
        self.late: list[float] = []
        self.target = 0
        self.reached = asyncio.Event()

    async def send(self, item) -> None:  # type: ignore[no-untyped-def]
        self.starts.append(time.monotonic())
        self.late.append((datetime.now(UTC) - item.due_at).total_seconds())
        if len(self.starts) >= self.target:
            self.reached.set()
        await self.inner.send(item)


async def add_due(sm, first_id: int, count: int, at, spacing: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    """``count`` people with one open notice and one reminder each, due at ``at`` (+ i*spacing s)."""
    from sqlalchemy import insert

    from storage.models import Case, Notice, Reminder, User

    ids = range(first_id, first_id + count)
    async with sm() as s, s.begin():
        await s.execute(insert(User), [{"id": i} for i in ids])
        await s.execute(insert(Case), [{"id": i, "user_id": i, "tax_form": "1040", "tax_years": [2024]} for i in ids])
        await s.execute(insert(Notice), [{"id": i, "user_id": i, "case_id": i, "code": "CP14", "notes": "",
                                          "tax_years": [2024]} for i in ids])
        await s.execute(insert(Reminder), [
            {"notice_id": i, "user_id": i, "kind": "day", "priority": 0, "attempts": 0,
             "due_at": at + timedelta(seconds=(i - first_id) * spacing)} for i in ids
        ])


async def run_until(sender: Timing, count: int, timeout: float) -> None:
    sender.target = count
    if len(sender.starts) < count:
        sender.reached.clear()
        try:
            await asyncio.wait_for(sender.reached.wait(), timeout)
        except TimeoutError:
            print(f"only {len(sender.starts)} of {count} sent in {timeout:.0f} s", file=sys.stderr)


def achieved(starts: list[float]) -> float:
    return (len(starts) - 1) / (starts[-1] - starts[0]) if len(starts) > 1 else 0.0


class NullSender:
    """No I/O: measures the engine alone (claim, limits, record)."""

    async def send(self, item) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(0)


async def child(url: str, emu: str, phases: str, base: int) -> dict:  # type: ignore[type-arg]
    """With ``emu`` = "-", a NullSender and no bot import: the engine's own speed and memory.
    ``phases``: "start" (start-up and unthrottled rate), "limits" (rate limits and lateness), or both."""
    from sqlalchemy import text

    from scheduler.service import ReminderService
    from storage.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    out: dict[str, float] = {}
    if emu == "-":
        def make_sender() -> Timing:
            return Timing(NullSender())
    else:
        from bot.reminder_sender import BotApiReminderSender
        from emulator import DEMO_TOKEN

        api = BotApiReminderSender(emu, DEMO_TOKEN)

        def make_sender() -> Timing:
            return Timing(api)

    # As app/run.py does before starting the service: what start-up built stays out of full collections.
    gc.collect()
    gc.freeze()

    async def phase(rate: float | None, first: int, count: int, timeout: float) -> Timing:
        sender = make_sender()
        svc = ReminderService(sm, sender, global_rate=rate)
        await svc.start()
        await run_until(sender, count, timeout)
        await svc.stop()
        async with sm() as s, s.begin():  # whatever did not make it must not spill into the next phase
            await s.execute(text("UPDATE reminders SET status='cancelled' WHERE status='pending' "
                                 "AND notice_id >= :first"), {"first": first})
        return sender

    if "start" in phases:
        # Start-up with a backlog due, then the unthrottled rate (process start to first delivery is
        # measured on the worker process, see worker_run).
        await add_due(sm, base, UNTHROTTLED_DUE, datetime.now(UTC) - timedelta(seconds=1))
        sender = make_sender()
        svc = ReminderService(sm, sender, global_rate=None)
        t0 = time.monotonic()
        await svc.start()
        await run_until(sender, 1, 30)
        out["service_start_to_first_delivery_s"] = sender.starts[0] - t0
        await run_until(sender, UNTHROTTLED_DUE, 120)
        out["unthrottled_per_s"] = achieved(sender.starts)
        await svc.stop()
    if "limits" in phases:
        # Achieved rate against a limit, with a backlog of about 15 and 10 seconds' worth.
        for rate, count, first in ((30, 450, base + 100_000), (1000, 10_000, base + 200_000)):
            await add_due(sm, first, count, datetime.now(UTC) - timedelta(seconds=1))
            done = await phase(float(rate), first, count, count / rate * 1.5 + 5)
            out[f"achieved_ratio_{rate}"] = achieved(done.starts) / rate
        # Lateness: 250 reminders falling due at 25/s under a 30/s limit.
        first = base + 300_000
        await add_due(sm, first, 250, datetime.now(UTC) + timedelta(seconds=3), spacing=0.04)
        late = sorted((await phase(30.0, first, 250, 30)).late)
        out["lateness_p50_s"] = statistics.median(late)
        out["lateness_p99_s"] = late[min(len(late) - 1, int(len(late) * 0.99))]
    out["peak_rss_mb"] = peak_rss_mb()
    if emu != "-":
        await api.close()
    await engine.dispose()
    return out


# --- the product's worker process -----------------------------------------------------------


async def emulator_calls(emu: str, reset: bool = False) -> list[dict]:  # type: ignore[type-arg]
    from emulator import EmulatorClient

    async with EmulatorClient(emu) as client:
        if reset:
            await client.reset()
            return []
        return await client.calls("sendMessage")


async def emulator_cursor(emu: str) -> int:
    from emulator import EmulatorClient

    async with EmulatorClient(emu) as client:
        return await client.cursor()


async def add_due_rows(url: str, first: int, count: int) -> None:
    from storage.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    try:
        await add_due(make_sessionmaker(engine), first, count, datetime.now(UTC) - timedelta(seconds=1))
    finally:
        await engine.dispose()


def worker_run(url: str, emu: str, first: int) -> dict[str, float]:
    """`noticebot worker` as a real process, ``UNTHROTTLED_DUE`` reminders due, measured on the
    emulator's side: process start → first sendMessage received, and the rate they arrive at."""
    from emulator import DEMO_TOKEN

    asyncio.run(add_due_rows(url, first, UNTHROTTLED_DUE))
    asyncio.run(emulator_calls(emu, reset=True))
    target = asyncio.run(emulator_cursor(emu)) + UNTHROTTLED_DUE  # the cursor counts messages ever sent
    with tempfile.TemporaryDirectory() as home:  # no developer's .env is read from here
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "PYTHONPATH": str(ROOT),
               "DATABASE_URL": url, "BOT_TOKEN": DEMO_TOKEN, "TELEGRAM_API_URL": emu, "HTTP_PORT": "0",
               "REMINDER_RATE": "1000000",  # no effective limit: the rate the process can send at
               "LOG_LEVEL": "WARNING"}
        log = Path(home) / "worker.log"
        with log.open("wb") as out:
            started = time.time()
            proc = subprocess.Popen([sys.executable, "-m", "app", "worker"], cwd=home, env=env,
                                    stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 180
            while asyncio.run(emulator_cursor(emu)) < target:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker stopped or stalled:\n{log.read_text()[-3000:]}")
                time.sleep(0.25)
            rss = peak_rss_mb_of(proc.pid)
        finally:
            proc.terminate()
            code = proc.wait(30)
        if code != 0:
            raise RuntimeError(f"worker exited with {code}:\n{log.read_text()[-3000:]}")
    walls = sorted(c["wall"] for c in asyncio.run(emulator_calls(emu)) if c["status"] == 200)
    return {"start_to_first_delivery_s": walls[0] - started,
            "unthrottled_per_s": (len(walls) - 1) / (walls[-1] - walls[0]),
            "peak_rss_mb": rss, "delivered": len(walls)}


def peak_rss_mb_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc")


async def naive_child(jobs: int) -> dict:  # type: ignore[type-arg]
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    async def remind() -> None:
        return None

    started = time.perf_counter()
    sched = AsyncIOScheduler(timezone=UTC)
    sched.start()
    base = datetime.now(UTC) + timedelta(hours=1)
    for i in range(jobs):
        sched.add_job(remind, "date", run_date=base + timedelta(seconds=i % 5_184_000), id=str(i))
    await asyncio.sleep(0)  # let the scheduler process its wake-up with every job in place
    took = time.perf_counter() - started
    sched.shutdown(wait=False)
    return {"naive_start_s": took, "naive_rss_mb": peak_rss_mb()}


# --- orchestration --------------------------------------------------------------------------


def run_child(*args: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_emulator() -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.rsplit(" ", 1)[-1].strip()


def pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


async def pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("URL", "EMU", "PHASES", "BASE"), help=argparse.SUPPRESS)
    parser.add_argument("--naive-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, emu, phases, base = args.child
        print(json.dumps(asyncio.run(child(url, emu, phases, int(base)))))
        return
    if args.naive_child:
        print(json.dumps(asyncio.run(naive_child(args.naive_child))))
        return

    def say(msg: str) -> None:
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    def rounded(d: dict) -> dict:  # type: ignore[type-arg]
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in d.items()}

    result: dict[str, object] = {"pending": args.pending}
    emulator, emu_url = start_emulator()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            say(f"filling SQLite with {args.pending:,} pending reminders...")
            result["fill_s"] = round(fill_sqlite(db, args.pending), 1)
            url = f"sqlite+aiosqlite:///{db}"
            say("`noticebot worker` with 20,000 due, to the emulator...")
            result.update(worker_run(url, emu_url, 3 * FIRST_ID))
            say("the service with a null sender (the engine alone)...")
            engine_only = run_child("--child", url, "-", "start,limits", str(FIRST_ID))
            say("the service with the product's sender to the emulator, against rate limits...")
            limits = run_child("--child", url, emu_url, "limits", str(2 * FIRST_ID))
            result.update({k: v for k, v in limits.items() if k != "peak_rss_mb"})
            result["engine"] = rounded(engine_only)
        say(f"naive: {NAIVE_JOBS:,} APScheduler jobs...")
        result.update(run_child("--naive-child", str(NAIVE_JOBS)))
        if not args.no_pg and pg_reachable():
            name = f"nb_bench_reminders_{os.getpid()}"
            asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
            try:
                url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
                say(f"filling PostgreSQL with {args.pending:,} pending reminders...")
                asyncio.run(fill_postgres(url, args.pending))
                say("`noticebot worker` on PostgreSQL, then the engine alone...")
                pg = worker_run(url, emu_url, 3 * FIRST_ID)
                pg["engine"] = rounded(run_child("--child", url, "-", "start", str(FIRST_ID)))
                result["postgres"] = rounded(pg)
            finally:
                asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        emulator.terminate()
        emulator.wait(10)
    print(json.dumps(rounded(result)))


if __name__ == "__main__":
    main()
