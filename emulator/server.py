"""The emulator's HTTP side: the Bot API under ``/bot<token>/``, file downloads, webhook delivery
and the control API under ``/_emu/`` for tests and the demo.

Usage in-process::

    async with EmulatorServer(tokens=[TOKEN]) as emu:   # port 0: an ephemeral port
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any, Self

from aiohttp import web

from .control import ControlApi, file_response
from .methods import METHODS
from .params import Params, read_params
from .records import ApiError
from .state import EmulatorState
from .webhooks import deliver_webhooks

log = logging.getLogger(__name__)

MAX_UPLOAD = 60 * 1024 * 1024  # Telegram allows 50 MB uploads; leave room for multipart overhead


def _api_response(result: Any = None, error: ApiError | None = None) -> web.Response:
    if error is not None:
        return web.json_response(error.payload(), status=error.code)
    return web.json_response({"ok": True, "result": result})


class EmulatorServer(EmulatorState):
    """A local Bot API server with an in-memory world: the Python control API is inherited from
    EmulatorState, the HTTP one is emulator/control.py, webhook delivery emulator/webhooks.py."""

    def __init__(
        self,
        tokens: list[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        webhook_attempts: int = 4,
        webhook_backoff: float = 0.2,
        **identity: Any,
    ) -> None:
        super().__init__(tokens, **identity)
        self.host = host
        self.port = port
        self.webhook_attempts = max(1, webhook_attempts)
        self.webhook_backoff = webhook_backoff
        self.app = self._make_app()
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None

    # ----- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to pass to ``TelegramAPIServer.from_base`` (and to EmulatorClient)."""
        return f"http://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        return self.tokens[0]

    async def start(self) -> None:
        self._closing.clear()
        # shutdown_timeout is short because close() releases every long poll and stall first.
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._delivery = asyncio.create_task(deliver_webhooks(self))

    async def stop(self) -> None:
        self.close()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----- Bot API --------------------------------------------------------------------------------

    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        ControlApi(self).add_routes(app)
        return app

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if token not in self.tokens:
            return _api_response(error=ApiError(401, "Unauthorized"))
        if request.match_info["method"].lower() not in METHODS:
            return _api_response(error=ApiError(404, "Not Found: method not found"))
        try:
            params = await read_params(request)
        except ApiError as exc:
            return _api_response(error=exc)
        try:
            return _api_response(await self.call_method(request.match_info["method"], params, token))
        except ApiError as exc:
            return _api_response(error=exc)

    async def call_method(self, method: str, params: Params, token: str) -> Any:
        """Run one Bot API call (logged, faults applied); returns ``result`` or raises ApiError."""
        name, handler = METHODS[method.lower()]
        chat_id = _int_or_none(params.raw("chat_id"))
        call = self.log_call(name, chat_id)
        try:
            result = await self._run(name, handler, params, token, chat_id)
        except ApiError as exc:
            call["status"] = exc.code
            raise
        except Exception as exc:
            # An emulator bug: answer in Bot API shape so the bot logs a clear TelegramServerError.
            log.exception("emulator: %s failed", name)
            call["status"] = 500
            raise ApiError(500, f"Internal Server Error: emulator failed in {name}: {exc!r}") from exc
        call["status"] = 200
        return result

    async def _run(self, name: str, handler: Any, params: Params, token: str, chat_id: int | None) -> Any:
        fault = self.take_fault(name, chat_id)
        if fault is not None:
            if fault.stall:
                # Sleep, but wake at shutdown so stalled requests never hold up teardown.
                await self.wait_until(lambda: self.closing, fault.stall)
            error = fault.error()
            if error is not None:
                raise error
        return await handler(self, params, token)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.tokens:
            return _api_response(error=ApiError(401, "Unauthorized"))
        stored = self.file_by_path(request.match_info["path"])
        if stored is None:
            return _api_response(error=ApiError(404, "Not Found: file not found"))
        return file_response(stored)

    # ----- inspection ----------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Bot identity, webhook, pending updates, commands and profile settings, for assertions."""
        return {
            "bot": self.bot_user(),
            "base_url": self.base_url,
            "webhook": dict(self.webhook) if self.webhook else None,
            "webhook_error": self.webhook_error,
            "pending_updates": len(self.pending),
            "allowed_updates": sorted(self.allowed_updates) if self.allowed_updates else None,
            "commands": [{**json.loads(key), "commands": cmds} for key, cmds in self.commands.items()],
            "settings": self.settings,
            "cursor": self.cursor,
        }


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
