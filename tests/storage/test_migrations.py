"""Alembic: an empty database reaches head, and the models match the migrations (no drift)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect, select, text

from storage import migrate
from storage.db import make_engine, make_sessionmaker
from storage.migrate import check, upgrade
from storage.models import Notice, Reminder, User
from storage.types import UTCDateTime

# The notices table as revisions 0004-0009 made it (before cases), for rows written at those revisions.
OLD_NOTICES = sa.table(
    "notices", *(sa.column(name) for name in (
        "id", "user_id", "uid", "code", "notice_date", "stated_due_date", "received_date", "respond_by",
        "respond_by_estimated", "abroad", "notes", "status", "sequence")),
    sa.column("tax_years", sa.JSON), sa.column("amount_cents", sa.BigInteger),
    sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()))


def old_notice(**values: Any) -> dict[str, Any]:
    """One row of ``OLD_NOTICES`` with the defaults the ORM would have given."""
    at = values.pop("created_at", datetime(2026, 10, 1, tzinfo=UTC))
    return {"uid": str(uuid.uuid4()), "tax_years": [], "amount_cents": None, "notice_date": None,
            "stated_due_date": None, "received_date": None, "respond_by": None, "respond_by_estimated": False,
            "abroad": False, "notes": "", "status": "open", "sequence": 0, "created_at": at, "updated_at": at,
            **values}


TABLES = {"users", "cases", "notices", "reminders", "notice_events", "checklist_progress", "send_schedule", "alembic_version"}


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    return names


async def _roundtrip(url: str) -> None:
    """Instants come back aware UTC and money as integer cents on every backend."""
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    eastern = timezone(timedelta(hours=-5))
    async with sm() as s:
        s.add(User(id=42, language="es", timezone="America/Chicago"))
        s.add(Notice(id=1, user_id=42, code="CP14", tax_years=[2024], amount_cents=341218,
                     notice_date=date(2026, 11, 3), respond_by=date(2026, 11, 24)))
        await s.flush()
        s.add(Reminder(notice_id=1, user_id=42, kind="before",
                       due_at=datetime(2026, 11, 17, 9, 0, tzinfo=eastern)))
        await s.commit()
    async with sm() as s:
        reminder = (await s.execute(select(Reminder))).scalar_one()
        assert reminder.due_at == datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
        assert reminder.due_at.tzinfo is not None
        notice = await s.get(Notice, 1)
        assert notice is not None and notice.amount_cents == 341218 and notice.tax_years == [2024]
    await engine.dispose()


async def test_sqlite_upgrade_to_head_and_no_drift(sqlite_url: str) -> None:
    await upgrade(sqlite_url)
    assert await _tables(sqlite_url) >= TABLES
    await check(sqlite_url)
    await upgrade(sqlite_url)  # running it again on every start is harmless
    await _roundtrip(sqlite_url)


@pytest.mark.postgres
async def test_postgres_upgrade_to_head_and_no_drift(pg_url: str) -> None:
    await upgrade(pg_url)
    assert await _tables(pg_url) >= TABLES
    await check(pg_url)
    await _roundtrip(pg_url)


async def test_naive_datetimes_are_refused(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        s.add(User(id=1))
        s.add(Notice(id=1, user_id=1, code="CP14"))
        await s.flush()
        s.add(Reminder(notice_id=1, user_id=1, kind="before", due_at=datetime(2026, 1, 1, 9)))
        with pytest.raises(Exception, match="naive"):
            await s.commit()


async def test_deleting_a_person_cascades(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    from storage import people
    from storage.models import NoticeEvent

    async with sessionmaker() as s:
        s.add(User(id=7))
        s.add(Notice(id=3, user_id=7, code="CP501"))
        await s.flush()
        s.add(NoticeEvent(notice_id=3, kind="created"))
        s.add(Reminder(notice_id=3, user_id=7, kind="before", due_at=datetime.now(UTC)))
        await s.commit()
        await people.forget(s, 7)
        await s.commit()
        for model in (User, Notice, NoticeEvent, Reminder):
            assert (await s.execute(select(model))).first() is None


def test_head_constant_is_alembics_head(sqlite_url: str) -> None:
    """storage.migrate.HEAD lets a start skip Alembic; it must name the newest migration."""
    from alembic.script import ScriptDirectory

    from storage.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config(sqlite_url)).get_current_head() == HEAD, (
        "a migration was added: set storage.migrate.HEAD to its revision id"
    )


def test_a_current_sqlite_file_starts_without_alembic(sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The first start migrates; later starts find the file current and never import Alembic."""
    import sqlite3
    import subprocess
    import sys

    from storage.migrate import sqlite_is_current

    path = sqlite_url.split("///", 1)[1]
    assert not sqlite_is_current(path)  # no file yet
    code = ("import asyncio, sys; from app.startup import open_database; "
            f"e = asyncio.run(open_database({sqlite_url!r})); asyncio.run(e.dispose()); "
            "print('alembic' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert first.stdout.strip() == "True" and sqlite_is_current(path)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert again.stdout.strip() == "False"
    with sqlite3.connect(path) as db:
        assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")} >= TABLES


async def test_0006_clears_abroad_read_from_words_and_moves_hard_dates_earlier_only(sqlite_url: str) -> None:
    # Regression (issue 14): "abroad" in a message stored abroad=True and 150 days on a CP3219A.
    await upgrade(sqlite_url, "0005_privacy_settings")  # the revision before 0006
    engine = make_engine(sqlite_url)
    sm = make_sessionmaker(engine)
    old_day = datetime(2027, 2, 22, 14, 0, tzinfo=UTC)  # 7 days before the 150-day date
    async with sm() as s:
        # The person in SQL: the ORM's User has columns added by later revisions (language_chosen).
        await s.execute(text(
            "INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, reminder_offsets, "
            "active, created_at, updated_at) VALUES (7, 'en', 'America/New_York', 0, 540, '[7, 3, 1, 0]', 1, "
            "'2026-10-01 00:00:00', '2026-10-01 00:00:00')"))
        # The notices in SQL too: the ORM's Notice has columns of later revisions (case_id).
        await s.execute(sa.insert(OLD_NOTICES), [
            old_notice(id=1, user_id=7, code="CP3219A", notice_date=date(2026, 10, 1), respond_by=date(2027, 3, 1),
                       abroad=True),
            old_notice(id=2, user_id=7, code="CP3219A", notice_date=date(2026, 10, 1), respond_by=date(2027, 2, 26),
                       stated_due_date=date(2027, 2, 26), abroad=True),  # a printed last day controls
            old_notice(id=3, user_id=7, code="LT11", notice_date=date(2026, 10, 1), respond_by=date(2026, 11, 2),
                       abroad=True),
            # saved without a notice date under the old 7-day assumption: received Nov 10 -> Dec 3
            old_notice(id=4, user_id=7, code="LT11", received_date=date(2026, 11, 10), respond_by=date(2026, 12, 3),
                       respond_by_estimated=True),
        ])
        await s.flush()
        s.add(Reminder(notice_id=1, user_id=7, kind="before:7", due_at=old_day))
        await s.commit()
    await engine.dispose()
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    async with make_sessionmaker(engine)() as s:
        rows = {n.id: (n.respond_by, n.abroad) for n in (await s.scalars(select(Notice))).all()}
        assert rows == {1: (date(2026, 12, 30), False), 2: (date(2027, 2, 26), False), 3: (date(2026, 11, 2), False),
                        4: (date(2026, 11, 19), False)}  # received - 21 days + 30, "at the latest"
        reminder = (await s.scalars(select(Reminder))).one()
        assert reminder.due_at == old_day - timedelta(days=(date(2027, 3, 1) - date(2026, 12, 30)).days)
    await engine.dispose()
    await check(sqlite_url)


async def test_regression_0005_privacy_settings_keeps_every_notice(sqlite_url: str) -> None:
    """Regression: written first with Alembic's batch mode, 0005 copied and dropped the users table,
    and with foreign_keys=ON the drop cascaded to every notice. It adds the column in place."""
    import sqlite3

    await upgrade(sqlite_url, "0004_event_uids")  # the revision before 0005
    path = sqlite_url.split(":///", 1)[1]
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, "
                     "reminder_offsets, active, created_at, updated_at) VALUES (9, 'en', 'America/New_York', 0, "
                     "540, '[7]', 1, '2026-10-01 00:00:00', '2026-10-01 00:00:00')")
        conn.execute("INSERT INTO notices (user_id, code, tax_years, notes, status, respond_by_estimated, abroad, "
                     "sequence, created_at, updated_at, uid) VALUES (9, 'CP14', '[2024]', 'kept', 'open', 0, 0, 0, "
                     "'2026-10-01 00:00:00', '2026-10-01 00:00:00', 'u-9')")
    await upgrade(sqlite_url)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT notes FROM notices WHERE user_id = 9").fetchall() == [("kept",)]
        assert conn.execute("SELECT calendar_details FROM users WHERE id = 9").fetchall() == [(0,)], "off"


