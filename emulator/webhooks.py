"""Webhook delivery: while a webhook is set, pending updates are POSTed to it (retried with backoff,
as Telegram does), and a method call in the webhook's answer is executed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout

from .methods import METHODS
from .params import webhook_reply_params
from .records import ApiError

if TYPE_CHECKING:
    from .server import EmulatorServer

log = logging.getLogger(__name__)


async def deliver_webhooks(emu: EmulatorServer) -> None:
    """POST pending updates while a webhook is set: up to its ``max_connections`` at once, as
    Telegram does, but one at a time per chat, so each person's updates arrive in order."""
    in_flight: dict[int, asyncio.Task[None]] = {}  # update_id -> delivery
    busy: set[Any] = set()  # chats with an update in flight

    def next_update() -> dict[str, Any] | None:
        if not emu.webhook or len(in_flight) >= int(emu.webhook.get("max_connections") or 40):
            return None
        for update in emu.deliverable():
            if update["update_id"] not in in_flight and update_chat(update) not in busy:
                return update
        return None

    async def deliver(hook: dict[str, Any], update: dict[str, Any], chat: Any) -> None:
        try:
            await _deliver_one(emu, session, hook, update)
        finally:
            in_flight.pop(update["update_id"], None)
            busy.discard(chat)
            emu.notify()

    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        try:
            while not emu.closing:
                await emu.wait_until(lambda: next_update() is not None, 3600)
                update = next_update()
                if update is None or emu.webhook is None:
                    continue
                chat = update_chat(update)
                busy.add(chat)
                in_flight[update["update_id"]] = asyncio.create_task(deliver(emu.webhook, update, chat))
        finally:
            for task in in_flight.values():
                task.cancel()
            await asyncio.gather(*in_flight.values(), return_exceptions=True)


async def _deliver_one(
    emu: EmulatorServer, session: ClientSession, hook: dict[str, Any], update: dict[str, Any]
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook["secret_token"] else {}
    error = "no attempt"
    for attempt in range(emu.webhook_attempts):
        if emu.webhook is not hook:
            return  # webhook changed or deleted meanwhile: leave the update for whoever comes next
        try:
            async with session.post(hook["url"], json=update, headers=headers) as resp:
                if 200 <= resp.status < 300:
                    await _webhook_reply(emu, resp, hook["token"])
                    break
                error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
        except (ClientError, TimeoutError) as exc:
            error = f"Connection failed: {type(exc).__name__}"
        await emu.wait_until(lambda: emu.closing, emu.webhook_backoff * 2**attempt)
        if emu.closing:
            return
    else:
        # Telegram eventually gives up on an update too; keep the error for getWebhookInfo.
        emu.webhook_error = (int(time.time()), error)
        log.warning(
            "emulator: dropped update %s after %s webhook attempts: %s",
            update["update_id"],
            attempt + 1,
            error,
        )
    with contextlib.suppress(ValueError):
        emu.pending.remove(update)
    emu.notify()


async def _webhook_reply(emu: EmulatorServer, resp: ClientResponse, token: str) -> None:
    """Telegram executes a method call returned in the webhook response (aiogram does this with
    handle_in_background=False); errors are not reported back, as with Telegram."""
    method, params = await webhook_reply_params(resp)
    if method.lower() in METHODS:
        with contextlib.suppress(ApiError):
            await emu.call_method(method, params, token)


def update_chat(update: dict[str, Any]) -> Any:
    """The chat an update belongs to (its updates are delivered in order); unique when it has none."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return ("chat", update[kind]["chat"]["id"])
    if "callback_query" in update:
        return ("chat", update["callback_query"]["from"]["id"])
    return ("update", update["update_id"])
