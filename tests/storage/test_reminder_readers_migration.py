"""0012_reminder_readers on SQLite and PostgreSQL with data in it: the owner's reminders are kept,
a viewer's copy of the same slot at the same instant fits under the new key (a second one does
not), and going back down drops only the viewers' copies."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.db import make_engine
from storage.migrate import upgrade

BEFORE = "0011_case_shares"
AT = "'2026-10-01 00:00:00+00:00'"
DUE = "'2026-11-17 14:00:00+00:00'"


async def _run(url: str, *sql: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        for statement in sql:
            await conn.execute(text(statement))
    await engine.dispose()


def _reminder(user_id: int) -> str:
    return ("INSERT INTO reminders (notice_id, user_id, kind, due_at, status, priority, attempts, created_at) "
            f"VALUES (1, {user_id}, 'before:7', {DUE}, 'pending', 1, 0, {AT})")


async def _readers(url: str) -> list[int]:
    engine = make_engine(url)
    async with engine.connect() as conn:
        found = [row[0] for row in await conn.execute(text("SELECT user_id FROM reminders ORDER BY user_id"))]
    await engine.dispose()
    return found


async def test_0012_on_sqlite(sqlite_url: str) -> None:
    await _check(sqlite_url)


async def test_0012_on_postgresql(pg_url: str) -> None:
    await _check(pg_url)


async def _check(url: str) -> None:
    await upgrade(url, BEFORE)
    users = ("INSERT INTO users (id, language, language_chosen, timezone, timezone_confirmed, reminder_minute, "
             "reminder_offsets, active, calendar_details, created_at, updated_at) VALUES ({id}, 'en', false, "
             f"'America/New_York', false, 540, '[7]', true, false, {AT}, {AT})")
    await _run(url, users.format(id=1), users.format(id=2),
               f"INSERT INTO cases (id, user_id, tax_form, tax_years, created_at, updated_at) VALUES (1, 1, '1040', '[2024]', {AT}, {AT})",
               "INSERT INTO notices (id, uid, user_id, case_id, code, tax_years, respond_by_estimated, abroad, notes, "
               f"status, sequence, created_at, updated_at) VALUES (1, 'u-1', 1, 1, 'CP14', '[2024]', false, false, '', "
               f"'open', 0, {AT}, {AT})",
               _reminder(1))
    await upgrade(url)
    assert await _readers(url) == [1]
    await _run(url, _reminder(2))  # the viewer's copy of the same slot, same instant
    assert await _readers(url) == [1, 2]
    with pytest.raises(IntegrityError):
        await _run(url, _reminder(2))  # but only one per reader
    engine = make_engine(url)
    await migrate._with_connection(engine, url, lambda cfg: command.downgrade(cfg, BEFORE))
    await engine.dispose()
    assert await _readers(url) == [1]
