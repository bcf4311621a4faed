"""services.updates: each call commits what it did, so a claim, a finish and a release are seen by
the next session (another process's, in production)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import updates

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


async def test_claim_finish_and_release_each_commit(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    claim = {"by": "a", "take_over_before": NOW - timedelta(minutes=1)}
    assert await updates.claim(sessionmaker, 1, NOW, **claim)
    assert not await updates.claim(sessionmaker, 1, NOW, by="b", take_over_before=NOW - timedelta(minutes=1))
    await updates.release(sessionmaker, 1)  # cut off: the next delivery is handled
    assert await updates.claim(sessionmaker, 1, NOW, by="b", take_over_before=NOW - timedelta(minutes=1))
    await updates.finish(sessionmaker, 1)
    assert not await updates.claim(sessionmaker, 1, NOW + timedelta(days=1), by="c", take_over_before=NOW)


async def test_a_claim_sweeps_old_claims_in_the_same_commit(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    old = NOW - timedelta(days=3)
    assert await updates.claim(sessionmaker, 7, old, by="a", take_over_before=old)
    await updates.finish(sessionmaker, 7)
    assert await updates.claim(sessionmaker, 8, NOW, by="a", take_over_before=NOW, sweep_before=NOW - timedelta(days=2))
    assert await updates.claim(sessionmaker, 7, NOW, by="b", take_over_before=NOW)  # forgotten: new again