async def test_regression_0008_kept_every_notice_on_sqlite(sqlite_url: str) -> None:
    """Regression: 0008 added users.language_chosen in an Alembic batch, which on SQLite rebuilt the
    users table; dropping the old one with foreign keys on deleted every notice (ON DELETE CASCADE)."""
    await upgrade(sqlite_url, "0006_deadline_facts")
    engine = make_engine(sqlite_url)
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, reminder_offsets, "
            "active, created_at, updated_at) VALUES (8, 'es', 'America/Chicago', 1, 540, '[7, 3, 1, 0]', 1, "
            "'2026-10-01 00:00:00', '2026-10-01 00:00:00')"))
        await conn.execute(text(
            "INSERT INTO notices (id, uid, user_id, code, tax_years, notice_date, respond_by_estimated, abroad, "
            "notes, status, sequence, created_at, updated_at) VALUES (1, 'u-1', 8, 'CP14', '[2024]', '2026-10-01', "
            "0, 0, '', 'open', 0, '2026-10-01 00:00:00', '2026-10-01 00:00:00')"))
    await engine.dispose()
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    await migrate._with_connection(engine, sqlite_url,  # and back down: still there
                                   lambda cfg: command.downgrade(cfg, "0006_deadline_facts"))
    await engine.dispose()
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM notices"))).scalar_one() == 1
        assert (await conn.execute(text("SELECT language, language_chosen FROM users"))).one() == ("es", 0)
    await engine.dispose()
