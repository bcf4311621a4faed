"""Shared by the conversation's e2e modules: one emulator and one real `noticebot run` per module
(a bot start costs seconds), its chats (tests.e2e.conftest.Chat) and database access."""

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

from emulator import EmulatorClient, EmulatorServer
from tests.e2e.conftest import TOKEN, Chat
from tests.harness import BotProcess

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class Bot:
    def __init__(self, emulator: EmulatorServer, client: EmulatorClient, process: BotProcess, db: Path) -> None:
        self.emulator, self.client, self.process, self.db = emulator, client, process, db

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db}"

    def chat(self, user_id: int, language: str = "en") -> Chat:
        """Someone chatting with this bot; these modules wait 15 s for a reply (e2e elsewhere: 10 s)."""
        return Chat(self.client, user_id, language, timeout=15)


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
