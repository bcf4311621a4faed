"""The last line of defence: a handler that failed is logged (never with the message text) and the
person gets an apology instead of silence."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger("noticebot.errors")
router = Router(name="errors")


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
