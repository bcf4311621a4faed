"""Shared by the reliability tests: the default/full switch, figures, a real bot process with an
optionally shifted reminder clock, seeding due reminders straight into the database, and waiting
for bot messages in the in-process emulator."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from emulator import EmulatorServer
from notices.money import money as format_money
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Notice, Reminder, User
from tests.harness import BotProcess

FULL = os.environ.get("RELIABILITY_FULL", "") == "1"
HOOK_DIR = Path(__file__).resolve().parent / "clockhook"
TOKEN = "424242:e2e-test-token"  # same token as tests/e2e


def scaled(default: int, full: int) -> int:
    """The count for this run: small by default, the issue's figure with RELIABILITY_FULL=1."""
    return full if FULL else default


def record(test: str, **figures: Any) -> None:
    """Print the figures (pytest -s shows them) and, with RELIABILITY_FIGURES=<file>, append them
    there as one JSON line; docs/reliability.md quotes the latest full run."""
    line = json.dumps({"test": test, "full": FULL, **figures}, sort_keys=True, default=str)
    print(f"\nFIGURES {line}")
    if target := os.environ.get("RELIABILITY_FIGURES"):
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def bot_process(emu: EmulatorServer, database_url: str, workdir: Path, *, clock_offset_s: float = 0.0,
                **env: Any) -> BotProcess:
    """A real `noticebot run` (not started); ``clock_offset_s`` shifts its reminder clock."""
    extra = {k: str(v) for k, v in env.items()}
    if clock_offset_s:
        extra["PYTHONPATH"] = str(HOOK_DIR)
        extra["NOTICEBOT_CLOCK_OFFSET_S"] = str(clock_offset_s)
    return BotProcess(token=emu.token, api_url=emu.base_url, database_url=database_url, workdir=workdir, **extra)


# --- database ---------------------------------------------------------------------------------


async def seed_due(database_url: str, users: list[int], due_at: datetime, *, code: str = "CP14",
                   respond_by: date | None = None, per_user: int = 1) -> dict[int, int]:
    """A person with ``per_user`` open notices, each with one reminder due at ``due_at``, for each
    id in ``users``, written through the storage models. Amounts are unique ($1,000.00 + the
    notice's index in cents), so a message names its notice. Returns {reminder id: amount in cents}."""
    await upgrade(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    respond_by = respond_by or (now.date() + timedelta(days=20))
    try:
        async with make_sessionmaker(engine)() as session:
            session.add_all(User(id=u, language="en", timezone="America/New_York") for u in users)
            await session.flush()
            notices = [Notice(user_id=u, code=code, tax_years=[2024], respond_by=respond_by,
                              amount_cents=100_000 + i * per_user + j)
                       for i, u in enumerate(users) for j in range(per_user)]
            session.add_all(notices)
            await session.flush()
            rems = [Reminder(notice_id=n.id, user_id=n.user_id, kind="before:7", due_at=due_at, priority=3,
                             status="pending", attempts=0, created_at=now) for n in notices]
            session.add_all(rems)
            await session.commit()
            amounts = {n.id: n.amount_cents for n in notices}
            return {r.id: amounts[r.notice_id] for r in rems}
    finally:
        await engine.dispose()


def money(cents: int) -> str:
    return format_money(cents, cents=True)


def sqlite_path(database_url: str) -> str:
    return database_url.split(":///", 1)[1]


def sql(db: str | Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    """Read the bot's SQLite database directly (WAL lets us while the bot runs)."""
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


# --- the emulator -----------------------------------------------------------------------------


def texts(emu: EmulatorServer, chat_id: int, since: int = 0) -> list[dict[str, Any]]:
    return emu.sent(chat_id, since)


def plain(message: dict[str, Any]) -> str:
    return message.get("plain_text") or message.get("text") or message.get("caption") or ""


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def button(message: dict[str, Any], label: str) -> str | None:
    return next((data for text, data in buttons(message) if label.lower() in text.lower()), None)


async def wait_message(emu: EmulatorServer, chat_id: int, since: int, pred: Callable[[dict[str, Any]], bool],
                       timeout: float) -> dict[str, Any] | None:
    """The first bot message in ``chat_id`` after cursor ``since`` that satisfies ``pred``; None on timeout."""
    found: list[dict[str, Any]] = []

    def check() -> bool:
        found[:] = [m for m in emu.sent(chat_id, since) if pred(m)]
        return bool(found)

    await emu.wait_until(check, timeout)
    return found[0] if found else None
