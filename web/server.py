"""The small HTTP app served next to the bot: health, metrics, calendar feed and webhook."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from prometheus_client.exposition import choose_encoder
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import ConfigError, Settings
from web.metrics import Metrics

log = logging.getLogger("noticebot.http")

ENGINE = web.AppKey("engine", AsyncEngine)
SCHEDULER_ALIVE: web.AppKey[Callable[[], bool]] = web.AppKey("scheduler_alive")
METRICS = web.AppKey("metrics", Metrics)


async def healthz(request: web.Request) -> web.Response:
    checks = {"database": False, "scheduler": request.app[SCHEDULER_ALIVE]()}
    try:
        async with request.app[ENGINE].connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
        log.warning("health check: database unreachable", extra={"error": type(exc).__name__})
    healthy = all(checks.values())
    return web.json_response({"ok": healthy, **checks}, status=200 if healthy else 503)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format (OpenMetrics when the scraper asks for it); the database-backed gauges
    are counted for each scrape."""
    collected = request.app[METRICS]
    await collected.refresh()
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    return web.Response(body=encoder(collected.registry), headers={"Content-Type": content_type})


def make_app(
    engine: AsyncEngine, scheduler_alive: Callable[[], bool], metrics_: Metrics | None = None, *,
    serve_metrics: bool = True,
) -> web.Application:
    """The public app; without ``serve_metrics`` its /metrics is 404 (served by ``make_metrics_app``)."""
    app = web.Application(client_max_size=1024 * 1024)
    app[ENGINE] = engine
    app[SCHEDULER_ALIVE] = scheduler_alive
    app[METRICS] = metrics_ or Metrics(engine)
    app.router.add_get("/healthz", healthz)
    if serve_metrics:
        app.router.add_get("/metrics", metrics)
    return app


def make_metrics_app(metrics_: Metrics) -> web.Application:
    """/metrics alone, for its own private listener (METRICS_HOST:METRICS_PORT)."""
    app = web.Application(client_max_size=1024)
    app[METRICS] = metrics_
    app.router.add_get("/metrics", metrics)
    return app


async def start_metrics(settings: Settings, metrics_: Metrics) -> web.AppRunner | None:
    """The private /metrics listener, unless /metrics shares the public app."""
    if settings.metrics_shared:
        return None
    runner, port = await start_site(make_metrics_app(metrics_), settings.metrics_host, settings.metrics_port,
                                    names="METRICS_HOST/METRICS_PORT")
    log.info("metrics listening", extra={"host": settings.metrics_host, "port": port})
    return runner


async def start_site(app: web.Application, host: str, port: int,
                     names: str = "HTTP_HOST/HTTP_PORT") -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(
            f"{names}: cannot listen on {host}:{port} ({exc.strerror or exc}). Another process "
            f"may use the port: pick a free {names.split('/')[1]} (0 picks any free one)."
        ) from None
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound = int(sockets[0].getsockname()[1]) if sockets else port
    return runner, bound


