"""Small helpers every conversation router uses: the person's today, owner checks, sending long
text, and the after-commit poke of the reminder service."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.intake import Assessment
from notices import facts
from scheduler.facts import input_of
from storage import notices as store
from storage.models import Notice, User


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today(user: User, now: datetime | None = None) -> date:
    """Today where the person lives: "days left" must not flip at UTC midnight."""
    return (now or utcnow()).astimezone(ZoneInfo(user.timezone)).date()


def poke(data: dict[str, Any]) -> None:
    """After a commit that changed reminders: wake the reminder service if it runs here."""
    for key in ("reminders", "reminder_service"):
        service = data.get(key)
        if service is not None and hasattr(service, "poke"):
            service.poke()
            return


async def owned_notice(session: AsyncSession, query: CallbackQuery, notice_id: int) -> Notice | None:
    """The notice when it belongs to whoever pressed; otherwise a polite refusal and None."""
    notice = await store.get_owned(session, query.from_user.id, notice_id)
    if notice is None:
        await query.answer(_("Sorry, I cannot find that notice. It may have been deleted, or it is not "
                             "yours. Use /notices to see your notices."), show_alert=True)
    return notice


def notice_assessment(n: Notice, today: date, lang: str) -> Assessment:
    """Deadline facts for a saved notice: its stored respond-by wins (the person confirmed it)."""
    return facts.derive(input_of(n), today, lang)


async def send(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> Message:
    """Answer with ``text`` split to Telegram's limit; the keyboard goes on the last piece."""
    pieces = texts.split(text)
    sent = message
    for i, piece in enumerate(pieces):
        sent = await message.answer(piece, reply_markup=reply_markup if i == len(pieces) - 1 else None,
                                    disable_web_page_preview=True)
    return sent


def chat_message(query: CallbackQuery) -> Message | None:
    """The message a button was on, when Telegram still has it (very old ones are inaccessible)."""
    return query.message if isinstance(query.message, Message) else None
