"""Issue 18: /metrics listens on its own address (METRICS_HOST, METRICS_PORT; default 127.0.0.1:9464),
not on the public port the proxy forwards (it answers 404 there), unless both are set to HTTP_HOST and
HTTP_PORT."""

from __future__ import annotations

import aiohttp
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from app.config import Settings
from storage.db import make_engine
from web import server as http
from web.metrics import Metrics


def test_defaults_are_private_and_separate() -> None:
    s = Settings(bot_token=SecretStr("1:x"))
    assert (s.metrics_host, s.metrics_port) == ("127.0.0.1", 9464) and not s.metrics_shared
    assert Settings(bot_token=SecretStr("1:x"), metrics_host="127.0.0.1", metrics_port=8080).metrics_shared


async def test_metrics_on_its_own_listener_and_404_on_the_public_app(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    metrics = Metrics(engine)
    settings = Settings(bot_token=SecretStr("1:x"), metrics_port=0)  # any free port
    public = http.make_app(engine, lambda: True, metrics, serve_metrics=settings.metrics_shared)
    runner = await http.start_metrics(settings, metrics)
    assert runner is not None
    try:
        async with TestClient(TestServer(public)) as client:
            assert (await client.get("/metrics")).status == 404
            assert (await client.get("/healthz")).status in (200, 503)
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/metrics") as resp:
            assert resp.status == 200 and "noticebot_updates_total" in await resp.text()
            assert runner.addresses[0][0] == "127.0.0.1"
    finally:
        await runner.cleanup()
        await engine.dispose()
