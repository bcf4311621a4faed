"""The control API over HTTP, under ``/_emu/`` (see the package's docstring): the Python operations of
EmulatorServer for tests and the demo that run in another process (EmulatorClient)."""

from __future__ import annotations

import base64
import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .records import StoredFile

if TYPE_CHECKING:
    from .server import EmulatorServer

ControlHandler = Callable[["ControlApi", web.Request], Awaitable[Any]]


def _control(handler: ControlHandler) -> Callable[[ControlApi, web.Request], Awaitable[web.Response]]:
    """Wrap a control endpoint: its result becomes JSON, bad input (unknown message, missing or
    unexpected field) a 400 naming the problem instead of a 500."""

    @functools.wraps(handler)
    async def wrapper(self: ControlApi, request: web.Request) -> web.Response:
        try:
            result = await handler(self, request)
            return result if isinstance(result, web.Response) else web.json_response(result)
        except (KeyError, ValueError, TypeError) as exc:
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

    return wrapper


def file_response(stored: StoredFile) -> web.Response:
    # A header rather than content_type=: user-supplied MIME types may carry parameters (charset).
    return web.Response(
        body=stored.content, headers={"Content-Type": stored.mime_type or "application/octet-stream"}
    )


class ControlApi:
    def __init__(self, emu: EmulatorServer) -> None:
        self.emu = emu

    def add_routes(self, app: web.Application) -> None:
        control = [
            ("POST", "message", self.message),
            ("POST", "callback", self.callback),
            ("GET", "callback/{id}", self.callback_answer),
            ("POST", "document", self.document),
            ("POST", "photo", self.photo),
            ("POST", "update", self.update),
            ("GET", "sent", self.sent),
            ("GET", "wait_sent", self.wait_sent),
            ("GET", "file/{file_id}", self.file),
            ("POST", "fault", self.fault),
            ("DELETE", "fault", self.clear_faults),
            ("GET", "calls", self.calls),
            ("POST", "reset", self.reset),
            ("GET", "info", self.info),
        ]
        for verb, path, handler in control:
            app.router.add_route(verb, f"/_emu/{path}", handler)

    @_control
    async def message(self, request: web.Request) -> Any:
        body = await request.json()
        return self.emu.inject_message(int(body.pop("user_id")), body.pop("text", None), **body)

    @_control
    async def callback(self, request: web.Request) -> Any:
        body = await request.json()
        args = int(body.pop("user_id")), int(body.pop("message_id")), str(body.pop("data"))
        return {"callback_query_id": self.emu.inject_callback(*args, **body)}

    @_control
    async def callback_answer(self, request: web.Request) -> Any:
        return self.emu.callback_answer(request.match_info["id"])

    @_control
    async def document(self, request: web.Request) -> Any:
        body = await request.json()
        content = base64.b64decode(body.pop("content_b64"))
        return self.emu.inject_document(int(body.pop("user_id")), body.pop("filename"), content, **body)

    @_control
    async def photo(self, request: web.Request) -> Any:
        body = await request.json()
        content = base64.b64decode(body.pop("content_b64"))
        return self.emu.inject_photo(int(body.pop("user_id")), content, **body)

    @_control
    async def update(self, request: web.Request) -> Any:
        return self.emu.inject_update(await request.json())

    @_control
    async def sent(self, request: web.Request) -> Any:
        q = request.query
        chat_id = int(q["chat_id"]) if "chat_id" in q else None
        messages = self.emu.sent(chat_id, int(q.get("since", 0)), q.get("changed") == "true")
        return {"messages": messages, "cursor": self.emu.cursor}

    @_control
    async def wait_sent(self, request: web.Request) -> Any:
        q = request.query
        since = int(q["since"]) if "since" in q else None
        try:
            messages = await self.emu.wait_sent(
                int(q["chat_id"]), int(q.get("count", 1)), float(q.get("timeout", 10)), since
            )
        except TimeoutError as exc:
            return web.json_response({"error": str(exc)}, status=408)
        return {"messages": messages, "cursor": self.emu.cursor}

    async def file(self, request: web.Request) -> web.Response:
        stored = self.emu.files.get(request.match_info["file_id"])
        if stored is None:
            return web.json_response({"error": "unknown file_id"}, status=404)
        return file_response(stored)

    @_control
    async def fault(self, request: web.Request) -> Any:
        body = await request.json()
        return {"fault_id": self.emu.fault(body.pop("method"), **body)}

    @_control
    async def clear_faults(self, request: web.Request) -> Any:
        self.emu.clear_faults(request.query.get("method"))
        return {"ok": True}

    @_control
    async def calls(self, request: web.Request) -> Any:
        return {"calls": self.emu.calls(request.query.get("method")), "counts": self.emu.counts()}

    @_control
    async def reset(self, request: web.Request) -> Any:
        self.emu.reset()
        return {"ok": True}

    async def info(self, request: web.Request) -> web.Response:
        return web.json_response(self.emu.info())
