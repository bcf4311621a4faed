"""Shared by the conversation's e2e modules: one emulator and one real `noticebot run` per module
(a bot start costs seconds), a chat helper that finds buttons by label, and database access."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.emulator import EmulatorClient, EmulatorServer
from tests.e2e.conftest import TOKEN
from tests.harness import BotProcess

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class Bot:
    def __init__(self, emulator: EmulatorServer, client: EmulatorClient, process: BotProcess, db: Path) -> None:
        self.emulator, self.client, self.process, self.db = emulator, client, process, db

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db}"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def e2e_bot() -> AsyncIterator[Bot]:
    workdir = Path(tempfile.mkdtemp(prefix="nb-conv-"))
    db = workdir / "bot.db"
    async with EmulatorServer(tokens=[TOKEN]) as emu, EmulatorClient(emu.base_url) as client:
        proc = BotProcess(token=TOKEN, api_url=emu.base_url, database_url=f"sqlite+aiosqlite:///{db}",
                          workdir=workdir)
        await proc.start()
        try:
            yield Bot(emu, client, proc, db)
        finally:
            await proc.stop()
            if "Traceback" in proc.logs():
                print(proc.logs())
    shutil.rmtree(workdir, ignore_errors=True)


class Person:
    """Someone chatting with the bot; every message they get is kept in ``inbox``."""

    def __init__(self, bot: Bot, user_id: int, language: str = "en") -> None:
        self.bot, self.client, self.user_id, self.language = bot, bot.client, user_id, language

    async def say(self, text: str, count: int = 1, timeout: float = 15) -> list[dict[str, Any]]:
        await self.client.send_text(self.user_id, text, language_code=self.language)
        return await self.client.wait_sent(self.user_id, count=count, timeout=timeout)

    async def press(self, message: dict[str, Any], label: str, count: int = 1,
                    timeout: float = 15) -> list[dict[str, Any]]:
        await self.client.press(self.user_id, message["message_id"], button(message, label))
        return await self.client.wait_sent(self.user_id, count=count, timeout=timeout) if count else []

    async def press_data(self, message: dict[str, Any], data: str) -> dict[str, Any]:
        """Press raw callback data and return the callback answer (for refusals)."""
        qid = await self.client.press(self.user_id, message["message_id"], data)
        return await self.client.wait_callback_answer(qid)

    async def latest(self, message_id: int) -> dict[str, Any]:
        """A message as it is now (after edits)."""
        for m in await self.client.sent(self.user_id, changed=True):
            if m["message_id"] == message_id:
                return m
        raise AssertionError(f"message {message_id} not found")


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button(message: dict[str, Any], label: str) -> str:
    for text, data in buttons(message):
        if label.lower() in text.lower():
            return data
    raise AssertionError(f"no button {label!r} in {[t for t, _ in buttons(message)]}")


def text_of(message: dict[str, Any]) -> str:
    return message.get("plain_text") or message.get("text") or message.get("caption") or ""


def days_ago(n: int) -> date:
    """A date n days before today where the bot thinks the person is (DEFAULT_TIMEZONE)."""
    return datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=n)


def us(d: date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


def need_tesseract() -> None:
    if shutil.which("tesseract"):
        return
    if IN_CI:
        pytest.fail("tesseract is not installed, but CI=true: .ci/run installs tesseract-ocr")
    pytest.skip("tesseract is not installed (apt-get install tesseract-ocr); the photo path needs it")


def query(bot: Bot, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Read the bot's SQLite database directly (WAL mode allows it while the bot runs)."""
    import sqlite3

    with sqlite3.connect(bot.db) as conn:
        return conn.execute(sql, args).fetchall()
