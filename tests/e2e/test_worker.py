"""`noticebot worker`, the reminder engine alone, as a real process against the emulator.

A bot started with SEND_REMINDERS=false sends none; the worker sends them (text and buttons as the
bot would), reports health and metrics, refuses a wrong token or a taken port with one clear line,
and on SIGTERM finishes and records its sends. It never imports aiogram: that is what makes it
start in well under a second (bench/reminders.py measures it at 1,000,000 pending).
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import insert, select

from bot.emulator import EmulatorClient, EmulatorServer
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Notice, Reminder, User
from tests.harness import ROOT, BotProcess

from .conftest import TOKEN

pytestmark = pytest.mark.timeout(120)


async def add_due_reminder(url: str, person: int, *, language: str = "en") -> int:
    """A person with one open CP14 and its deadline-day reminder, due a second ago."""
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            await s.execute(insert(User), [{"id": person, "language": language}])
            await s.execute(insert(Notice), [{"id": person, "user_id": person, "code": "CP14", "notes": "",
                                              "tax_years": [2024], "amount_cents": 341218}])
            result = await s.execute(insert(Reminder).returning(Reminder.id), [{
                "notice_id": person, "user_id": person, "kind": "day", "priority": 0, "attempts": 0,
                "due_at": datetime.now(UTC) - timedelta(seconds=1)}])
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def reminder_status(url: str, reminder_id: int) -> str:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return str(await s.scalar(select(Reminder.status).where(Reminder.id == reminder_id)))
    finally:
        await engine.dispose()


async def test_a_bot_without_reminders_sends_none_and_the_worker_sends_them(
    bot_factory, client: EmulatorClient, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    reminder = await add_due_reminder(url, 7001, language="es")
    bot = await bot_factory(url, SEND_REMINDERS="false")
    await asyncio.sleep(1.5)
    assert await client.sent(7001) == [], "SEND_REMINDERS=false: the bot itself must not send"
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/healthz") as resp:
        assert resp.status == 200, "a bot that leaves reminders to workers is still healthy"

    worker = await bot_factory(url, command="worker")
    [message] = await client.wait_sent(7001, timeout=10)
    assert "CP14" in message["text"] and "Recordatorio" in message["text"], message["text"]
    buttons = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert f"rm:paid:{7001}" in buttons and f"rm:list:{7001}" in buttons

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{worker.url}/healthz") as resp:
            assert resp.status == 200 and (await resp.json())["scheduler"] is True
        async with http.get(f"{worker.url}/metrics") as resp:
            assert "noticebot_reminders_sent_total 1.0" in await resp.text()

    # The worker only sends; its buttons are handled by the bot.
    pressed = await client.press(7001, message["message_id"], f"rm:paid:{7001}")
    answer = await client.wait_callback_answer(pressed)
    assert "CP14" in answer["text"], answer
    assert await worker.stop() == 0
    assert await reminder_status(url, reminder) == "sent"
    assert "Traceback" not in worker.logs()
    await bot.stop()


async def test_the_worker_refuses_a_wrong_token(emulator: EmulatorServer, tmp_path: Path) -> None:
    proc = BotProcess(token="999:refused-token", api_url=emulator.base_url,
                      database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", workdir=tmp_path, command="worker")
    with pytest.raises(RuntimeError, match="exited with 2"):
        await proc.start(ready_timeout=20)
    assert "BOT_TOKEN was refused" in proc.logs() and "Traceback" not in proc.logs()


async def test_the_worker_says_when_its_port_is_taken(emulator: EmulatorServer, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        proc = BotProcess(token=TOKEN, api_url=emulator.base_url,
                          database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", workdir=tmp_path,
                          command="worker", HTTP_PORT=str(taken.getsockname()[1]))
        with pytest.raises(RuntimeError, match="exited with 2"):
            await proc.start(ready_timeout=20)
    assert "cannot listen on" in proc.logs() and "Traceback" not in proc.logs()


def test_the_worker_and_the_reminder_sender_do_not_import_aiogram() -> None:
    """Importing aiogram takes seconds; a worker must start sending within one."""
    code = ("import sys, bot.worker, bot.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
