"""Webhook delivery as Telegram does it: several updates in flight at once (up to max_connections),
but one person's updates one at a time and in order."""

from __future__ import annotations

import asyncio
import time

from aiogram import Bot
from aiohttp import web

from emulator import EmulatorServer


async def test_webhook_updates_are_delivered_concurrently_but_in_order_per_chat(emu: EmulatorServer,
                                                                                bot: Bot) -> None:
    seen: list[tuple[int, int, float, float]] = []  # chat, update_id, start, end
    open_now = 0
    most_open = 0

    async def hook(request: web.Request) -> web.Response:
        nonlocal open_now, most_open
        update = await request.json()
        began = time.monotonic()
        open_now += 1
        most_open = max(most_open, open_now)
        await asyncio.sleep(0.1)
        open_now -= 1
        seen.append((update["message"]["chat"]["id"], update["update_id"], began, time.monotonic()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", max_connections=5)
        for i in range(3):
            for chat in (101, 102, 103, 104, 105, 106, 107, 108):
                emu.inject_message(chat, f"message {i}")
        began = time.monotonic()
        await emu.wait_until(lambda: len(seen) == 24 and not emu.pending, 10)
        elapsed = time.monotonic() - began
    finally:
        await runner.cleanup()
    assert len(seen) == 24
    assert most_open == 5  # max_connections at once, never more
    assert elapsed < 24 * 0.1 / 2  # far quicker than one at a time
    for chat in {c for c, *_ in seen}:
        mine = [(u, start, end) for c, u, start, end in seen if c == chat]
        assert [u for u, *_ in mine] == sorted(u for u, *_ in mine)  # in order
        assert all(later[1] >= earlier[2] for earlier, later in zip(mine, mine[1:], strict=False))  # never overlapping
