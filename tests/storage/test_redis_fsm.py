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
