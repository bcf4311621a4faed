"""Small helpers every conversation router uses: the person's today, a saved notice's deadline
facts, sending long text, the message a button was on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.intake import Assessment
from bot.message_split import split
from notices import facts
from scheduler import planner
from scheduler.facts import input_of
from services import Notice, User


def utcnow() -> datetime:
    return datetime.now(UTC)


def person_today(user: User, now: datetime | None = None) -> date:
    """Today where the person lives (the planner's local_today): "days left" must not flip at UTC midnight."""
    return planner.local_today(now or utcnow(), user.timezone)


def notice_assessment(n: Notice, today: date, lang: str) -> Assessment:
    """Deadline facts for a saved notice: its stored respond-by wins (the person confirmed it)."""
    return facts.derive(input_of(n), today, lang)


async def send(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> Message:
    """Answer with ``text`` split to Telegram's limit; the keyboard goes on the last piece."""
    pieces = split(text)
    sent = message
    for i, piece in enumerate(pieces):
        sent = await message.answer(piece, reply_markup=reply_markup if i == len(pieces) - 1 else None,
                                    disable_web_page_preview=True)
    return sent


def chat_message(query: CallbackQuery) -> Message | None:
    """The message a button was on, when Telegram still has it (very old ones are inaccessible)."""
    return query.message if isinstance(query.message, Message) else None
