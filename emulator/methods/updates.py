"""Getting updates: long polling, and the webhook that replaces it."""

from __future__ import annotations

import re
from typing import Any

from ..params import Params
from ..records import ApiError, bad_request
from ..state import EmulatorState
from .registry import method


@method("getUpdates")
async def get_updates(state: EmulatorState, params: Params, token: str) -> Any:
    if state.webhook:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    state.confirm(params.get_int("offset") or 0)
    allowed = params.get_json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = set(allowed) or None
    limit = min(max(params.get_int("limit") or 100, 1), 100)
    # A newer getUpdates ends older ones with 409, as Telegram does when two instances poll.
    state.poll_generation += 1
    generation = state.poll_generation
    state.notify()
    await state.wait_until(
        lambda: bool(state.deliverable()) or generation != state.poll_generation,
        float(params.get_int("timeout") or 0),
    )
    if generation != state.poll_generation:
        raise ApiError(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        )
    return state.deliverable()[:limit]

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@method("setWebhook")
async def set_webhook(state: EmulatorState, params: Params, token: str) -> Any:
    url = params.get_str("url")
    secret = params.get_str("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if params.get_bool("drop_pending_updates"):
        state.pending.clear()
    state.webhook = (
        {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get_int("max_connections") or 40,
            "token": token,  # webhook replies run as this bot
        }
        if url
        else None
    )
    state.webhook_error = None
    allowed = params.get_json("allowed_updates")
    if allowed is not None:
        state.allowed_updates = set(allowed) or None
    state.poll_generation += 1  # a webhook ends a pending long poll with 409
    state.notify()
    return True


@method("deleteWebhook")
async def delete_webhook(state: EmulatorState, params: Params, token: str) -> Any:
    if params.get_bool("drop_pending_updates"):
        state.pending.clear()
    state.webhook = None
    state.notify()
    return True


@method("getWebhookInfo")
async def get_webhook_info(state: EmulatorState, params: Params, token: str) -> Any:
    info: dict[str, Any] = {
        "url": state.webhook["url"] if state.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.pending),
    }
    if state.webhook:
        info["max_connections"] = state.webhook["max_connections"]
    if state.allowed_updates:
        info["allowed_updates"] = sorted(state.allowed_updates)
    if state.webhook_error:
        info["last_error_date"], info["last_error_message"] = state.webhook_error
    return info
