"""Migration 0010_cases on SQLite and PostgreSQL with notices in the database: they are grouped by
the product's rule (same person, same tax form, overlapping tax periods), everything else gets a
case of its own, and nothing that hangs off a notice (reminders, history, a payment plan) is lost
when SQLite rebuilds the notices table."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from storage.db import make_engine
from storage.migrate import check, upgrade
from storage.types import UTCDateTime
from tests.storage.test_migrations import OLD_NOTICES, old_notice

BEFORE = "0009_payment_plans"
AT = datetime(2026, 10, 1, tzinfo=UTC)

USERS = sa.table("users", *(sa.column(c) for c in (
    "id", "language", "timezone", "timezone_confirmed", "reminder_minute", "active")),
    sa.column("reminder_offsets", sa.JSON), sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()))
REMINDERS = sa.table("reminders", *(sa.column(c) for c in ("notice_id", "user_id", "kind", "status", "priority",
                                                            "attempts")),
                     sa.column("due_at", UTCDateTime()), sa.column("created_at", UTCDateTime()))
EVENTS = sa.table("notice_events", sa.column("notice_id"), sa.column("kind"), sa.column("at", UTCDateTime()),
                  sa.column("data", sa.JSON))
PLANS = sa.table("payment_plans", *(sa.column(c) for c in (
    "notice_id", "monthly_cents", "payment_day", "first_payment", "first_payment_assumed")),
    sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()))

# (id, person, code, tax years, saved n days after AT): saved in this order
SAVED = [
    (1, 7, "CP14", [2024], 0),
    (2, 7, "CP14", [2023], 1),
    (3, 7, "CP501", [2024], 2),  # joins 1
    (4, 7, "LTR1153", [2024], 3),  # a trust fund recovery penalty: another debt than the 1040 of 2024
    (5, 7, "CP161", [2024], 4),  # a business notice: another form
    (6, 7, "CP504", [2023, 2024], 5),  # one year shared with each of 1 and 2: the case joined last (3 joined 1)
    (7, 7, "CP999", [2024], 6),  # not in the catalog: never guessed into a case
    (8, 7, "CP14", [], 7),  # no tax year: a case of its own
    (9, 8, "CP14", [2024], 0),  # someone else's CP14 of 2024: never in person 7's case
]


async def _seed(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.insert(USERS), [
            {"id": uid, "language": "en", "timezone": "America/New_York", "timezone_confirmed": False,
             "reminder_minute": 540, "active": True, "reminder_offsets": [7], "created_at": AT, "updated_at": AT}
            for uid in (7, 8)])
        await conn.execute(sa.insert(OLD_NOTICES), [
            old_notice(id=nid, user_id=uid, code=code, tax_years=years, created_at=AT + timedelta(days=days))
            for nid, uid, code, years, days in SAVED])
        await conn.execute(sa.insert(REMINDERS), [{
            "notice_id": 3, "user_id": 7, "kind": "before:7", "status": "pending", "priority": 5, "attempts": 0,
            "due_at": AT + timedelta(days=20), "created_at": AT}])
        await conn.execute(sa.insert(EVENTS), [{"notice_id": 3, "kind": "call", "at": AT, "data": {"agent": "Ms. Lee"}}])
        await conn.execute(sa.insert(PLANS), [{
            "notice_id": 1, "monthly_cents": 10000, "payment_day": 15, "first_payment": date(2026, 11, 15),
            "first_payment_assumed": False, "created_at": AT, "updated_at": AT}])
        if conn.dialect.name == "postgresql":  # rows written with explicit ids: move the sequence on
            await conn.execute(sa.text("SELECT setval('notices_id_seq', 100)"))
    await engine.dispose()


async def _grouping(url: str) -> dict[int, list[Any]]:
    engine = make_engine(url)
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.text(
            "SELECT n.id, n.case_id, c.user_id, c.tax_form, c.tax_years FROM notices n "
            "JOIN cases c ON c.id = n.case_id ORDER BY n.id"))).all()
        kept = [(await conn.execute(sa.text(f"SELECT count(*) FROM {t}"))).scalar_one()
                for t in ("reminders", "notice_events", "payment_plans")]
    await engine.dispose()
    assert kept == [1, 1, 1], "a reminder, an event and a plan hang off notices: none may be lost"
    cases: dict[int, list[Any]] = {}
    for nid, case_id, user_id, form, years in rows:
        years = json.loads(years) if isinstance(years, str) else years
        cases.setdefault(case_id, [user_id, form, years, []])[3].append(nid)
    return cases


def _expected() -> list[list[Any]]:
    return sorted([
        [7, "1040", [2023, 2024], [1, 3, 6]],
        [7, "1040", [2023], [2]],
        [7, "6672", [2024], [4]],
        [7, "business", [2024], [5]],
        [7, None, [2024], [7]],
        [7, "1040", [], [8]],
        [8, "1040", [2024], [9]],
    ], key=lambda c: c[3])


async def _migrated_and_checked(url: str) -> None:
    await upgrade(url, BEFORE)
    await _seed(url)
    await upgrade(url)
    got = sorted((await _grouping(url)).values(), key=lambda c: c[3])
    assert got == _expected()
    await check(url)  # the models and the migrated schema agree (NOT NULL, foreign key, index)
    engine = make_engine(url)
    async with engine.connect() as conn:
        with pytest.raises(sa.exc.IntegrityError):  # NOT NULL: a notice without a case is refused
            await conn.execute(sa.insert(OLD_NOTICES).values(old_notice(id=50, user_id=7, code="CP14")))
    await engine.dispose()


async def test_sqlite_groups_saved_notices_into_cases(sqlite_url: str) -> None:
    await _migrated_and_checked(sqlite_url)


@pytest.mark.postgres
async def test_postgres_groups_saved_notices_into_cases(pg_url: str) -> None:
    await _migrated_and_checked(pg_url)


async def test_sqlite_downgrade_keeps_every_notice_and_what_hangs_off_it(sqlite_url: str) -> None:
    from alembic import command

    from storage import migrate

    await upgrade(sqlite_url, BEFORE)
    await _seed(sqlite_url)
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    await migrate._with_connection(engine, sqlite_url, lambda cfg: command.downgrade(cfg, BEFORE))
    await engine.dispose()
    await upgrade(sqlite_url)
    assert sorted((await _grouping(sqlite_url)).values(), key=lambda c: c[3]) == _expected()
