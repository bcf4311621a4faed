"""End-to-end fixtures: the emulator in the test's loop and a real `noticebot run` subprocess."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from emulator import EmulatorClient, EmulatorServer
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

    async def start(database_url: str | None = None, fresh: bool = False, **env: Any) -> BotProcess:
        proc = BotProcess(
            token=TOKEN, api_url=emulator.base_url,
            database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            workdir=tmp_path, fresh=fresh, **{k: str(v) for k, v in env.items()},
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


Message = dict[str, Any]


class Chat:
    """A person chatting with the bot through the emulator.

    Replies come back by position (``say``, ``press``, ``press_label``: the next ``count`` messages)
    or by what they are (``expect``, ``say_until``, ``press_until``: the first that ``want`` accepts,
    for when the bot may add other messages in between, such as a "you are sending quickly" notice
    or a due reminder). ``timeout`` is the default wait for one reply batch, in seconds."""

    def __init__(
        self, client: EmulatorClient, user_id: int, language: str = "en", timeout: float = 10
    ) -> None:
        self.client, self.user_id, self.language, self.timeout = client, user_id, language, timeout

    async def _replies(self, count: int, timeout: float | None) -> list[Message]:
        if not count:
            return []
        timeout = self.timeout if timeout is None else timeout
        return await self.client.wait_sent(self.user_id, count=count, timeout=timeout)

    async def _send(self, text: str) -> None:
        await self.client.send_text(self.user_id, text, language_code=self.language)

    async def _press(self, message: Message, data: str) -> str:
        return await self.client.press(self.user_id, message["message_id"], data)

    async def say(self, text: str, count: int = 1, timeout: float | None = None) -> list[Message]:
        """Send ``text``; the next ``count`` replies."""
        await self._send(text)
        return await self._replies(count, timeout)

    async def press(
        self, message: Message, data: str, count: int = 1, timeout: float | None = None
    ) -> list[Message]:
        """Press a button of ``message`` by its raw callback data; the next ``count`` replies."""
        await self._press(message, data)
        return await self._replies(count, timeout)

    async def press_label(
        self, message: Message, label: str, count: int = 1, timeout: float | None = None
    ) -> list[Message]:
        """Press the first button of ``message`` whose label contains ``label`` (any case)."""
        return await self.press(message, button(message, label), count=count, timeout=timeout)

    async def answer_to(self, message: Message, data: str, timeout: float = 10) -> Message:
        """Press raw callback data; the callback answer (an alert or a toast), not a message."""
        return await self.client.wait_callback_answer(await self._press(message, data), timeout=timeout)

    async def expect(self, want: Callable[[Message], bool], tries: int = 10) -> Message:
        """The first of the next ``tries`` replies that ``want`` accepts; the others are skipped."""
        seen: list[str | None] = []
        try:
            for _ in range(tries):
                (message,) = await self._replies(1, None)
                if want(message):
                    return message
                seen.append(message.get("plain_text") or message.get("caption"))
        except TimeoutError:
            pass
        raise AssertionError(f"no matching reply among {seen}")

    async def say_until(self, text: str, want: Callable[[Message], bool]) -> Message:
        """Send ``text``; the first reply ``want`` accepts (see ``expect``)."""
        await self._send(text)
        return await self.expect(want)

    async def press_until(self, message: Message, data: str, want: Callable[[Message], bool]) -> Message:
        """Press raw callback data; the first reply ``want`` accepts (see ``expect``)."""
        await self._press(message, data)
        return await self.expect(want)

    async def latest(self, message_id: int) -> Message:
        """A message as it is now (after edits)."""
        for m in await self.client.sent(self.user_id, changed=True):
            if m["message_id"] == message_id:
                return m
        raise AssertionError(f"message {message_id} not found")


def buttons(message: Message) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button(message: Message, label: str) -> str:
    """The callback data of the first button whose label contains ``label`` (any case)."""
    for text, data in buttons(message):
        if label.lower() in text.lower():
            return data
    raise AssertionError(f"no button {label!r} in {[t for t, _ in buttons(message)]}")


@pytest.fixture
def chat(client: EmulatorClient) -> Chat:
    return Chat(client, user_id=1001)
