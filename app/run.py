"""The composition root: everything noticebot runs is assembled here, in start-up order."""

from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import suppress

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

from app.config import ConfigError, Settings
from app.startup import open_database, stop_on_signals
from bot.dispatcher import build_dispatcher, make_bot, make_i18n
from bot.middlewares import InFlightMiddleware
from bot.reminder_sender import BotApiReminderSender
from scheduler.service import ReminderService
from services.calendar import uid_domain
from services.unit import Runtime
from storage.db import make_sessionmaker
from web import feed, webhook
from web import server as http
from web.metrics import Metrics

log = logging.getLogger("noticebot")
SHUTDOWN_GRACE_S = 7.0


async def serve(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Run the bot until SIGTERM/SIGINT (or ``stop``), then finish in-flight work and close cleanly."""
    stop = stop_on_signals(stop)

    # 1. Storage
    engine = await open_database(settings.database_url)
    sessionmaker = make_sessionmaker(engine)

    # 2. Bot, then the dispatcher with its middlewares and routers
    bot = make_bot(settings)
    try:
        me = await bot.get_me()
        log.info("bot identity confirmed", extra={"bot_id": me.id})
    except TelegramUnauthorizedError:
        await bot.session.close()
        await engine.dispose()
        raise ConfigError(
            "BOT_TOKEN was refused by the Bot API (401 Unauthorized). Check the token from @BotFather."
        ) from None
    except TelegramNetworkError as exc:  # polling retries with backoff; do not die on a blip
        log.warning("Bot API unreachable at start, will keep trying", extra={"error": type(exc).__name__})
    # 3. Reminder engine (unless SEND_REMINDERS=false: `noticebot worker` processes send). Reminders
    # go straight to the Bot API as JSON (aiogram's models cost ~1 ms CPU per message). Built before
    # the dispatcher: the use cases wake it after each commit that changes reminders.
    reminder_sender = BotApiReminderSender(settings.telegram_api_url, settings.token)
    reminder_service = (
        ReminderService(sessionmaker, reminder_sender, global_rate=settings.reminder_rate)
        if settings.send_reminders else None
    )
    dp = build_dispatcher(settings, engine, sessionmaker, runtime=Runtime.of(reminder_service))
    metrics: Metrics = dp["metrics"]
    in_flight: InFlightMiddleware = dp["in_flight"]
    dp["reminder_service"] = reminder_service

    # Everything built so far (aiogram's ~200,000 model objects, SQLAlchemy, routers) lives as long
    # as the process: keep it out of the full collections that a busy dispatch loop triggers about
    # once a second (each scanned all of it: ~170 ms, a fifth of the CPU at 1,500 reminders/s).
    gc.collect()
    gc.freeze()
    if reminder_service is not None:
        await reminder_service.start()

    # 4. HTTP app (health, metrics, calendar feed, webhook)
    app = http.make_app(engine, lambda: reminder_service is None or reminder_service.alive, metrics,
                        serve_metrics=settings.metrics_shared)
    feed.setup(  # GET /calendar/<token>.ics and /subscribe/<token>
        app, sessionmaker, make_i18n(), settings.trusted_networks,
        domain=uid_domain(settings.public_url), base_public_url=settings.base_public_url,
    )
    hook: webhook.WebhookHandler | None = None
    if settings.webhook_url:
        assert settings.webhook_secret is not None  # load_settings requires it with WEBHOOK_URL
        hook = webhook.WebhookHandler(dp, bot, settings.webhook_secret.get_secret_value(), metrics)
        webhook.register(app, settings.webhook_url, hook)
    runner, port = await http.start_site(app, settings.http_host, settings.http_port)
    log.info("http listening", extra={"host": settings.http_host, "port": port})
    metrics_runner = await http.start_metrics(settings, metrics)

    # 5. Updates: by webhook when WEBHOOK_URL is set, else long polling; until told to stop
    if hook is not None:
        updates = asyncio.create_task(_serve_webhook(dp, bot, settings, stop))
    else:
        await bot.delete_webhook(drop_pending_updates=False)  # getUpdates is refused while a webhook is set
        updates = asyncio.create_task(
            dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=25)
        )
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({updates, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        log.info("shutting down")
        stopper.cancel()
        if hook is not None:
            hook.accepting = False  # new deliveries get 503: Telegram retries them later or elsewhere
            stop.set()  # _serve_webhook removes the webhook (unless told not to) and returns
            with suppress(Exception, asyncio.CancelledError):  # its own failure is raised below
                await asyncio.wait_for(asyncio.shield(updates), timeout=5)
            updates.cancel()
        elif not updates.done():
            with suppress(RuntimeError):
                await dp.stop_polling()
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(updates, timeout=3)
        await in_flight.drain(SHUTDOWN_GRACE_S)
        if hook is not None:
            with suppress(Exception):
                await dp.emit_shutdown(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
        if reminder_service is not None:
            await reminder_service.stop()  # sends on the wire finish; other leases are handed back
        await reminder_sender.close()
        await runner.cleanup()
        if metrics_runner is not None:
            await metrics_runner.cleanup()
        await dp.storage.close()
        await bot.session.close()
        await engine.dispose()
        log.info("stopped")
    if updates.done() and not updates.cancelled() and updates.exception():
        raise updates.exception()  # type: ignore[misc]


async def _serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings, stop: asyncio.Event) -> None:
    """Set the webhook (with its secret and the update types the routers use), wait for ``stop``,
    then remove it unless other replicas still serve the same URL (WEBHOOK_DELETE_ON_STOP=false)."""
    assert settings.webhook_url and settings.webhook_secret
    await dp.emit_startup(bot=bot, dispatcher=dp, bots=[bot], **dp.workflow_data)
    try:
        await bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
    except TelegramAPIError as exc:
        raise ConfigError(
            f"WEBHOOK_URL was refused by the Bot API ({exc.message}). Telegram needs a public HTTPS URL "
            "on port 443, 80, 88 or 8443 that reaches HTTP_HOST:HTTP_PORT."
        ) from None
    log.info("webhook set", extra={"path": webhook.webhook_path(settings.webhook_url)})
    await stop.wait()
    if settings.webhook_delete_on_stop:
        try:
            await bot.delete_webhook(drop_pending_updates=False)
            log.info("webhook removed")
        except (TelegramAPIError, TelegramNetworkError) as exc:
            log.warning("could not remove the webhook", extra={"error": type(exc).__name__})
