"""The webhook handler and /metrics in-process (aiohttp test server, a real Dispatcher, SQLite)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.methods import SendMessage
from aiogram.types import Message
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.middlewares import UpdateMetricsMiddleware
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Notice, Reminder, User
from web import server as http
from web import webhook
from web.metrics import Metrics

SECRET = "s3cret_Token-1"
TOKEN = "42:production-unit"


def update(update_id: int, text: str, user_id: int = 501) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1_700_000_000, "text": text,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "T"},
        },
    }


class Service:
    """Stands in for the reminder engine's ReminderService (its public counters and alive)."""

    def __init__(self) -> None:
        from scheduler.service import Counters

        self.counters = Counters(due=5, sent=4, failed=1, retried=2, lag_s=1.5)
        self.alive = True


@pytest.fixture
async def stack(sqlite_url: str) -> AsyncIterator[tuple[TestClient, list[str], Dispatcher, Metrics, Any]]:
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    seen: list[str] = []
    router = Router()

    @router.message()
    async def echo(message: Message) -> Any:
        seen.append(message.text or "")
        if message.text == "reply-in-response":
            return SendMessage(chat_id=message.chat.id, text="answered in the webhook response")
        if message.text == "boom":
            raise RuntimeError("handler failed")
        return None

    dp = Dispatcher()
    dp.include_router(router)
    metrics = Metrics(engine, reminder_service=lambda: dp.workflow_data.get("reminder_service"))
    dp.update.outer_middleware(UpdateMetricsMiddleware(metrics))
    bot = Bot(TOKEN)
    app = http.make_app(engine, lambda: True, metrics)
    hook = webhook.WebhookHandler(dp, bot, SECRET, metrics)
    assert webhook.register(app, "https://bot.example.com/tg/hook?x=1", hook) == "/tg/hook"
    async with TestClient(TestServer(app)) as client:
        yield client, seen, dp, metrics, (hook, engine)
    await bot.session.close()
    await engine.dispose()


async def post(client: TestClient, body: Any, secret: str | None) -> tuple[int, bytes, str]:
    headers = {webhook.SECRET_HEADER: secret} if secret is not None else {}
    resp = await client.post("/tg/hook", json=body, headers=headers)
    return resp.status, await resp.read(), resp.headers.get("Content-Type", "")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def test_missing_or_wrong_secret_is_401_and_nothing_runs(stack, caplog) -> None:  # type: ignore[no-untyped-def]
    client, seen, _, _, _ = stack
    caplog.set_level(logging.INFO, logger="noticebot.webhook")
    for secret in (None, "", "wrong", SECRET + "x", SECRET[:-1], "ünïcode"):
        status, _, _ = await post(client, update(1, "hello"), secret)
        assert status == 401, secret
    assert seen == []
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1, "counted in metrics, logged once, not per request (issue 18)"
    status, body, _ = await post(client, update(2, "hello"), SECRET)
    assert status == 200 and body == b"{}" and seen == ["hello"]
    metrics = samples(await (await client.get("/metrics")).text())
    assert metrics[("noticebot_webhook_rejected_total", (("reason", "secret"),))] == 6
    assert metrics[("noticebot_updates_total", (("outcome", "handled"), ("type", "message")))] == 1


async def test_bad_body_is_400_and_other_paths_404(stack) -> None:  # type: ignore[no-untyped-def]
    client, seen, _, _, _ = stack
    resp = await client.post("/tg/hook", data=b"not json", headers={webhook.SECRET_HEADER: SECRET})
    assert resp.status == 400
    status, _, _ = await post(client, {"no": "update_id"}, SECRET)
    assert status == 400
    resp = await client.post("/other", json=update(3, "x"), headers={webhook.SECRET_HEADER: SECRET})
    assert resp.status in {404, 405}
    assert seen == []


async def test_method_returned_by_a_handler_goes_back_in_the_response(stack) -> None:  # type: ignore[no-untyped-def]
    client, seen, _, _, _ = stack
    status, body, ctype = await post(client, update(4, "reply-in-response"), SECRET)
    assert status == 200 and ctype.startswith("multipart/form-data")
    assert b'name="method"' in body and b"sendMessage" in body and b"answered in the webhook response" in body


