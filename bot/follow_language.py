"""The reply follows the language a person writes in, until they pick one with /language.

A message clearly written in Spanish (or English: notices.language decides, and says nothing for
codes and numbers) switches the person's language before the locale is chosen, so this very
message is answered in it, and reminders follow too; then a one-tap offer to keep it. Tapping it
(or /language) marks the choice as made: from then on what they write no longer switches anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot import keyboards
from notices.language import language_to_follow
from services import User, people
from services.unit import Unit

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LanguageFollowsMiddleware(BaseMiddleware):
    """An outer message middleware, registered before the locale middleware."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        switched = await self._follow(event, data)
        result = await handler(event, data)
        if switched is not None and isinstance(event, Message):
            with self.i18n.context(), self.i18n.use_locale(switched):
                await event.answer(_("I am answering in the language you wrote in. Keep it? (/language changes "
                                     "it any time.)"), reply_markup=keyboards.language_offer_keyboard(switched))
        return result

    async def _follow(self, event: TelegramObject, data: dict[str, Any]) -> str | None:
        user: User | None = data.get("user")
        unit: Unit | None = data.get("unit")
        if not isinstance(event, Message) or user is None or unit is None or user.language_chosen:
            return None
        text = event.text or event.caption or ""
        if text.startswith("/"):
            return None
        written = language_to_follow(text)
        if written is None or written == user.language:
            return None
        await people.change_settings(unit, user, language=written)
        return written
