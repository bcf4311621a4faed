"""Calendar UIDs (issue 17): random, stored, permanent; never the row id SQLite hands out again."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime

from sqlalchemy import select

from storage import notices as store
from storage.migrate import upgrade
from storage.models import Notice, User

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


async def test_reused_notice_id_reuses_the_event_uid(sessionmaker):
    # Regression: SQLite gave a new notice the id of the last deleted one, and the UID was made from
    # the id: a new CP501 arrived as the deleted CP504's UID, whose SEQUENCE was already higher.
    seen_ids: list[int] = []
    seen_uids: list[str] = []
    async with sessionmaker() as session:
        session.add(User(id=1))
        await session.flush()
        for code in ("CP504", "CP501", "CP14", "LT11", "CP90"):
            n = await store.create(session, 1, NOW, code=code, respond_by=date(2026, 12, 1))
            await session.commit()
            assert UUID4.match(n.uid), n.uid
            assert n.uid not in seen_uids
            seen_ids.append(n.id)
            seen_uids.append(n.uid)
            await store.delete_notice(session, n, NOW)
            await session.commit()
    assert len(set(seen_ids)) < len(seen_ids)  # the ids really were reused: the test means something
    assert len(set(seen_uids)) == len(seen_uids)


async def test_uid_does_not_change_when_the_notice_does(sessionmaker):
    async with sessionmaker() as session:
        session.add(User(id=1))
        await session.flush()
        n = await store.create(session, 1, NOW, code="CP14", respond_by=date(2026, 12, 1))
        await session.commit()
        before = n.uid
        await store.update(session, n, NOW, code="CP501", respond_by=date(2027, 1, 5))
        await session.commit()
        again = (await session.scalars(select(Notice))).one()
        assert again.uid == before


async def test_migration_backfills_a_distinct_uid_for_existing_rows(sqlite_url):
    await upgrade(sqlite_url, "0003")
    path = sqlite_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, reminder_offsets,"
                   " active, created_at, updated_at) VALUES (1, 'en', 'UTC', 0, 540, '[7]', 1, '2026-01-01', '2026-01-01')")  # fmt: skip
        for i in (1, 2, 3):
            db.execute("INSERT INTO notices (id, user_id, code, tax_years, respond_by_estimated, abroad, notes, status,"
                       " sequence, created_at, updated_at) VALUES (?, 1, 'CP14', '[]', 0, 0, '', 'open', 0,"
                       " '2026-01-01', '2026-01-01')", (i,))  # fmt: skip
    await upgrade(sqlite_url, "0004_event_uids")
    with sqlite3.connect(path) as db:
        uids = [row[0] for row in db.execute("SELECT uid FROM notices ORDER BY id")]
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004_event_uids",)
    assert len(uids) == len(set(uids)) == 3 and all(UUID4.match(u) for u in uids)
