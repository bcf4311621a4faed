"""storage.updates on both backends: an update_id is claimed once (also by five sessions at the same
moment, as replicas would), an unfinished claim is taken over only when older than the cutoff and
never once done, and the sweep forgets old claims only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.updates import claim, finish, sweep


async def _claims_once(url: str) -> None:
    await upgrade(url)
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    now = datetime.now(UTC)
    try:
        async def one(update_id: int) -> bool:
            async with sm() as s:
                first = await claim(s, update_id, now)
                await s.commit()
                return first

        results = await asyncio.gather(*(one(777) for _ in range(5)))
        assert sorted(results) == [False, False, False, False, True]
        async with sm() as s:
            assert await claim(s, 5, now - timedelta(minutes=5), by="killed")
            assert not await claim(s, 5, now, by="other", take_over_before=now - timedelta(minutes=10))
            assert await claim(s, 5, now, by="other", take_over_before=now - timedelta(minutes=1))
            assert not await claim(s, 5, now, by="other", take_over_before=now)  # its own: a redelivery
            await finish(s, 5)
            assert not await claim(s, 5, now, by="third", take_over_before=now + timedelta(days=1))
            await s.commit()
        async with sm() as s:
            assert await claim(s, 1, now - timedelta(days=3))
            assert await sweep(s, now - timedelta(days=2)) == 1
            await s.commit()
        assert await one(1) is True and await one(777) is False
    finally:
        await engine.dispose()


async def test_an_update_is_claimed_once_on_sqlite(sqlite_url: str) -> None:
    await _claims_once(sqlite_url)


@pytest.mark.postgres
async def test_an_update_is_claimed_once_on_postgres(pg_url: str) -> None:
    await _claims_once(pg_url)
