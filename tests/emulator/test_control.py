"""The control side: Python API on the server, reset, cursors, and the standalone command."""

import asyncio
import signal
import sys

import aiohttp
import pytest

from emulator import DEMO_TOKEN, EmulatorServer


async def test_python_api_in_process(emu, bot):
    emu.inject_message(3, "/start")
    [update] = await bot.get_updates()
    sent = await bot.send_message(update.message.chat.id, "welcome")
    [record] = await emu.wait_sent(3)
    assert record["message_id"] == sent.message_id and record["text"] == "welcome"
    query_id = emu.inject_callback(3, sent.message_id, "go")
    assert emu.callback_answer(query_id)["answered"] is False


async def test_wait_sent_counts_replies_already_there_and_times_out(bot, user):
    await bot.send_message(4, "one")
    await bot.send_message(4, "two")
    assert [m["text"] for m in await user.wait_sent(4, count=2, timeout=1)] == ["one", "two"]
    with pytest.raises(TimeoutError, match="got 0"):
        await user.wait_sent(4, timeout=0.2)
    await bot.send_message(4, "three")
    assert [m["text"] for m in await user.wait_sent(4)] == ["three"]


async def test_sent_since_cursor_and_changes(bot, user):
    first = await bot.send_message(4, "one")
    cursor = await user.cursor()
    await bot.send_message(4, "two")
    assert [m["text"] for m in await user.sent(4, since=cursor)] == ["two"]
    await bot.edit_message_text("one!", chat_id=4, message_id=first.message_id)
    changed = await user.sent(4, since=cursor, changed=True)
    assert [(m["text"], m["edited"]) for m in changed] == [("two", False), ("one!", True)]


async def test_reset_keeps_update_ids_growing(bot, user, emu):
    await user.send_text(4, "before")
    [old] = await bot.get_updates()
    await user.fault("getMe", 500, times=None)
    await user.reset()
    assert await user.sent() == [] and emu.faults == [] and await user.calls() == []
    await user.send_text(4, "after")
    # A bot polling with offset=old+1 must still see updates injected after a reset.
    [new] = await bot.get_updates(offset=old.update_id + 1)
    assert new.message.text == "after" and new.message.message_id == 1
    assert (await bot.get_me()).is_bot


async def test_standalone_command_serves_and_stops_on_sigterm():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emulator", "--port", "0", "--token", "1:a", "--token", DEMO_TOKEN,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
        base_url = line.rsplit(" ", 1)[1].strip()
        async with aiohttp.ClientSession() as http:
            for token, user_id in (("1:a", 1), (DEMO_TOKEN, 123456)):
                async with http.get(f"{base_url}/bot{token}/getMe") as resp:
                    assert (await resp.json())["result"]["id"] == user_id
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 5) == 0


async def test_context_manager_reports_bound_port():
    async with EmulatorServer(tokens=["5:x"]) as emu:
        assert emu.port != 0 and emu.base_url.endswith(str(emu.port)) and emu.token == "5:x"
