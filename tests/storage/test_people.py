"""A person's row: created once even when their first messages are handled at the same moment."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage import people
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import User


async def _race(url: str) -> None:
    await upgrade(url)
    engine = make_engine(url)
    sm = make_sessionmaker(engine)

    async def first_contact() -> bool:
        async with sm() as s:
            user, changed = await people.get_or_create(s, 555, language="es", timezone="America/Chicago")
            await s.commit()
            assert user.id == 555 and user.language == "es"
            return changed

    results = await asyncio.gather(*(first_contact() for _ in range(8)))
    assert results.count(True) == 1  # exactly one of them created the row
    async with sm() as s:
        assert (await s.execute(select(func.count()).select_from(User))).scalar_one() == 1
    await engine.dispose()


async def test_concurrent_first_messages_sqlite(sqlite_url: str) -> None:
    await _race(sqlite_url)


@pytest.mark.postgres
async def test_concurrent_first_messages_postgres(pg_url: str) -> None:
    await _race(pg_url)


def test_language_pick() -> None:
    assert people.pick_language("es-MX") == "es"
    assert people.pick_language("fr") == "en"
    assert people.pick_language(None) == "en"
