"""`noticebot worker`: the reminder engine alone, in start-up order, for sending processes beside the bot.

It never imports aiogram (about 3 s and 120 MB on its own), so a worker that is started, restarted
or added sends the first due reminder well within a second, with a million reminders pending.
On PostgreSQL any number of workers (and bots) share the work: claims skip rows another process
holds, and a lease hands back whatever a dead process held. On SQLite keep one sender: the bot
itself, or the bot with SEND_REMINDERS=false and one worker. A worker learns of reminders added
by the bot at its next wake-up or safety sweep (at most 30 s later). It serves /healthz and
/healthz on HTTP_HOST:HTTP_PORT and /metrics on METRICS_HOST:METRICS_PORT, like the bot.
"""

from __future__ import annotations

import asyncio
import gc
import logging

from app.config import ConfigError, Settings
from app.startup import open_database, stop_on_signals
from bot.reminder_sender import BotApiReminderSender, SendRefused
from scheduler.errors import TransientError
from scheduler.service import ReminderService
from storage.db import make_sessionmaker
from web import server as http
from web.metrics import Metrics

log = logging.getLogger("noticebot.worker")


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Send reminders until SIGTERM/SIGINT (or ``stop``), then finish the sends on the wire."""
    stop = stop_on_signals(stop)

    # 1. Storage
    engine = await open_database(settings.database_url)
    sessionmaker = make_sessionmaker(engine)

    # 2. The token, checked as the bot checks it: a refused one would make every reminder fail
    sender = BotApiReminderSender(settings.telegram_api_url, settings.token)
    try:
        await sender.check_token()
    except SendRefused as exc:
        await sender.close()
        await engine.dispose()
        raise ConfigError(
            f"BOT_TOKEN was refused by the Bot API ({exc.status}). Check the token from @BotFather."
        ) from None
    except TransientError as exc:  # sends retry with backoff; do not die on a blip
        log.warning("Bot API unreachable at start, will keep trying", extra={"error": str(exc)})

    # 3. Reminder engine. As in app/run.py, what start-up built is kept out of the full collections
    # a busy dispatch loop triggers; without the gc.collect() first (~50 ms before the first send):
    # the little start-up garbage it would free is not worth the delay.
    service = ReminderService(sessionmaker, sender, global_rate=settings.reminder_rate)
    gc.freeze()
    await service.start()
    log.info("reminder worker started", extra={"worker": service.worker_id})

    try:
        # 4. HTTP app (health, metrics)
        metrics = Metrics(engine, reminder_service=lambda: service)
        app = http.make_app(engine, lambda: service.alive, metrics, serve_metrics=settings.metrics_shared)
        runner, port = await http.start_site(app, settings.http_host, settings.http_port)
        log.info("http listening", extra={"host": settings.http_host, "port": port})
        metrics_runner = None
        try:
            metrics_runner = await http.start_metrics(settings, metrics)
            await stop.wait()
        finally:
            await runner.cleanup()
            if metrics_runner is not None:
                await metrics_runner.cleanup()
    finally:
        log.info("shutting down")
        await service.stop()  # sends on the wire finish; other leases are handed back
        await sender.close()
        await engine.dispose()
        log.info("stopped")
