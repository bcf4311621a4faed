"""Webhook mode end to end: the real `noticebot run` with WEBHOOK_URL, the emulator delivering updates
to it (with Telegram's secret header), updates posted directly with a missing or wrong secret (401,
never handled), /metrics and /healthz, and SIGTERM draining an update in flight."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from emulator import EmulatorClient, EmulatorServer
from tests.e2e.conftest import TOKEN, Chat
from tests.harness import BotProcess

pytestmark = pytest.mark.e2e

SECRET = "e2e_webhook-Secret_0123456789"
HOOK_PATH = "/telegram/hook"

StartBot = Callable[..., Awaitable[BotProcess]]


@asynccontextmanager
async def webhook_bots(emulator: EmulatorServer, tmp_path: Path) -> AsyncIterator[StartBot]:
    """Start `noticebot run` processes in webhook mode (WEBHOOK_URL: the bot's own port unless
    given); all are killed on exit."""
    started: list[BotProcess] = []

    async def start(database_url: str | None = None, webhook_url: str | None = None, ready_timeout: float = 30,
                    **env: Any) -> BotProcess:
        proc = BotProcess(
            token=TOKEN, api_url=emulator.base_url,
            database_url=database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            workdir=tmp_path, WEBHOOK_SECRET=SECRET, **{k: str(v) for k, v in env.items()},
        )
        proc.env["WEBHOOK_URL"] = webhook_url or f"{proc.url}{HOOK_PATH}"
        started.append(proc)
        await proc.start(ready_timeout=ready_timeout)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            if proc.proc is not None and proc.proc.returncode is None:
                proc.proc.send_signal(signal.SIGKILL)
                await proc.proc.wait()


@pytest.fixture
async def webhook_bot_factory(emulator: EmulatorServer, tmp_path: Path) -> AsyncIterator[StartBot]:
    async with webhook_bots(emulator, tmp_path) as start:
        yield start


async def wait_for(predicate: Callable[[], Awaitable[bool]], timeout: float = 10, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def metric(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return float(s.value)
    raise KeyError(f"{name}{labels}")


def raw_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": int(time.time()), "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Direct"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Direct", "language_code": "en"},
        },
    }


async def test_webhook_mode_end_to_end(webhook_bot_factory: StartBot, client: EmulatorClient, chat: Chat,
                                       tmp_path: Path) -> None:
    bot = await webhook_bot_factory()
    hook_url = bot.env["WEBHOOK_URL"]

    async def webhook_set() -> bool:
        return ((await client.info()).get("webhook") or {}).get("url") == hook_url

    await wait_for(webhook_set, what="setWebhook")
    hook = (await client.info())["webhook"]
    assert hook["secret_token"] == SECRET  # set with the secret; the emulator sends it back as the header
    set_calls = await client.calls("setWebhook")
    assert len(set_calls) == 1 and not await client.calls("getUpdates")  # no polling in webhook mode

    # 1. Telegram (the emulator) delivers by POSTing to WEBHOOK_URL; the bot answers.
    (welcome,) = await chat.say("/start")
    assert "IRS" in welcome["text"]

    # 2. Posted directly: a missing or wrong secret is 401 and the update is never handled.
    async with aiohttp.ClientSession() as http:
        url = f"{bot.url}{HOOK_PATH}"
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                        {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}):
            async with http.post(url, json=raw_update(900_001, 777, "/start"), headers=headers) as resp:
                assert resp.status == 401, headers
        await asyncio.sleep(0.5)
        assert await client.sent(777) == []
        with sqlite3.connect(tmp_path / "bot.db") as db:
            assert db.execute("SELECT count(*) FROM users WHERE id = 777").fetchone() == (0,)
        # The same update with the right secret is handled (the bot replies through the Bot API).
        async with http.post(url, json=raw_update(900_002, 778, "/help"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
            assert resp.status == 200
        (help_,) = await client.wait_sent(778)
        assert "/notices" in help_["text"]

        # 3. /healthz on the public port, /metrics on its own private one (METRICS_PORT); the public one 404s it.
        async with http.get(f"{bot.url}/healthz") as resp:
            assert resp.status == 200 and (await resp.json())["database"] is True
        async with http.get(f"{bot.url}/metrics") as resp:
            assert resp.status == 404, "not on the public port (issue 18)"
        async with http.get(bot.metrics_url) as resp:
            assert resp.status == 200
            text = await resp.text()
    assert metric(text, "noticebot_updates_total", type="message", outcome="handled") >= 2
    assert metric(text, "noticebot_webhook_rejected_total", reason="secret") == 3
    assert metric(text, "noticebot_update_seconds_count", type="message") >= 2
    assert metric(text, "noticebot_people_active") == 2  # 1001 and 778; never 777

    # 4. SIGTERM while an update is in flight (its reply stalls 2 s): it finishes, the webhook is
    #    removed, the process exits 0 in time.
    await client.fault("sendMessage", stall=2.0, times=1)
    await client.send_text(chat.user_id, "/privacy")
    await wait_for(lambda: _in_flight(client), what="the update to be in flight")
    began = time.monotonic()
    assert await bot.stop(signal.SIGTERM) == 0, bot.logs()
    assert time.monotonic() - began < 10
    (privacy,) = await client.wait_sent(chat.user_id, timeout=2)
    assert "/forget" in privacy["text"]
    assert (await client.info())["webhook"] is None
    logs = bot.logs()
    assert '"webhook set"' in logs and '"webhook removed"' in logs and '"stopped"' in logs
    assert SECRET not in logs and TOKEN.split(":")[1] not in logs
    assert "Traceback" not in logs


async def _in_flight(client: EmulatorClient) -> bool:
    """The reply to /privacy is on the wire (the emulator logs a call when it starts, status None)."""
    return any(c["chat_id"] == 1001 and c["status"] is None for c in await client.calls("sendMessage"))
