"""Long polling, webhooks, shutdown, and a real aiogram Dispatcher against the emulator."""

import asyncio
import time

import aiohttp
import pytest
from aiogram import Dispatcher, Router
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiohttp import web

from emulator import DEMO_TOKEN, EmulatorServer


async def test_long_poll_returns_promptly_on_injection(bot, user):
    async def inject_later():
        await asyncio.sleep(0.3)
        await user.send_text(7, "hello")

    task = asyncio.create_task(inject_later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=10)
    assert 0.2 < time.monotonic() - started < 2
    assert updates[0].message.text == "hello"
    await task


async def test_long_poll_waits_for_timeout(bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 < time.monotonic() - started < 2


async def test_offset_confirms_and_limit_caps(bot, user):
    for text in ("a", "b", "c"):
        await user.send_text(7, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["a", "b"]
    assert [u.message.text for u in await bot.get_updates()] == ["a", "b", "c"]  # unconfirmed: still there
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["c"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == []


async def test_commands_get_entities_and_user_details(bot, user):
    await user.send_text(7, "/help me", language_code="es", first_name="Ana")
    [update] = await bot.get_updates()
    message = update.message
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 5
    assert message.from_user.language_code == "es" and message.chat.first_name == "Ana"


async def test_shutdown_releases_a_pending_long_poll():
    emu = EmulatorServer()
    await emu.start()
    async with aiohttp.ClientSession() as http:
        poll = asyncio.create_task(http.get(f"{emu.base_url}/bot{DEMO_TOKEN}/getUpdates?timeout=30"))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await emu.stop()
        resp = await asyncio.wait_for(poll, 2)
        assert (await resp.json())["result"] == []
        assert time.monotonic() - started < 1.5


async def test_second_poller_ends_the_first_with_409(emu, bot):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first
    assert await second == []


@pytest.fixture
async def receiver():
    """A webhook endpoint that fails its first request, then records updates and headers."""
    got: list[tuple[dict, str | None]] = []
    failures = [500]

    async def hook(request: web.Request) -> web.Response:
        if failures:
            return web.Response(status=failures.pop())
        got.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/hook", got
    await runner.cleanup()


async def test_webhook_delivery_with_secret_and_retry(emu, bot, user, receiver):
    url, got = receiver
    assert await bot.set_webhook(url, secret_token="s3cret") is True
    assert (await bot.get_webhook_info()).url == url
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()

    await user.send_text(7, "via webhook")
    assert await emu.wait_until(lambda: bool(got), 5)
    update, secret = got[0]
    assert update["message"]["text"] == "via webhook" and secret == "s3cret"
    assert (await bot.get_webhook_info()).pending_update_count == 0

    await bot.delete_webhook(drop_pending_updates=True)
    await user.send_text(7, "polled")
    assert [u.message.text for u in await bot.get_updates()] == ["polled"]


async def test_dispatcher_answers_an_injected_message(emu, bot, user):
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(f"Hi {message.from_user.first_name}")

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, polling_timeout=1, close_bot_session=False)
    )
    try:
        await user.send_text(11, "/start", first_name="Ana")
        [reply] = await user.wait_sent(11, timeout=5)
        assert reply["text"] == "Hi Ana"
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)


async def test_aiogram_webhook_handler_replies_in_the_response(emu, bot, user):
    """aiogram's SimpleRequestHandler (handle_in_background=False) answers with a method call in the
    webhook response body; the emulator executes it like Telegram."""
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    router = Router()

    @router.message(CommandStart())
    async def start(message: Message):
        return message.answer("answered in the webhook response")

    dp = Dispatcher()
    dp.include_router(router)
    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token="tok").register(app, path="/hook")
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="tok")
        await user.send_text(12, "/start")
        [reply] = await user.wait_sent(12, timeout=5)
        assert reply["text"] == "answered in the webhook response"
    finally:
        await runner.cleanup()
