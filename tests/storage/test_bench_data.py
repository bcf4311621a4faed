"""The database bench/reminders.py fills must fit the schema as migrated today."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import select

from bench.reminders_data import fill_sqlite
from storage.db import make_engine, make_sessionmaker
from storage.models import Notice


def test_bench_reminders_fills_a_database_of_today_s_schema(tmp_path: Path) -> None:
    # Regression: notices.uid became NOT NULL (0004_event_uids) and the bench's raw INSERT left it out,
    # so `bench/reminders.py` stopped at its first step with an IntegrityError.
    db = tmp_path / "bench.db"
    fill_sqlite(db, 40)
    with sqlite3.connect(db) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "notices", "reminders")]
    assert counts == [10, 10, 40]

    async def uids() -> list[str]:
        engine = make_engine(f"sqlite+aiosqlite:///{db}")
        try:
            async with make_sessionmaker(engine)() as session:
                return list((await session.scalars(select(Notice.uid))).all())
        finally:
            await engine.dispose()

    found = asyncio.run(uids())
    assert len(set(found)) == 10 and all(found)
