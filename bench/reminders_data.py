"""The database bench/reminders.py runs on: N pending reminders written straight into a migrated
SQLite or PostgreSQL database (one person and notice per four reminders, due over the next 60 days),
and reminders already due added through the models for each measurement."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


# --- filling --------------------------------------------------------------------------------


def filler_rows(pending: int, now: datetime):  # type: ignore[no-untyped-def]
    """Four reminders per notice, one notice per person, due over the next 60 days."""
    people = max(1, pending // 4)
    users = [(i, "en", "America/New_York", 0, 540, "[7, 3, 1, 0]", 1, iso(now), iso(now)) for i in range(1, people + 1)]
    notices = [(i, i, f"bench-{i}", "CP14", "[2024]", 0, 0, "", "open", 0, iso(now), iso(now), i)  # case i
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
SQL_NOTICE = ("INSERT INTO notices (id, user_id, uid, code, tax_years, respond_by_estimated, abroad, notes, status, "
              "sequence, created_at, updated_at, case_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
SQL_CASE = "INSERT INTO cases (id, user_id, tax_form, tax_years, created_at, updated_at) VALUES (?,?,?,?,?,?)"
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
        db.executemany(SQL_CASE, [(n[0], n[1], "1040", n[4], n[10], n[11]) for n in notices])  # a case each
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
            records=[(n[0], n[1], "1040", n[4], aware(n[10]), aware(n[11])) for n in notices])
        await conn.copy_records_to_table("notices", columns=[
            "id", "user_id", "uid", "code", "tax_years", "respond_by_estimated", "abroad", "notes", "status",
            "sequence", "created_at", "updated_at", "case_id"],
            records=[(n[0], n[1], n[2], n[3], n[4], False, False, "", "open", 0, aware(n[10]), aware(n[11]), n[12])
                     for n in notices])
        await conn.copy_records_to_table("reminders", columns=[
            "notice_id", "user_id", "kind", "due_at", "status", "priority", "attempts", "created_at"],
            records=[(r[0], r[1], r[2], aware(r[3]), r[4], r[5], r[6], aware(r[7])) for r in reminders])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


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


async def add_due_rows(url: str, first: int, count: int) -> None:
    from storage.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    try:
        await add_due(make_sessionmaker(engine), first, count, datetime.now(UTC) - timedelta(seconds=1))
    finally:
        await engine.dispose()
