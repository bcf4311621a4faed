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

from emulator import EmulatorClient, EmulatorServer
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Case, Notice, Reminder, User
from tests.harness import ROOT, BotProcess

from .conftest import TOKEN

pytestmark = pytest.mark.timeout(120)


async def add_due_reminders(url: str, people: range, *, language: str = "en", due_in: float = -1.0) -> list[int]:
    """People with one open CP14 each and its deadline-day reminder, due ``due_in`` seconds from now."""
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            await s.execute(insert(User), [{"id": p, "language": language} for p in people])
            await s.execute(insert(Case), [{"id": p, "user_id": p, "tax_form": "1040", "tax_years": [2024]}
                                           for p in people])  # a bulk insert: each notice's case by hand
            await s.execute(insert(Notice), [{"id": p, "user_id": p, "case_id": p, "code": "CP14", "notes": "",
                                              "tax_years": [2024], "amount_cents": 341218} for p in people])
            result = await s.execute(insert(Reminder).returning(Reminder.id), [{
                "notice_id": p, "user_id": p, "kind": "day", "priority": 0, "attempts": 0,
                "due_at": datetime.now(UTC) + timedelta(seconds=due_in)} for p in people])
            return [int(r) for r in result.scalars()]
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
    [reminder] = await add_due_reminders(url, range(7001, 7002), language="es")
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
        async with http.get(worker.metrics_url) as resp:
            assert "noticebot_reminders_sent_total 1.0" in await resp.text()

    # The worker only sends; its buttons are handled by the bot.
    pressed = await client.press(7001, message["message_id"], f"rm:paid:{7001}")
    answer = await client.wait_callback_answer(pressed)
    assert "CP14" in answer["text"], answer
    assert await worker.stop() == 0
    assert await reminder_status(url, reminder) == "sent"
    assert "Traceback" not in worker.logs()
    await bot.stop()


@pytest.mark.serial  # measures a rate
@pytest.mark.postgres
async def test_two_workers_on_postgresql_share_the_work_and_one_rate_limit(
    bot_factory, emulator: EmulatorServer, pg_url: str  # type: ignore[no-untyped-def]
) -> None:
    """REMINDER_RATE is the bot's rate, whatever the number of processes sending. Both workers are
    up before the reminders fall due, and there are more than one worker claims at once, so both
    send; alone, each would keep 200/s and the two together 400/s."""
    rate, people = 200, range(8001, 9201)
    await add_due_reminders(pg_url, people, due_in=4.0)
    workers = [await bot_factory(pg_url, command="worker", REMINDER_RATE=rate) for _ in range(2)]
    async with asyncio.timeout(40):
        while len(sends := [c for c in emulator.calls("sendMessage") if c["status"] == 200]) < len(people):  # noqa: ASYNC110 (polls another process's work)
            await asyncio.sleep(0.2)
    assert sorted(c["chat_id"] for c in sends) == list(people), "each person once"
    walls = sorted(c["wall"] for c in sends)
    achieved = (len(walls) - 1) / (walls[-1] - walls[0])
    assert achieved <= rate * 1.05, f"{achieved:.1f}/s: the two workers together must keep {rate}/s"
    assert achieved >= rate * 0.8, f"{achieved:.1f}/s"
    async with aiohttp.ClientSession() as http:
        for worker in workers:
            async with http.get(worker.metrics_url) as resp:
                sent = metric(await resp.text(), "noticebot_reminders_sent_total")
            assert sent >= 100, f"each worker sent a share, not {sent}"
    for worker in workers:
        assert await worker.stop() == 0


def metric(text: str, name: str) -> float:
    return float(next(line.split()[-1] for line in text.splitlines() if line.startswith(name + " ")))


async def test_the_worker_refuses_a_wrong_token(emulator: EmulatorServer, tmp_path: Path) -> None:
    proc = BotProcess(token="999:refused-token", api_url=emulator.base_url,
                      database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", workdir=tmp_path, command="worker")
    with pytest.raises(RuntimeError, match="exited with 2"):
        await proc.start(ready_timeout=20)
    assert "BOT_TOKEN was refused" in proc.logs() and "Traceback" not in proc.logs()


async def test_the_worker_starts_and_keeps_trying_when_the_bot_api_is_unreachable(tmp_path: Path) -> None:
    """A Bot API blip at start is not a configuration error: the worker comes up healthy and says so."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        proc = BotProcess(token=TOKEN, api_url=f"http://127.0.0.1:{closed.getsockname()[1]}",
                          database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", workdir=tmp_path, command="worker")
        await proc.start(ready_timeout=20)
        assert await proc.stop() == 0
    assert "Bot API unreachable at start, will keep trying" in proc.logs() and "Traceback" not in proc.logs()


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
    code = ("import sys, app.worker, app.cli, bot.reminder_sender, bot.reminder_text, bot.i18n; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
