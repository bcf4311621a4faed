"""REDIS_URL → aiogram's RedisStorage (conversation state outlives the process); unset → memory."""

from __future__ import annotations

import uuid

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage

from app.config import load_settings
from bot.dispatcher import make_fsm_storage

pytestmark = pytest.mark.redis

GOOD = "123456:ABCdef_ghi-jkl"


def test_memory_without_redis(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert isinstance(make_fsm_storage(load_settings(bot_token=GOOD)), MemoryStorage)


async def test_state_survives_a_new_storage_instance(redis_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    settings = load_settings(bot_token=GOOD, redis_url=redis_url)
    key = StorageKey(bot_id=123456, chat_id=uuid.uuid4().int % 10**9, user_id=uuid.uuid4().int % 10**9)
    first = make_fsm_storage(settings)
    assert isinstance(first, RedisStorage)
    await first.set_state(key, "Intake:answering")
    await first.set_data(key, {"draft": {"code": "CP14", "asking": "notice_date"}})
    await first.close()  # the process that asked the question is gone

    second = make_fsm_storage(settings)  # another process (a restart, another replica)
    try:
        assert await second.get_state(key) == "Intake:answering"
        assert await second.get_data(key) == {"draft": {"code": "CP14", "asking": "notice_date"}}
    finally:
        await second.set_state(key, None)
        await second.set_data(key, {})
        await second.close()


def test_scene_history_keys_were_refused_by_the_default_key_builder() -> None:
    """Issue 14's Form 12153 helper is an aiogram Scene: its history lives under the destiny
    "scenes_history", which aiogram's default Redis key builder refuses (ValueError on the first
    button). Conversation keys stay exactly as before, so open questions survive the upgrade."""
    from aiogram.fsm.storage.base import DefaultKeyBuilder

    from bot.dispatcher import FsmKeys

    key = StorageKey(bot_id=1, chat_id=2, user_id=3)
    history = StorageKey(bot_id=1, chat_id=2, user_id=3, destiny="scenes_history")
    with pytest.raises(ValueError):
        DefaultKeyBuilder().build(history, "data")
    assert FsmKeys().build(key, "state") == DefaultKeyBuilder().build(key, "state")
    assert FsmKeys().build(history, "data") != FsmKeys().build(key, "data")


async def test_scene_history_round_trips_in_redis(redis_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from aiogram.fsm.context import FSMContext
    from aiogram.fsm.scene import HistoryManager

    monkeypatch.chdir(tmp_path)
    storage = make_fsm_storage(load_settings(bot_token=GOOD, redis_url=redis_url))
    key = StorageKey(bot_id=123456, chat_id=uuid.uuid4().int % 10**9, user_id=uuid.uuid4().int % 10**9)
    try:
        history = HistoryManager(FSMContext(storage, key))
        await history.push("f12153", {"f12153": {"step": 2}})
        assert (await history.get()).state == "f12153"  # type: ignore[union-attr]
        await history.clear()
    finally:
        await storage.close()
