"""The last line of defence: a handler that failed is logged (never with the message text) and the
person gets an apology instead of silence."""

from __future__ import annotations

import logging
from contextlib import suppress

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import ExceptionMessageFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger("noticebot.errors")
router = Router(name="errors")


@router.errors(ExceptionMessageFilter(r".*message is not modified"))
async def already_shown(event: ErrorEvent) -> bool:
    """A repeated press (Paid twice, a double tick) asks Telegram to show what is already shown:
    nothing failed, so no apology; the press is answered if the handler had not done it yet."""
    log.debug("message not modified", extra={"update_id": event.update.update_id})
    if event.update.callback_query is not None:
        with suppress(TelegramBadRequest):  # already answered by the handler
            await event.update.callback_query.answer()
    return True


@router.errors()
async def on_error(event: ErrorEvent) -> bool:
    update = event.update
    log.error(
        "handler failed",
        extra={"update_id": update.update_id, "type": update.event_type,
               "error": type(event.exception).__name__},
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )
    apology = _("Sorry, something went wrong on my side. Nothing you sent was lost; please try again in a moment.")
    try:
        if update.message is not None:
            await update.message.answer(apology)
        elif update.callback_query is not None:
            await update.callback_query.answer(apology, show_alert=True)
    except Exception:  # noqa: S110 - the apology itself failed (Telegram down); the log above has it
        pass
    return True
