"""Async helper over the emulator's ``/_emu/`` control API, for tests and the demo.

async with EmulatorClient(emu.base_url) as user:
    await user.send_text(42, "/start")
    [reply] = await user.wait_sent(42)
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any, Self

from aiohttp import ClientResponse, ClientSession, ClientTimeout


class EmulatorError(RuntimeError):
    """The control API refused a request (unknown message, bad field...)."""


class EmulatorClient:
    def __init__(self, base_url: str, session: ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> ClientSession:
        if self._session is None:
            # No total timeout: wait_sent is bounded by its own timeout on the server.
            self._session = ClientSession(timeout=ClientTimeout(total=None, sock_connect=5))
        return self._session

    async def _call(self, verb: str, path: str, json: Any = None, **query: Any) -> Any:
        params = {
            k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in query.items() if v is not None
        }
        async with self._http().request(
            verb, f"{self.base_url}/_emu/{path}", json=json, params=params
        ) as resp:
            return await _json(resp)

    # ----- acting as a user -----------------------------------------------------------------------

    async def send_text(
        self,
        user_id: int,
        text: str,
        language_code: str = "en",
        first_name: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Inject a private text message; returns the update (``update["message"]["message_id"]``).
        ``extra``: username, last_name, entities, reply_to_message_id."""
        body = {"user_id": user_id, "text": text, "language_code": language_code, "first_name": first_name}
        return await self._call("POST", "message", _drop_none({**body, **extra}))

    async def press(self, user_id: int, message_id: int, data: str, chat_id: int | None = None) -> str:
        """Press an inline button of bot message ``message_id``; returns the callback query id."""
        body = _drop_none({"user_id": user_id, "message_id": message_id, "data": data, "chat_id": chat_id})
        return (await self._call("POST", "callback", body))["callback_query_id"]

    async def callback_answer(self, callback_query_id: str) -> dict[str, Any]:
        """``{"answered": bool, "text", "show_alert", "url", "cache_time"}``."""
        return await self._call("GET", f"callback/{callback_query_id}")

    async def wait_callback_answer(self, callback_query_id: str, timeout: float = 10) -> dict[str, Any]:
        """The bot's answer to a button press (an alert or a toast); TimeoutError if it never answers."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            answer = await self.callback_answer(callback_query_id)
            if answer.get("answered"):
                return answer
            if loop.time() >= deadline:
                raise TimeoutError(f"button press {callback_query_id} was not answered in {timeout}s")
            await asyncio.sleep(0.05)

    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        body = {"user_id": user_id, "filename": filename, "mime_type": mime_type, "caption": caption}
        body["content_b64"] = base64.b64encode(content).decode()
        return await self._call("POST", "document", _drop_none({**body, **extra}))

    async def send_photo(
        self, user_id: int, content: bytes, caption: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = {"user_id": user_id, "caption": caption, "content_b64": base64.b64encode(content).decode()}
        return await self._call("POST", "photo", _drop_none({**body, **extra}))

    async def send_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Inject a raw update (any kind); update_id is assigned by the emulator."""
        return await self._call("POST", "update", payload)

    # ----- reading what the bot did ---------------------------------------------------------------

    async def sent(
        self, chat_id: int | None = None, since: int = 0, changed: bool = False
    ) -> list[dict[str, Any]]:
        """Bot messages, oldest first; ``since`` is a cursor (a message's ``seq`` or ``cursor()``)."""
        return (await self._call("GET", "sent", chat_id=chat_id, since=since, changed=changed))["messages"]

    async def cursor(self) -> int:
        """The current cursor: ``sent(since=await cursor())`` shows only what comes after now."""
        return (await self.info())["cursor"]

    async def wait_sent(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10,
    ) -> list[dict[str, Any]]:
        """The next ``count`` bot messages in the chat not returned by an earlier wait_sent (replies
        that came before the call count). Raises TimeoutError listing what did arrive."""
        async with self._http().get(
            f"{self.base_url}/_emu/wait_sent", params={"chat_id": chat_id, "count": count, "timeout": timeout}
        ) as resp:
            if resp.status == 408:
                raise TimeoutError((await resp.json())["error"])
            return (await _json(resp))["messages"]

    async def download(self, file: str | dict[str, Any]) -> bytes:
        """Bytes of a file_id, or of the document / largest photo of a message dict."""
        file_id = file if isinstance(file, str) else _file_id(file)
        async with self._http().get(f"{self.base_url}/_emu/file/{file_id}") as resp:
            if resp.status != 200:
                raise EmulatorError(f"unknown file {file_id}")
            return await resp.read()

    async def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Bot API calls: ``{"method", "chat_id", "t": time.monotonic(), "wall", "status"}``."""
        return (await self._call("GET", "calls", method=method))["calls"]

    async def counts(self) -> dict[str, int]:
        return (await self._call("GET", "calls"))["counts"]

    async def info(self) -> dict[str, Any]:
        """Bot, webhook, pending update count, commands, settings."""
        return await self._call("GET", "info")

    # ----- faults and reset -----------------------------------------------------------------------

    async def fault(
        self,
        method: str,
        status: int | None = None,
        times: int | None = 1,
        retry_after: int | None = None,
        chat_id: int | None = None,
        stall: float | None = None,
        description: str | None = None,
    ) -> int:
        """Make ``method`` ("*" = any) answer ``status`` and/or stall ``stall`` s for the next ``times``
        calls (None = until cleared), optionally only for ``chat_id``. Returns the fault id."""
        body = {
            "method": method,
            "status": status,
            "times": times,
            "retry_after": retry_after,
            "chat_id": chat_id,
            "stall": stall,
            "description": description,
        }
        return (await self._call("POST", "fault", body))["fault_id"]

    async def clear_faults(self, method: str | None = None) -> None:
        await self._call("DELETE", "fault", method=method)

    async def reset(self) -> None:
        await self._call("POST", "reset")


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def _file_id(message: dict[str, Any]) -> str:
    if message.get("document"):
        return message["document"]["file_id"]
    if message.get("photo"):
        return message["photo"][-1]["file_id"]
    raise EmulatorError(f"message {message.get('message_id')} has no file")


async def _json(resp: ClientResponse) -> Any:
    body = await resp.json()
    if resp.status >= 400:
        raise EmulatorError(body.get("error", body) if isinstance(body, dict) else body)
    return body
