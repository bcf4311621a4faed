"""Whatever no other router understood gets a short, helpful answer, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

router = Router(name="fallback")


@router.message()
async def not_understood(message: Message) -> None:
    await message.answer(
        _(
            "Sorry, I did not understand that. Send me what your IRS letter says "
            "(for example <i>CP14, tax year 2024, $1,250, dated Nov 3</i>), a photo or PDF of it, "
            "or /help to see everything I can do."
        )
    )


@router.callback_query()
async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This button has expired. Use /notices to see your notices.")
    callback_answer.show_alert = True
