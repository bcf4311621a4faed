"""Prometheus metrics for one bot process, on a registry of its own (no global state, so tests and
several apps in one process do not collide).

- ``noticebot_updates_total{type,outcome}`` and ``noticebot_update_seconds{type}`` come from an outer
  middleware that wraps every update (outcome: handled, unhandled, error;
  ``bot.middlewares.UpdateMetricsMiddleware``: this module does not import aiogram, so the reminder
  worker serves the same /metrics);
- the reminder engine's counters (due, sent, failed, retried, last delivery lag) are read from its
  ``ReminderService.counters`` at scrape time;
- queue depth (pending reminders already due) and active people are counted in the database on each
  scrape, by a collector the /metrics handler refreshes just before rendering.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Reminder, ReminderStatus, User

log = logging.getLogger("noticebot.metrics")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
DB_QUERY_TIMEOUT_S = 5.0


class ReminderCollector(Collector):
    """The reminder engine's counters, read from whatever service the process runs (None: none)."""

    def __init__(self, service: Callable[[], Any]) -> None:
        self.service = service

    def collect(self) -> Iterator[Metric]:
        svc = self.service()
        counters = getattr(svc, "counters", None)
        values = {name: float(getattr(counters, name, 0) or 0) for name in ("due", "sent", "failed", "retried")}
        help_ = {
            "due": "Reminders claimed as due by this process.",
            "sent": "Reminder messages sent by this process.",
            "failed": "Reminder sends that failed for good or for now (blocked, unexpected errors).",
            "retried": "Reminder sends put back for a retry (429, 5xx, timeouts).",
        }
        for name, value in values.items():
            family = CounterMetricFamily(f"noticebot_reminders_{name}", help_[name])
            family.add_metric([], value)
            yield family
        lag = GaugeMetricFamily(
            "noticebot_reminder_delivery_lag_seconds",
            "How late the last reminder went out, from its due instant to the send.",
        )
        lag.add_metric([], float(getattr(counters, "lag_s", 0.0) or 0.0))
        yield lag
        alive = getattr(svc, "alive", None)
        up = GaugeMetricFamily("noticebot_reminder_worker_up", "1 when this process's reminder worker is alive.")
        up.add_metric([], 1.0 if alive is True else 0.0)
        yield up


class DatabaseCollector(Collector):
    """Queue depth and active people, counted by ``refresh`` (async) and yielded by ``collect``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.queue_depth: float | None = None
        self.people_active: float | None = None
        self.oldest_due_age: float | None = None

    async def refresh(self) -> None:
        now = datetime.now(UTC)
        pending_due = Reminder.status == ReminderStatus.PENDING.value, Reminder.due_at <= now
        try:
            async with asyncio.timeout(DB_QUERY_TIMEOUT_S), self.engine.connect() as conn:
                depth = await conn.scalar(select(func.count()).select_from(Reminder).where(*pending_due))
                oldest = await conn.scalar(select(func.min(Reminder.due_at)).where(*pending_due))
                people = await conn.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))
        except Exception as exc:  # the scrape still answers; the gauges go missing, the log says why
            log.warning("metrics: database query failed", extra={"error": type(exc).__name__})
            self.queue_depth = self.people_active = self.oldest_due_age = None
            return
        self.queue_depth = float(depth or 0)
        self.people_active = float(people or 0)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        self.oldest_due_age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0

    def collect(self) -> Iterator[Metric]:
        gauges = (
            ("noticebot_reminder_queue_depth", "Pending reminders already due (waiting to be sent).",
             self.queue_depth),
            ("noticebot_reminder_queue_oldest_seconds", "Age of the oldest pending due reminder.",
             self.oldest_due_age),
            ("noticebot_people_active", "People who use the bot and have not blocked it.", self.people_active),
        )
        for name, help_, value in gauges:
            if value is not None:
                yield GaugeMetricFamily(name, help_, value=value)


class Metrics:
    """Everything /metrics shows for one app."""

    def __init__(self, engine: AsyncEngine, reminder_service: Callable[[], Any] = lambda: None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "noticebot_updates", "Telegram updates handled, by type and outcome.",
            ["type", "outcome"], registry=self.registry,
        )
        self.latency = Histogram(
            "noticebot_update_seconds", "Time to handle one update, middlewares included.",
            ["type"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.webhook_rejected = Counter(
            "noticebot_webhook_rejected", "Webhook requests refused (wrong or missing secret, bad body).",
            ["reason"], registry=self.registry,
        )
        self.database = DatabaseCollector(engine)
        self.registry.register(self.database)
        self.registry.register(ReminderCollector(reminder_service))

    async def refresh(self) -> None:
        await self.database.refresh()
