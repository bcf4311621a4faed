"""noticebot works in private chats only: a person's notices, export and calendar link must never
be posted where others read them. In a group (or channel) nothing is handled and nothing personal
is loaded: a message addressed to the bot gets one line pointing to a private chat, with a deep
link; a button gets an alert. Placed before the database middleware, so no row is even created."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from services.people import pick_language

log = logging.getLogger("noticebot.updates")
START_PAYLOAD = "from_group"

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def deep_link(username: str) -> str:
    return f"https://t.me/{username}?start={START_PAYLOAD}"


def addressed_to(message: Message, bot_id: int, username: str | None) -> bool:
    """A command, an @mention of the bot, or a reply to one of its messages: what a group member
    meant for the bot (with Telegram's privacy mode these are all a bot receives in a group)."""
    text = message.text or message.caption or ""
    if text.startswith("/"):
        return True
    if username and f"@{username.lower()}" in text.lower():
        return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


class PrivateChatsOnlyMiddleware(BaseMiddleware):
    """An outer update middleware: updates from anything but a private chat stop here."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == ChatType.PRIVATE or not isinstance(event, Update):
            return await handler(event, data)
        tg_user: TgUser | None = data.get("event_from_user")
        language = pick_language(tg_user.language_code if tg_user else None)
        with self.i18n.context(), self.i18n.use_locale(language):
            await self._point_to_private_chat(event, data["bot"])
        return UNHANDLED

    async def _point_to_private_chat(self, update: Update, bot: Bot) -> None:
        try:
            me = await bot.me()
            if update.callback_query is not None:
                await update.callback_query.answer(_("I only work in a private chat. Open a chat with me to see "
                                                     "your notices."), show_alert=True)
            elif update.message is not None and addressed_to(update.message, me.id, me.username):
                text = _("I only work in a private chat, so that what you tell me about your IRS letters stays "
                         "private. Tap the button to talk to me there.")
                markup = None
                if me.username:
                    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                        text=_("Open a private chat"), url=deep_link(me.username))]])
                await update.message.reply(text, reply_markup=markup)
        except (TelegramAPIError, TelegramNetworkError) as exc:  # e.g. the bot cannot write in that group
            log.info("could not point a group to a private chat", extra={"error": type(exc).__name__})
