"""Webhook mode: Telegram POSTs each update to WEBHOOK_URL; the bot's own aiohttp app receives it.

Every request must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to WEBHOOK_SECRET (compared in
constant time); anything else is answered 401 before the body is read, so nothing is processed.

The update is handled before the answer (not in the background): a 200 means it was handled, so a
replica that dies mid-update gets no 200 and Telegram delivers the update again, to whichever replica
the load balancer picks. A method a handler returns goes back in the response body, as Telegram
allows. While shutting down the handler answers 503, so Telegram (or the load balancer) retries
elsewhere or later, and the updates already in flight finish.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import InputFile, Update
from aiohttp import JsonPayload, MultipartWriter, web
from aiohttp.payload import Payload
from pydantic import ValidationError

from web.metrics import Metrics

log = logging.getLogger("noticebot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram waits about 60 s for an answer; past this the handler finishes in the background.
ANSWER_WITHIN_S = 50.0
REFUSAL_LOG_S = 300.0  # refused requests: one log line per reason at most this often


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


class WebhookHandler:
    def __init__(self, dp: Dispatcher, bot: Bot, secret: str, metrics: Metrics | None = None) -> None:
        if not secret:
            raise ValueError("a webhook needs a secret")
        self.dp = dp
        self.bot = bot
        self._secret = secret.encode()
        self.metrics = metrics
        self.accepting = True
        self._refusals: dict[str, tuple[float, int]] = {}  # reason -> (last logged, refused since)

    def _reject(self, reason: str, status: int) -> web.Response:
        # Counted, not logged per request: a flood of forged requests must not flood the log.
        # The first refusal of each reason is logged, then one line per REFUSAL_LOG_S with a count.
        if self.metrics is not None:
            self.metrics.webhook_rejected.labels(reason=reason).inc()
        now = time.monotonic()
        last, count = self._refusals.get(reason, (-REFUSAL_LOG_S, 0))
        if now - last >= REFUSAL_LOG_S:
            log.warning("webhook requests refused (counted in noticebot_webhook_rejected_total)",
                        extra={"reason": reason, "status": status, "count": count + 1})
            self._refusals[reason] = (now, 0)
        else:
            self._refusals[reason] = (last, count + 1)
        return web.Response(status=status, text="Unauthorized" if status == 401 else "Bad Request")

    def authorized(self, request: web.Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        return hmac.compare_digest(given, self._secret)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self.authorized(request):
            return self._reject("secret", 401)
        if not self.accepting:
            return web.Response(status=503, headers={"Retry-After": "1"}, text="shutting down")
        try:
            raw = await request.json(loads=self.bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": self.bot})
        except (ValueError, ValidationError, json.JSONDecodeError):
            return self._reject("body", 400)
        try:
            result: TelegramMethod[Any] | None = await self.dp.feed_webhook_update(
                self.bot, update, _timeout=ANSWER_WITHIN_S
            )
        except Exception as exc:
            # Handler errors are answered by the errors router; what gets here failed around it (the
            # database is down, say). 500 makes Telegram deliver the update again later.
            log.error("update failed; Telegram will retry it",
                      extra={"update_id": update.update_id, "error": type(exc).__name__})
            return web.Response(status=500, text="update failed")
        return web.Response(body=self._response_body(result))

    def _response_body(self, result: TelegramMethod[Any] | None) -> Payload:
        """A method returned by a handler, as multipart form data Telegram executes (as aiogram's
        own webhook handler does); otherwise an empty JSON object."""
        if not isinstance(result, TelegramMethod):
            return JsonPayload({})
        writer = MultipartWriter("form-data", boundary=f"webhookBoundary{secrets.token_urlsafe(16)}")
        writer.append(result.__api_method__).set_content_disposition("form-data", name="method")
        files: dict[str, InputFile] = {}
        for key, value in result.model_dump(warnings=False).items():
            prepared = self.bot.session.prepare_value(value, bot=self.bot, files=files)
            if prepared:
                writer.append(prepared).set_content_disposition("form-data", name=key)
        for key, file in files.items():
            writer.append(file.read(self.bot)).set_content_disposition(
                "form-data", name=key, filename=file.filename or key
            )
        return writer


def register(app: web.Application, url: str, handler: WebhookHandler) -> str:
    path = webhook_path(url)
    app.router.add_post(path, handler.handle)
    return path
