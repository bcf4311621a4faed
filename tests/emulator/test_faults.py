"""Error answers shaped so that aiogram raises the same exceptions as against Telegram."""

import time

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from emulator import DEMO_TOKEN

from .conftest import close_bot, make_bot


async def test_wrong_token_is_401(emu):
    bot = make_bot(emu.base_url, token="999:wrong")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await close_bot(bot)
    async with aiohttp.ClientSession() as http, http.get(f"{emu.base_url}/bot999:wrong/getMe") as resp:
        assert resp.status == 401
        assert await resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_429_carries_retry_after_once(bot, user):
    await user.fault("sendMessage", 429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(7, "hi")
    assert caught.value.retry_after == 7
    await bot.send_message(7, "hi")  # times=1: the next call goes through
    assert [c["status"] for c in await user.calls("sendMessage")] == [429, 200]


async def test_403_only_for_one_chat_until_cleared(bot, user):
    await user.fault("sendMessage", 403, times=None, chat_id=7)
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(7, "hi")
    await bot.send_message(8, "other chat works")
    await user.clear_faults()
    await bot.send_message(7, "unblocked")
    assert [m["plain_text"] for m in await user.sent()] == ["other chat works", "unblocked"]


@pytest.mark.parametrize("status", [500, 502])
async def test_5xx_is_server_error(bot, user, status):
    await user.fault("*", status, times=2)
    with pytest.raises(TelegramServerError):
        await bot.send_message(7, "hi")
    with pytest.raises(TelegramServerError):
        await bot.get_me()
    assert (await bot.get_me()).is_bot


async def test_stall_makes_the_client_time_out(bot, user):
    await user.fault("sendMessage", stall=3)
    started = time.monotonic()
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await bot.send_message(7, "slow", request_timeout=1)
    assert time.monotonic() - started < 2


async def test_calls_record_monotonic_time_and_chat(bot, user):
    before = time.monotonic()
    for chat in (1, 2, 1):
        await bot.send_message(chat, "x")
    calls = await user.calls("sendMessage")
    assert [c["chat_id"] for c in calls] == [1, 2, 1]
    assert before <= calls[0]["t"] <= calls[1]["t"] <= calls[2]["t"] <= time.monotonic()
    assert (await user.counts())["sendMessage"] == 3


async def test_fault_api_validates_input(user):
    from emulator import EmulatorError

    with pytest.raises(EmulatorError, match="needs a status"):
        await user.fault("sendMessage")
    with pytest.raises(EmulatorError):
        await user.press(7, 12345, "data")  # no such bot message


async def test_file_download_checks_token(emu, user):
    await user.send_document(7, "a.txt", b"abc")
    path = next(iter(emu.files.values())).file_path
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.base_url}/file/bot{DEMO_TOKEN}/{path}") as resp:
            assert await resp.read() == b"abc"
        async with http.get(f"{emu.base_url}/file/bot1:bad/{path}") as resp:
            assert resp.status == 401
