"""`noticebot demo`: the real bot and the local Bot API emulator in one process, chatting in this terminal.

Typed lines are messages; a number presses that button of the last message with buttons; files the bot
sends are saved and their path printed; `:send PATH` sends a PDF or photo. Works offline, with no token,
and with piped standard input (it exits at the end of input once the replies have arrived).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from app.config import load_settings
from app.logs import setup_logging
from app.run import serve
from emulator import DEMO_TOKEN, EmulatorServer

DEMO_USER = 1
QUIET_S = 0.8  # a reply is complete when the bot has been quiet this long
REPLY_TIMEOUT_S = 15.0
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".webp"}

BANNER = """noticebot demo: you are chatting with the real bot through a local Telegram emulator.
Type a message (try /start, or: got a CP14 for 2024, owe $3,412.18, dated Nov 3).
A number presses a button; ':send PATH' sends a PDF or photo; Ctrl-D or ':quit' ends.
"""


def render(message: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """Plain text for the terminal, and the buttons as (label, callback_data)."""
    text = message.get("plain_text") or ""
    buttons = [
        (b.get("text", ""), b.get("callback_data") or b.get("url") or "")
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]
    return text, buttons


class Terminal:
    def __init__(self, emu: EmulatorServer, files_dir: Path, language: str) -> None:
        self.emu, self.files_dir, self.language = emu, files_dir, language
        self.buttons: list[tuple[int, str]] = []  # (message_id, callback_data) of the last keyboard
        self.seen_updates: dict[int, int] = {}

    async def replies(self) -> None:
        """Print everything the bot sends or edits until it has been quiet for a moment."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REPLY_TIMEOUT_S
        got_any = False
        while loop.time() < deadline:
            changed = [m for m in self.emu.sent(DEMO_USER, changed=True)
                       if self.seen_updates.get(m["message_id"]) != m["updated"]]
            if changed:
                got_any = True
                for message in changed:
                    self.seen_updates[message["message_id"]] = message["updated"]
                    self.show(message)
                deadline = min(deadline, loop.time() + REPLY_TIMEOUT_S)
            before: int = self.emu.cursor
            wait = QUIET_S if got_any else REPLY_TIMEOUT_S
            if not await self.emu.wait_until(lambda: self.emu.cursor != before, wait) and got_any:  # noqa: B023
                return

    def show(self, message: dict[str, Any]) -> None:
        if message.get("deleted"):
            return
        text, buttons = render(message)
        label = "bot (edited)" if message.get("edited") else "bot"
        if message.get("document"):
            doc = message["document"]
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / Path(doc.get("file_name") or "file").name
            path.write_bytes(self.emu.file_bytes(doc["file_id"]))
            print(f"{label}: [file saved: {path}]")
        elif message.get("photo"):
            path = self.files_dir / f"photo-{message['message_id']}.png"
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.emu.file_bytes(message["photo"][-1]["file_id"]))
            print(f"{label}: [picture saved: {path}]")
        if text:
            print(f"{label}: {text}")
        if buttons:
            callbacks = [(message["message_id"], data) for _label, data in buttons]
            self.buttons = callbacks
            for number, (label_text, _data) in enumerate(buttons, 1):
                print(f"   [{number}] {label_text}")
        print(flush=True)

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {":quit", ":q"}:
            return False
        if line.isdigit() and self.buttons and 1 <= int(line) <= len(self.buttons):
            message_id, data = self.buttons[int(line) - 1]
            self.emu.inject_callback(DEMO_USER, message_id, data)
        elif line.startswith(":send "):
            path = Path(line[6:].strip()).expanduser()
            if not path.is_file():
                print(f"(no such file: {path})\n")
                return True
            content = path.read_bytes()
            if path.suffix.lower() in IMAGE_TYPES:
                self.emu.inject_photo(DEMO_USER, content)
            else:
                self.emu.inject_document(DEMO_USER, path.name, content, "application/pdf")
        else:
            self.emu.inject_message(DEMO_USER, line, language_code=self.language, first_name="Demo")
        await self.replies()
        return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the OS picks it); the bot binds it a moment later."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


async def run_demo(files_dir: str = "demo-files", user_language: str = "en") -> int:
    setup_logging("ERROR")  # the terminal is for the conversation
    logging.getLogger("noticebot").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="noticebot-demo-") as tmp:
        async with EmulatorServer(tokens=[DEMO_TOKEN]) as emu:
            settings = load_settings(
                # A real port, not 0: the links the bot prints (the calendar feed) must work.
                bot_token=DEMO_TOKEN, telegram_api_url=emu.base_url, http_port=free_port(), metrics_port=0,
                redis_url=None,
                database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}", webhook_url=None,
            )
            stop = asyncio.Event()
            bot_task = asyncio.create_task(serve(settings, stop=stop))
            await emu.wait_until(lambda: bool(emu.calls("getUpdates")) or bot_task.done(), 60)
            if bot_task.done():
                await bot_task  # raises the start-up error
            print(BANNER, flush=True)
            terminal = Terminal(emu, Path(files_dir), user_language)
            loop = asyncio.get_running_loop()
            try:
                while True:
                    if sys.stdin.isatty():
                        print("you: ", end="", flush=True)
                    line = await loop.run_in_executor(None, sys.stdin.readline)
                    if not line:  # end of input
                        break
                    if not sys.stdin.isatty():
                        print(f"you: {line.rstrip()}", flush=True)
                    if not await terminal.handle(line):
                        break
            finally:
                stop.set()
                with suppress(asyncio.CancelledError):
                    await asyncio.wait_for(bot_task, 15)
    return 0
