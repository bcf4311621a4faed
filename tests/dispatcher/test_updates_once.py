"""Every Telegram update is handled once (bot/once.py): a redelivered update_id (webhook retry,
a restart that polls it again, a second replica on the same database or Redis) is dropped before any
handler runs; old claims are swept."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.once import RETENTION, TAKE_OVER_WEBHOOK, UpdateOnceMiddleware
from storage import updates
from tests.dispatcher.inproc import dispatcher_stack
from tests.reliability.support import button, plain


def notices(db: Path, uid: int) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM notices WHERE user_id = ?", (uid,)).fetchone()[0])


async def test_a_redelivered_message_is_answered_once(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        update = st.message_update(5101, text="CP14 for tax year 2024, I owe $1,250, dated 3/1/2026")
        since = st.emu.cursor
        await st.feed(update)
        await st.feed(update)  # Telegram did not get our 200 in time and sent it again
        cards = [m for m in st.emu.sent(5101, since) if button(m, "Save")]
        assert len(cards) == 1, [plain(m) for m in st.emu.sent(5101, since)]
        assert st.dp["once"].duplicates == 1


async def test_a_redelivered_save_press_stores_one_notice(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = [m for m in await st.say(5102, "CP14 tax year 2024, amount due $980.00, notice date 3/2/2026")
                  if button(m, "Save")]
        update, qid = st.callback_update(5102, card["message_id"], button(card, "Save") or "")
        await st.feed(update)
        await st.feed(update)
        assert notices(st.db, 5102) == 1
        assert st.emu.callback_answer(qid)["answered"]


async def test_another_replica_on_the_same_database_drops_an_update_already_claimed(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        update = st.message_update(5103, text="/help")
        await st.feed(update)
        replica = UpdateOnceMiddleware(st.sm)  # another process, same database
        assert await replica.claim(update.update_id, st.bot.id) is False
        assert await replica.claim(update.update_id + 1, st.bot.id) is True


async def test_claims_older_than_the_retention_are_swept(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        now = datetime.now(UTC)
        async with st.sm() as s:
            assert await updates.claim(s, 1, now - RETENTION - timedelta(minutes=1))
            assert await updates.claim(s, 2, now)
            assert not await updates.claim(s, 2, now)
            assert await updates.sweep(s, now - RETENTION) == 1
            await s.commit()
        with sqlite3.connect(st.db) as conn:
            assert [r[0] for r in conn.execute("SELECT update_id FROM seen_updates ORDER BY 1")] == [2]


async def test_a_message_a_killed_process_never_finished_is_handled_after_the_restart(tmp_path: Path) -> None:
    """SIGKILL between the claim and the reply: polling fetches the update again after the restart,
    and it must be answered, not dropped as a duplicate (only one process polls, so the claimer is
    gone). With a webhook, another replica's fresh claim is left alone; a stale one is taken over."""
    async with dispatcher_stack(tmp_path) as st:
        update = st.message_update(5105, text="/help")
        killed = UpdateOnceMiddleware(st.sm)
        assert await killed.claim(update.update_id, st.bot.id)  # ... and never finished
        since = st.emu.cursor
        await st.feed(update)  # the restarted process polls it again
        assert any("What I can do" in plain(m) for m in st.emu.sent(5105, since))
        assert st.dp["once"].duplicates == 0
        await st.feed(update)  # now it is done: a further delivery is dropped
        assert st.dp["once"].duplicates == 1

        replica = UpdateOnceMiddleware(st.sm, take_over_after=TAKE_OVER_WEBHOOK)
        assert await killed.claim(update.update_id + 1, st.bot.id)
        assert await replica.claim(update.update_id + 1, st.bot.id) is False  # maybe still at work
        async with st.sm() as s:
            old = datetime.now(UTC) - TAKE_OVER_WEBHOOK - timedelta(seconds=1)
            assert await updates.claim(s, update.update_id + 2, old, by=killed.me)
            await s.commit()
        assert await replica.claim(update.update_id + 2, st.bot.id) is True  # stale: taken over


@pytest.mark.redis
async def test_with_redis_replicas_claim_an_update_once_and_take_over_a_dead_ones(redis_url: str,
                                                                                tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        first = UpdateOnceMiddleware(st.sm, redis_url, take_over_after=TAKE_OVER_WEBHOOK)
        second = UpdateOnceMiddleware(st.sm, redis_url, take_over_after=TAKE_OVER_WEBHOOK)
        after_restart = UpdateOnceMiddleware(st.sm, redis_url)  # polling: takes over at once
        update_id = uuid.uuid4().int % 10**12
        try:
            assert await first.claim(update_id, st.bot.id) is True
            assert await second.claim(update_id, st.bot.id) is False  # first may still be at work
            assert await first.claim(update_id, st.bot.id) is False  # its own redelivery
            assert await after_restart.claim(update_id, st.bot.id) is True  # first was killed
            await after_restart.finish(update_id, st.bot.id)
            for replica in (first, second, after_restart):
                assert await replica.claim(update_id, st.bot.id) is False  # done: never again
            assert first.redis is not None
            assert 0 < await first.redis.ttl(f"noticebot:update:{st.bot.id}:{update_id}") <= RETENTION.total_seconds()
        finally:
            for replica in (first, second, after_restart):
                await replica.close()


async def test_an_update_cut_off_by_a_shutdown_is_handled_when_delivered_again(tmp_path: Path) -> None:
    """A replica stopping mid-update cancels it; the webhook request gets no 200, so Telegram
    delivers the update again (to this or another replica): that delivery must be handled, not
    dropped as a duplicate. (A handler's own error is answered by the errors router instead.)"""
    async with dispatcher_stack(tmp_path) as st:
        cut: list[BaseException] = [asyncio.CancelledError()]

        async def stopping(handler, event, data):  # type: ignore[no-untyped-def]
            if cut:
                raise cut.pop()
            return await handler(event, data)

        st.dp.update.outer_middleware(stopping)  # after the claim, before the handlers
        update = st.message_update(5104, text="/help")
        with pytest.raises(asyncio.CancelledError):
            await st.feed(update)
        since = st.emu.cursor
        await st.feed(update)  # Telegram's second delivery
        assert any("What I can do" in plain(m) for m in st.emu.sent(5104, since))
        assert st.dp["once"].duplicates == 0
