"""The confirmation card's buttons: Save, Fix a field, Cancel, "I don't know". Every card is its own
draft (``bot.drafts``): pressing Save on any open card saves that one. Save first asks what matters
(a hard notice's date, the tax year; "I don't know" always possible) and saves once it is answered.
A second tap on Save answers "Saved.", on Cancel "Cancelled."; a card that is no longer open is refused."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import drafts, keyboards, texts
from bot.intake import DraftData
from bot.keyboards import DraftCb
from bot.middlewares import Handler
from bot.routers.common import chat_message
from services import User
from services.unit import Unit

router = Router(name="draft_card")


class OpenDraft(BaseMiddleware):
    """Inner middleware of the card's buttons: the handler gets the draft the card shows (``draft``);
    a card that was saved or cancelled is answered calmly, and any other card no longer open is
    refused here, once."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        pressed = data.get("callback_data")
        if not isinstance(pressed, DraftCb):
            return await handler(event, data)
        state: FSMContext = data["state"]
        answer: CallbackAnswer = data["callback_answer"]
        if pressed.action == "save" and await drafts.saved_as(state, pressed.token) is not None:
            answer.text = _("Saved.")  # a second tap on Save: it is saved, once
            return None
        if pressed.action == "cancel" and await drafts.was_cancelled(state, pressed.token):
            answer.text = _("Cancelled. Nothing was saved.")
            return None
        draft = await drafts.get(state, pressed.token)
        if draft is None:
            answer.text = _("This card is out of date (it was saved or cancelled). "
                            "Send the notice details again, or see /notices.")
            answer.show_alert = True
            return None
        data["draft"] = draft
        return await handler(event, data)


router.callback_query.middleware(OpenDraft())


@router.callback_query(DraftCb.filter(F.action == "save"))
async def on_save(query: CallbackQuery, draft: DraftData, state: FSMContext, unit: Unit, user: User,
                  callback_answer: CallbackAnswer) -> None:
    msg = chat_message(query)
    if msg is None:
        callback_answer.text, callback_answer.show_alert = _("This card is too old. Send the notice details again."), True
        return
    waiting = draft.before_saving()
    if draft.saving and waiting is not None and draft.asking == waiting:  # a second tap while it is asked
        callback_answer.text = _("Please answer the question above first, or tap “I don't know”.")
        return
    if await drafts.ask_before_saving(msg, draft, state):
        callback_answer.text = _("One question first.")
        return
    if await drafts.save(msg, draft, state, unit, user):  # committed: saved before we say so
        callback_answer.text = _("Saved.")
    await msg.edit_reply_markup(reply_markup=None)


@router.callback_query(DraftCb.filter(F.action == "cancel"))
async def on_cancel(query: CallbackQuery, draft: DraftData, state: FSMContext) -> None:
    await drafts.close(state, draft.token)
    if (msg := chat_message(query)) is not None:
        await msg.edit_reply_markup(reply_markup=None)
        await msg.answer(_("Cancelled. Nothing was saved."))


@router.callback_query(DraftCb.filter(F.action == "fix"))
async def on_fix(query: CallbackQuery, draft: DraftData) -> None:
    if (msg := chat_message(query)) is not None:
        asks_abroad = bool(draft.info and draft.info.stage_key == "deficiency")
        await msg.answer(_("Which field should I fix?"),
                         reply_markup=keyboards.draft_fields_keyboard(draft.token, abroad=asks_abroad))


@router.callback_query(DraftCb.filter(F.action == "field"))
async def on_field(query: CallbackQuery, callback_data: DraftCb, draft: DraftData, state: FSMContext) -> None:
    if callback_data.field not in keyboards.DRAFT_FIELDS:
        return
    draft.asking = callback_data.field
    if draft.asking in draft.unknown:
        draft.unknown.remove(draft.asking)
    await drafts.keep(state, draft)  # this card is now the one typed answers go to
    if (msg := chat_message(query)) is not None:
        await msg.answer(texts.question(draft.asking, draft.info) + "\n" + _("Type the new value."),
                         reply_markup=keyboards.draft_keyboard(draft.token, draft.asking))


@router.callback_query(DraftCb.filter(F.action == "skip"))
async def on_skip(query: CallbackQuery, callback_data: DraftCb, draft: DraftData, state: FSMContext,
                  unit: Unit, user: User, callback_answer: CallbackAnswer) -> None:
    field = callback_data.field if callback_data.field in keyboards.DRAFT_FIELDS else draft.asking
    if field and field not in draft.unknown:
        draft.unknown.append(field)
    if (msg := chat_message(query)) is None:
        return
    if draft.saving and draft.before_saving() is None:  # Save was pressed: "I don't know" was all it waited for
        await msg.edit_reply_markup(reply_markup=None)
        if await drafts.save(msg, draft, state, unit, user):
            callback_answer.text = _("Saved.")
        return
    await drafts.show_card(msg, draft, state, unit, user)
