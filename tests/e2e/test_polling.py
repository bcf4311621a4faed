"""The real bot (long polling, SQLite) in production concerns: a message with an SSN and an amount
never reaches the log file, /metrics counts it, and `noticebot backup` copies the live database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from emulator import EmulatorClient
from tests.e2e.conftest import Chat
from tests.e2e.test_webhook import metric

pytestmark = pytest.mark.e2e

SECRET_BITS = ("123-45-6789", "123456789", "123 45 6789", "4,321.09", "4321.09", "432109", "My SSN")


async def test_log_privacy_metrics_and_live_backup(bot_factory, client: EmulatorClient, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bot = await bot_factory(LOG_LEVEL="DEBUG")  # the chattiest level must be clean too
    chat = Chat(client, user_id=31337)
    replies = await chat.say("My SSN is 123-45-6789 and I owe $4,321.09 on a CP14 for tax year 2024, "
                             "notice dated Nov 3, 2026", count=2)
    card = next(m for m in replies if m.get("reply_markup"))
    assert "123-45-6789" not in str(replies)  # the bot itself warns and drops it
    await chat.press_label(card, "Save")

    with sqlite3.connect(tmp_path / "bot.db") as db:
        ((notice_id, cents),) = db.execute("SELECT id, amount_cents FROM notices").fetchall()
    assert cents == 432109

    # The database is backed up while the bot runs; the copy has the notice.
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app", "backup", str(tmp_path / "backup.db")], capture_output=True, text=True,
        timeout=60, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DATABASE_URL": bot.env["DATABASE_URL"]},
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("SELECT id, amount_cents FROM notices").fetchall() == [(notice_id, 432109)]
        assert copy.execute("SELECT count(*) FROM reminders").fetchone()[0] > 0

    async with aiohttp.ClientSession() as http, http.get(bot.metrics_url) as resp:
        text = await resp.text()
    assert metric(text, "noticebot_updates_total", type="message", outcome="handled") >= 1
    assert metric(text, "noticebot_updates_total", type="callback_query", outcome="handled") >= 1
    assert metric(text, "noticebot_people_active") == 1

    await asyncio.sleep(0.2)
    logs = bot.logs()
    lines = [line for line in logs.splitlines() if line.strip()]
    assert all(line.startswith("{") and line.endswith("}") for line in lines), logs[:2000]  # JSON lines
    for bit in SECRET_BITS:
        assert bit not in logs, bit
    assert str(chat.user_id) not in logs  # people appear only as pseudonyms
    assert '"update_id"' in logs
