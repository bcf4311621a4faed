"""The Bot API sender the scheduler calls: a reminder's text and buttons (``bot.reminder_text``)
sent with ``sendMessage`` as JSON, and Telegram's answers mapped to the scheduler's errors.

Nothing here imports aiogram (about 3 s and 120 MB to import): `noticebot worker` runs the reminder
engine with this module alone, so a worker process starts sending within a second.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import aiohttp
from yarl import URL

from bot import i18n
from bot.reminder_text import keyboard, render, warm_up
from notices.words import Words
from scheduler.errors import Blocked, RetryAfter, TransientError
from scheduler.items import DueItem

SEND_TIMEOUT_S = 20.0
SEND_CONNECTIONS = 64  # keep-alive connections to the Bot API; more only queue at the server


class SendRefused(Exception):
    """Telegram refused the message for another reason (400 bad request, 401, 404...): not a
    scheduler error, so the service counts a failed attempt and gives up after a few."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class BotApiReminderSender:
    """The scheduler's ReminderSender: ``sendMessage`` as JSON straight to the Bot API.

    Reminders are a broadcast path, so aiogram's request and response models (about 1 ms of CPU
    per message) are skipped: one shared keep-alive session, the same text and buttons, and
    Telegram's answers mapped as aiogram would classify them: a ``retry_after`` (429) becomes
    RetryAfter, 403 Blocked, 5xx, timeouts and connection trouble TransientError, any other refusal
    SendRefused. Create and close it inside the running loop.
    """

    def __init__(self, api_url: str, token: str, words: Callable[[str], Words] = i18n.words, *,
                 timeout: float = SEND_TIMEOUT_S, connections: int = SEND_CONNECTIONS) -> None:
        base = f"{api_url.rstrip('/')}/bot{token}"
        self.url = URL(f"{base}/sendMessage")  # parsed once, not per send
        self.get_me_url = URL(f"{base}/getMe")
        self.words = words  # language -> its translator
        warm_up(words)
        self.timeout = timeout
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                json_serialize=_dumps,
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check_token(self) -> None:
        """``getMe``, before sending anything: a refused token (401) raises SendRefused, an
        unreachable Bot API TransientError."""
        try:
            async with self._http().post(self.get_me_url) as resp:
                status, body = resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(type(exc).__name__) from exc
        if status >= 500:
            raise TransientError(f"{status} from getMe")
        if status != 200:
            raise SendRefused(status, body[:200].decode(errors="replace"))

    async def send(self, item: DueItem) -> None:
        tr = self.words(item.language)
        payload = {"chat_id": item.chat_id, "text": render(item, tr), "parse_mode": "HTML",
                   "reply_markup": keyboard(item, tr)}
        try:
            async with self._http().post(self.url, json=payload) as resp:  # timeout: the session's
                status, body = resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(type(exc).__name__) from exc
        if status == 200 and _OK.match(body):
            return  # the usual answer: no need to decode the sent Message (~1 KB of JSON)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if status >= 500:
                raise TransientError(f"{status}: undecodable answer")
            raise SendRefused(status, f"undecodable answer: {body[:200]!r}")
        if 200 <= status <= 226 and answer.get("ok"):
            return
        description = str(answer.get("description") or "")
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        if retry_after:
            raise RetryAfter(float(retry_after))
        if status == 403:
            raise Blocked(description)
        if status >= 500 or status == 429:  # a 429 without retry_after: back off as for overload
            raise TransientError(f"{status}: {description}")
        raise SendRefused(status, description)


_OK = re.compile(rb'\{\s*"ok"\s*:\s*true\s*[,}]')  # an answer that opens with "ok": true


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
