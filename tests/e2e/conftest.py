"""End-to-end fixtures: the emulator in the test's loop and a real `noticebot run` subprocess."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import EmulatorClient, EmulatorServer
from tests.harness import BotProcess

TOKEN = "424242:e2e-test-token"


@pytest.fixture
async def emulator() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(tokens=[TOKEN]) as emu:
        yield emu


@pytest.fixture
async def client(emulator: EmulatorServer) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.base_url) as c:
        yield c


@pytest.fixture
def bot_factory(emulator: EmulatorServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Start bots (several for replica tests); all are stopped at teardown."""
    started: list[BotProcess] = []

    async def start(database_url: str | None = None, **env: Any) -> BotProcess:
        proc = BotProcess(
            token=TOKEN, api_url=emulator.base_url,
            database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            workdir=tmp_path, **{k: str(v) for k, v in env.items()},
        )
        started.append(proc)
        await proc.start()
        return proc

    yield start
    for proc in started:
        if proc.proc is not None and proc.proc.returncode is None:
            proc.proc.send_signal(signal.SIGKILL)


@pytest.fixture
async def bot(bot_factory) -> BotProcess:  # type: ignore[no-untyped-def]
    return await bot_factory()


class Chat:
    """A person talking to the bot: say something, get the bot's replies."""

    def __init__(self, client: EmulatorClient, user_id: int, language: str = "en") -> None:
        self.client, self.user_id, self.language = client, user_id, language

    async def say(self, text: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        await self.client.send_text(self.user_id, text, language_code=self.language)
        return await self.client.wait_sent(self.user_id, count=count, timeout=timeout)

    async def press(self, message: dict[str, Any], data: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        await self.client.press(self.user_id, message["message_id"], data)
        return await self.client.wait_sent(self.user_id, count=count, timeout=timeout)


@pytest.fixture
def chat(client: EmulatorClient) -> Chat:
    return Chat(client, user_id=1001)