async def test_shutting_down_answers_503_without_processing(stack) -> None:  # type: ignore[no-untyped-def]
    client, seen, _, _, (hook, _) = stack
    hook.accepting = False
    status, _, _ = await post(client, update(5, "late"), SECRET)
    assert status == 503 and seen == []
    status, _, _ = await post(client, update(6, "late"), "wrong")
    assert status == 401  # the secret is still checked first


async def test_metrics_updates_latency_reminders_queue_and_people(stack) -> None:  # type: ignore[no-untyped-def]
    client, seen, dp, _, (_, engine) = stack
    from storage.db import make_sessionmaker

    now = datetime.now(UTC)
    async with make_sessionmaker(engine)() as session:
        session.add_all([User(id=1, active=True), User(id=2, active=True), User(id=3, active=False)])
        await session.flush()
        notice = Notice(user_id=1, code="CP14")
        session.add(notice)
        await session.flush()
        for minutes, status in ((-30, "pending"), (-5, "pending"), (-1, "sent"), (60, "pending")):
            session.add(Reminder(notice_id=notice.id, user_id=1, kind=f"k{minutes}", due_at=now + timedelta(minutes=minutes),
                                 status=status, priority=1, attempts=0, created_at=now))
        await session.commit()
    await post(client, update(7, "one"), SECRET)
    status, _, _ = await post(client, update(8, "boom"), SECRET)
    assert status == 500  # nothing caught it (the real bot has an errors router): Telegram retries
    dp["reminder_service"] = Service()
    resp = await client.get("/metrics")
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/plain; version=")
    m = samples(await resp.text())
    assert m[("noticebot_updates_total", (("outcome", "handled"), ("type", "message")))] == 1
    assert m[("noticebot_updates_total", (("outcome", "error"), ("type", "message")))] == 1
    assert m[("noticebot_update_seconds_count", (("type", "message"),))] == 2
    assert ("noticebot_update_seconds_bucket", (("le", "0.005"), ("type", "message"))) in m
    assert m[("noticebot_reminders_due_total", ())] == 5 and m[("noticebot_reminders_sent_total", ())] == 4
    assert m[("noticebot_reminders_failed_total", ())] == 1 and m[("noticebot_reminders_retried_total", ())] == 2
    assert m[("noticebot_reminder_delivery_lag_seconds", ())] == 1.5
    assert m[("noticebot_reminder_worker_up", ())] == 1
    assert m[("noticebot_reminder_queue_depth", ())] == 2  # pending and due; not sent, not future
    assert 29 * 60 <= m[("noticebot_reminder_queue_oldest_seconds", ())] <= 31 * 60
    assert m[("noticebot_people_active", ())] == 2
    om = await client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert om.headers["Content-Type"].startswith("application/openmetrics-text")
    assert (await om.text()).rstrip().endswith("# EOF")


async def test_metrics_without_a_reminder_worker_and_with_the_database_down(stack) -> None:  # type: ignore[no-untyped-def]
    client, _, _, _, (_, engine) = stack
    m = samples(await (await client.get("/metrics")).text())
    assert m[("noticebot_reminders_sent_total", ())] == 0 and m[("noticebot_reminder_worker_up", ())] == 0
    assert m[("noticebot_reminder_queue_depth", ())] == 0 and m[("noticebot_people_active", ())] == 0


def test_each_app_has_its_own_registry(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    a, b = Metrics(engine), Metrics(engine)  # no "Duplicated timeseries" from a global registry
    a.updates.labels(type="message", outcome="handled").inc()
    assert b.registry.get_sample_value("noticebot_updates_total", {"type": "message", "outcome": "handled"}) is None


async def test_healthz_503_when_the_scheduler_is_down_or_the_database_unreachable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    alive = [True]
    async with TestClient(TestServer(http.make_app(engine, lambda: alive[0]))) as client:
        resp = await client.get("/healthz")
        assert resp.status == 200 and await resp.json() == {"ok": True, "database": True, "scheduler": True}
        alive[0] = False
        resp = await client.get("/healthz")
        assert resp.status == 503 and (await resp.json())["scheduler"] is False
    await engine.dispose()
    gone = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'h.db'}")
    async with TestClient(TestServer(http.make_app(gone, lambda: True))) as client:
        resp = await client.get("/healthz")
        assert resp.status == 503 and await resp.json() == {"ok": False, "database": False, "scheduler": True}
        assert (await client.get("/metrics")).status == 200  # still answers, without the database gauges
    await gone.dispose()
