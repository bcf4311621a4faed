"""The emulator's HTTP side: the Bot API under ``/bot<token>/``, file downloads, webhook delivery
and the control API under ``/_emu/`` for tests and the demo.

Usage in-process::

    async with EmulatorServer(tokens=[TOKEN]) as emu:   # port 0: an ephemeral port
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(emu.base_url)))
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Self

from aiohttp import (
    BodyPartReader,
    ClientError,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    MultipartReader,
    web,
)

from .methods import METHODS, Params, Upload
from .records import ApiError, StoredFile
from .state import EmulatorState

log = logging.getLogger(__name__)

MAX_UPLOAD = 60 * 1024 * 1024  # Telegram allows 50 MB uploads; leave room for multipart overhead


def _api_response(result: Any = None, error: ApiError | None = None) -> web.Response:
    if error is not None:
        return web.json_response(error.payload(), status=error.code)
    return web.json_response({"ok": True, "result": result})


ControlHandler = Callable[[Any, web.Request], Awaitable[Any]]


def _control(handler: ControlHandler) -> Callable[[Any, web.Request], Awaitable[web.Response]]:
    """Wrap a control endpoint: its result becomes JSON, bad input (unknown message, missing or
    unexpected field) a 400 naming the problem instead of a 500."""

    @functools.wraps(handler)
    async def wrapper(self: Any, request: web.Request) -> web.Response:
        try:
            result = await handler(self, request)
            return result if isinstance(result, web.Response) else web.json_response(result)
        except (KeyError, ValueError, TypeError) as exc:
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

    return wrapper


class EmulatorServer(EmulatorState):
    """A local Bot API server with an in-memory world; the control API is inherited from EmulatorState."""

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
        self._delivery = asyncio.create_task(self._deliver_webhooks())

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
        control = [
            ("POST", "message", self._c_message),
            ("POST", "callback", self._c_callback),
            ("GET", "callback/{id}", self._c_callback_answer),
            ("POST", "document", self._c_document),
            ("POST", "photo", self._c_photo),
            ("POST", "update", self._c_update),
            ("GET", "sent", self._c_sent),
            ("GET", "wait_sent", self._c_wait_sent),
            ("GET", "file/{file_id}", self._c_file),
            ("POST", "fault", self._c_fault),
            ("DELETE", "fault", self._c_clear_faults),
            ("GET", "calls", self._c_calls),
            ("POST", "reset", self._c_reset),
            ("GET", "info", self._c_info),
        ]
        for verb, path, handler in control:
            app.router.add_route(verb, f"/_emu/{path}", handler)
        return app

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if token not in self.tokens:
            return _api_response(error=ApiError(401, "Unauthorized"))
        if request.match_info["method"].lower() not in METHODS:
            return _api_response(error=ApiError(404, "Not Found: method not found"))
        try:
            params = await _read_params(request)
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
                await self.wait_until(self._closing.is_set, fault.stall)
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
        return _file_response(stored)

    # ----- webhook delivery -----------------------------------------------------------------------

    async def _deliver_webhooks(self) -> None:
        """POST pending updates while a webhook is set: up to its ``max_connections`` at once, as
        Telegram does, but one at a time per chat, so each person's updates arrive in order."""
        in_flight: dict[int, asyncio.Task[None]] = {}  # update_id -> delivery
        busy: set[Any] = set()  # chats with an update in flight

        def next_update() -> dict[str, Any] | None:
            if not self.webhook or len(in_flight) >= int(self.webhook.get("max_connections") or 40):
                return None
            for update in self.deliverable():
                if update["update_id"] not in in_flight and _update_chat(update) not in busy:
                    return update
            return None

        async def deliver(hook: dict[str, Any], update: dict[str, Any], chat: Any) -> None:
            try:
                await self._deliver_one(session, hook, update)
            finally:
                in_flight.pop(update["update_id"], None)
                busy.discard(chat)
                self.notify()

        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            try:
                while not self._closing.is_set():
                    await self.wait_until(lambda: next_update() is not None, 3600)
                    update = next_update()
                    if update is None or self.webhook is None:
                        continue
                    chat = _update_chat(update)
                    busy.add(chat)
                    in_flight[update["update_id"]] = asyncio.create_task(deliver(self.webhook, update, chat))
            finally:
                for task in in_flight.values():
                    task.cancel()
                await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _deliver_one(
        self, session: ClientSession, hook: dict[str, Any], update: dict[str, Any]
    ) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook["secret_token"] else {}
        error = "no attempt"
        for attempt in range(self.webhook_attempts):
            if self.webhook is not hook:
                return  # webhook changed or deleted meanwhile: leave the update for whoever comes next
            try:
                async with session.post(hook["url"], json=update, headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        await self._webhook_reply(resp, hook["token"])
                        break
                    error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (ClientError, TimeoutError) as exc:
                error = f"Connection failed: {type(exc).__name__}"
            await self.wait_until(self._closing.is_set, self.webhook_backoff * 2**attempt)
            if self._closing.is_set():
                return
        else:
            # Telegram eventually gives up on an update too; keep the error for getWebhookInfo.
            self.webhook_error = (int(time.time()), error)
            log.warning(
                "emulator: dropped update %s after %s webhook attempts: %s",
                update["update_id"],
                attempt + 1,
                error,
            )
        with contextlib.suppress(ValueError):
            self.pending.remove(update)
        self.notify()

    async def _webhook_reply(self, resp: ClientResponse, token: str) -> None:
        """Telegram executes a method call returned in the webhook response (aiogram does this with
        handle_in_background=False); errors are not reported back, as with Telegram."""
        values: dict[str, Any] = {}
        uploads: dict[str, Upload] = {}
        if resp.content_type.startswith("multipart/"):
            reader = MultipartReader.from_response(resp)
            while (part := await reader.next()) is not None:
                assert isinstance(part, BodyPartReader)  # form-data is flat
                if part.filename:
                    uploads[part.name or ""] = Upload(
                        part.filename, await part.read(), part.headers.get("Content-Type")
                    )
                else:
                    values[part.name or ""] = await part.text()
        elif resp.content_type == "application/json":
            body = await resp.json()
            values = body if isinstance(body, dict) else {}
        method = str(values.pop("method", ""))
        if method.lower() in METHODS:
            with contextlib.suppress(ApiError):
                await self.call_method(method, Params(values, uploads), token)

    # ----- control API over HTTP ------------------------------------------------------------------

    @_control
    async def _c_message(self, request: web.Request) -> Any:
        body = await request.json()
        return self.inject_message(int(body.pop("user_id")), body.pop("text", None), **body)

    @_control
    async def _c_callback(self, request: web.Request) -> Any:
        body = await request.json()
        args = int(body.pop("user_id")), int(body.pop("message_id")), str(body.pop("data"))
        return {"callback_query_id": self.inject_callback(*args, **body)}

    @_control
    async def _c_callback_answer(self, request: web.Request) -> Any:
        return self.callback_answer(request.match_info["id"])

    @_control
    async def _c_document(self, request: web.Request) -> Any:
        body = await request.json()
        content = base64.b64decode(body.pop("content_b64"))
        return self.inject_document(int(body.pop("user_id")), body.pop("filename"), content, **body)

    @_control
    async def _c_photo(self, request: web.Request) -> Any:
        body = await request.json()
        content = base64.b64decode(body.pop("content_b64"))
        return self.inject_photo(int(body.pop("user_id")), content, **body)

    @_control
    async def _c_update(self, request: web.Request) -> Any:
        return self.inject_update(await request.json())

    @_control
    async def _c_sent(self, request: web.Request) -> Any:
        q = request.query
        chat_id = int(q["chat_id"]) if "chat_id" in q else None
        messages = self.sent(chat_id, int(q.get("since", 0)), q.get("changed") == "true")
        return {"messages": messages, "cursor": self.cursor}

    @_control
    async def _c_wait_sent(self, request: web.Request) -> Any:
        q = request.query
        since = int(q["since"]) if "since" in q else None
        try:
            messages = await self.wait_sent(
                int(q["chat_id"]), int(q.get("count", 1)), float(q.get("timeout", 10)), since
            )
        except TimeoutError as exc:
            return web.json_response({"error": str(exc)}, status=408)
        return {"messages": messages, "cursor": self.cursor}

    async def _c_file(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["file_id"])
        if stored is None:
            return web.json_response({"error": "unknown file_id"}, status=404)
        return _file_response(stored)

    @_control
    async def _c_fault(self, request: web.Request) -> Any:
        body = await request.json()
        return {"fault_id": self.fault(body.pop("method"), **body)}

    @_control
    async def _c_clear_faults(self, request: web.Request) -> Any:
        self.clear_faults(request.query.get("method"))
        return {"ok": True}

    @_control
    async def _c_calls(self, request: web.Request) -> Any:
        return {"calls": self.calls(request.query.get("method")), "counts": self.counts()}

    @_control
    async def _c_reset(self, request: web.Request) -> Any:
        self.reset()
        return {"ok": True}

    async def _c_info(self, request: web.Request) -> web.Response:
        return web.json_response(self.info())

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


def _file_response(stored: StoredFile) -> web.Response:
    # A header rather than content_type=: user-supplied MIME types may carry parameters (charset).
    return web.Response(
        body=stored.content, headers={"Content-Type": stored.mime_type or "application/octet-stream"}
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


async def _read_params(request: web.Request) -> Params:
    """Merge query string and body (form, multipart or JSON) into Params, files kept apart."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON")
            values.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    values[key] = value
    return Params(values, uploads)


def _update_chat(update: dict[str, Any]) -> Any:
    """The chat an update belongs to (its updates are delivered in order); unique when it has none."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return ("chat", update[kind]["chat"]["id"])
    if "callback_query" in update:
        return ("chat", update["callback_query"]["from"]["id"])
    return ("update", update["update_id"])
