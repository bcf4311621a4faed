"""Webhook set-up and removal (app.run._serve_webhook) in-process against the emulator: set with the
secret and the routers' update types on start, removed on stop unless WEBHOOK_DELETE_ON_STOP=false
(replicas), a WEBHOOK_URL the Bot API refuses is one ConfigError line."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message

from app.config import ConfigError, Settings, load_settings
from app.run import _serve_webhook
from emulator import EmulatorClient, EmulatorServer
from tests.plain_http import PlainHttpSession

TOKEN = "4242:production-serve"
SECRET = "serve_Secret-1"


@pytest.fixture
async def emu() -> AsyncIterator[tuple[EmulatorServer, EmulatorClient, Bot, Dispatcher]]:
    async with EmulatorServer(tokens=[TOKEN]) as server, EmulatorClient(server.base_url) as client:
        bot = Bot(TOKEN, session=PlainHttpSession(api=TelegramAPIServer.from_base(server.base_url)))
        router = Router()

        @router.message()
        async def on_message(message: Message) -> None: ...

        @router.callback_query()
        async def on_press(query: CallbackQuery) -> None: ...

        dp = Dispatcher()
        dp.include_router(router)
        yield server, client, bot, dp
        await bot.session.close()


def settings(tmp_path: Path, **extra: object) -> Settings:
    return load_settings(bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path / 'b.db'}",
                         webhook_url="https://bot.example.com/tg/hook", webhook_secret=SECRET, **extra)


async def until(predicate, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("delete_on_stop", [True, False])
async def test_set_on_start_removed_on_stop_unless_kept(emu, tmp_path: Path, delete_on_stop: bool) -> None:  # type: ignore[no-untyped-def]
    server, client, bot, dp = emu
    s = settings(tmp_path, webhook_delete_on_stop=delete_on_stop)
    stop = asyncio.Event()
    task = asyncio.create_task(_serve_webhook(dp, bot, s, stop))

    async def is_set() -> bool:
        return bool((await client.info())["webhook"])

    await until(is_set)
    hook = (await client.info())["webhook"]
    assert hook["url"] == s.webhook_url and hook["secret_token"] == SECRET
    assert server.allowed_updates == {"message", "callback_query"}  # what the routers handle
    stop.set()
    await asyncio.wait_for(task, 10)
    assert bool((await client.info())["webhook"]) is not delete_on_stop


async def test_refused_webhook_is_a_config_error(emu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, client, bot, dp = emu
    await client.fault("setWebhook", status=400, description="Bad Request: bad webhook: IP address is private")
    with pytest.raises(ConfigError, match=r"WEBHOOK_URL was refused by the Bot API \(.*IP address is private"):
        await asyncio.wait_for(_serve_webhook(dp, bot, settings(tmp_path), asyncio.Event()), 10)
