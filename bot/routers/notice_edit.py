"""Changing a saved notice by answering questions: edit one field, or log a call or a letter step by
step (the wizard helper). A whole new notice typed in the middle of a question is read as a notice."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import intake, keyboards, texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.cards import show_card
from bot.keyboards import EditCb, LogCb
from bot.routers.common import chat_message, person_today
from bot.wizard import Form, Wizard
from notices import catalog, reader
from notices.redact import PLACEHOLDER, redact, without_controls
from services import Notice, User
from services import notices as cases
from services.ownership import NotYours
from services.unit import Unit

router = Router(name="notice_edit")

LOG_STEPS = {"call": ("date", "agent", "badge", "agreed", "confirmation"), "letter": ("date", "agreed", "confirmation")}
MAX_FIELD = 500  # a logged answer or a note; longer is cut, never refused
_PHONE = re.compile(r"^[\d\s().+-]{7,20}$")


class EditNotice(StatesGroup):
    value = State()


class LogContact(StatesGroup):
    value = State()


LOG = Wizard("log", LogContact.value)


# --- edit ---------------------------------------------------------------------------------------


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.EDIT))
async def ask_edit(query: CallbackQuery, notice: Notice) -> None:
    if (msg := chat_message(query)) is not None:
        info = catalog.get(notice.code)
        await msg.answer(_("What should I change?"),
                         reply_markup=keyboards.edit_keyboard(notice.id, abroad=bool(info and info.stage_key == "deficiency")))


@router.callback_query(EditCb.filter(F.field.in_(set(keyboards.EDIT_FIELDS))))
async def edit_field(query: CallbackQuery, callback_data: EditCb, notice: Notice, state: FSMContext) -> None:
    await state.set_state(EditNotice.value)
    await state.update_data(edit={"notice_id": notice.id, "field": callback_data.field})
    if (msg := chat_message(query)) is not None:
        await msg.answer(texts.question(callback_data.field, catalog.get(notice.code)) + "\n"
                         + _("Type the new value, or /cancel."))


def _changes(field: str, text: str, today: date, lang: str) -> dict[str, Any] | None:
    """The notice's columns for a typed answer to ``field``; None when it cannot be read."""
    if field == "notes":
        return {"notes": text[:MAX_FIELD]}
    if field == "phone":
        return {"phone": text.strip()} if _PHONE.match(text.strip()) else None
    value = intake.parse_field(field, text, today, lang)
    if value is None:
        return None
    key = {"due_date": "stated_due_date", "amount": "amount_cents"}.get(field, field)
    if isinstance(value, Decimal):
        return {key: int(value * 100)}
    if isinstance(value, tuple):
        return {key: sorted(value)}
    return {key: value}


@router.message(EditNotice.value, F.text & ~F.text.startswith("/"))
async def edit_value(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    if await _diverted(message, state, unit, user):
        return
    edit = (await state.get_data()).get("edit") or {}
    field = edit.get("field", "")
    if field not in keyboards.EDIT_FIELDS:  # the question's data is gone (storage cleared)
        await state.set_state(None)
        await message.answer(_("That notice is gone. Use /notices to see your notices."))
        return
    today = person_today(user)
    text = await _redacted(message, strict=field in ("notes", "phone"))  # never store an SSN typed into a note
    if field == "phone" and PLACEHOLDER in text:
        await message.answer(_("Send only the phone number, or /cancel."))
        return
    changes = _changes(field, text, today, user.language)
    if changes is None:
        await message.answer(_("That does not look like a phone number. Try again, or /cancel.") if field == "phone"
                             else texts.bad_answer(field, can_skip=False))
        return
    try:
        n = await cases.edit(unit, user.id, int(edit.get("notice_id", 0)), changes, today)
    except NotYours:
        await state.set_state(None)
        await message.answer(_("That notice is gone. Use /notices to see your notices."))
        return
    await state.set_state(None)
    await message.answer(_("Updated. Reminders follow the new details."))
    await show_card(message, unit, n, user)


# --- log a call or a letter -------------------------------------------------------------------


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.LOG))
async def ask_log(query: CallbackQuery, notice: Notice) -> None:
    if (msg := chat_message(query)) is not None:
        await msg.answer(_("What do you want to log?"), reply_markup=keyboards.log_keyboard(notice.id))


def _log_question(step: str, kind: str) -> str:
    return {
        "date": _("When was it? (for example today, or Nov 18)"),
        "agent": _("The IRS employee's name?"),
        "badge": _("Their badge (ID) number?"),
        "agreed": _("What was agreed or said?") if kind == "call" else _("What did the letter say, or what did you send?"),
        "confirmation": _("Any confirmation or tracking number?"),
    }[step]


async def _ask(target: Message, form: Form) -> None:
    await target.answer(_log_question(form.step, form.about["kind"]),
                        reply_markup=keyboards.skip_keyboard(form.about["notice_id"]))


@router.callback_query(LogCb.filter(F.kind.in_({"call", "letter"})))
async def start_log(query: CallbackQuery, callback_data: LogCb, notice: Notice, state: FSMContext) -> None:
    form = await LOG.start(state, list(LOG_STEPS[callback_data.kind]), notice_id=notice.id, kind=callback_data.kind)
    if (msg := chat_message(query)) is not None:
        await _ask(msg, form)


@router.callback_query(LogCb.filter(F.kind == "skip"))
async def skip_step(query: CallbackQuery, callback_data: LogCb, state: FSMContext, unit: Unit, user: User,
                    callback_answer: CallbackAnswer) -> None:
    form = await LOG.current(state)
    if form is None or form.about["notice_id"] != callback_data.notice_id:
        callback_answer.text = _("This question has expired. Use the card's 📞 button to log again.")
        callback_answer.show_alert = True
        return
    if (msg := chat_message(query)) is not None:
        await _next(msg, state, unit, user, form, await LOG.skip(state, form))


@router.message(LogContact.value, F.text & ~F.text.startswith("/"))
async def log_value(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    if await _diverted(message, state, unit, user):
        return
    form = await LOG.current(state)
    if form is None:
        await state.set_state(None)
        return
    text = (await _redacted(message, strict=True)).strip()[:MAX_FIELD]
    if form.step == "date":
        when = intake.parse_field("received_date", text, person_today(user), user.language)
        if not isinstance(when, date):
            await message.answer(texts.bad_answer("received_date", can_skip=False))
            return
        text = when.isoformat()
    await _next(message, state, unit, user, form, await LOG.answer(state, form, text))


async def _next(target: Message, state: FSMContext, unit: Unit, user: User, form: Form, step: str | None) -> None:
    if step is not None:
        await _ask(target, form)
        return
    await LOG.finish(state)
    fields = {"date": person_today(user).isoformat(), **form.answers}
    try:
        n = await cases.log_contact(unit, user.id, form.about["notice_id"], form.about["kind"], fields)
    except NotYours:
        await target.answer(_("That notice is gone, so I could not log this."))
        return
    await target.answer(_("Logged. It is in the notice's history (and in /export)."))
    await show_card(target, unit, n, user)


async def _redacted(message: Message, strict: bool) -> str:
    """The message without identifiers or control characters; the person is told when one was removed.

    ``strict`` (notes, phone, every call-log answer) also removes any other nine-digit number.
    """
    found = redact(without_controls(message.text or ""), strict=strict)
    if found.redacted:
        await message.answer(texts.ssn_removed(found.kinds))
    return found.text


async def _diverted(message: Message, state: FSMContext, unit: Unit, user: User) -> bool:
    """A whole new notice typed in the middle of a question is a new notice, not an answer."""
    found = reader.read(message.text or "", person_today(user), user.language)
    if found.notice and found.amount is not None and (found.notice_date or found.tax_years):
        from bot.routers.intake import handle_text

        await state.set_state(None)
        await handle_text(message, message.text or "", state, unit, user)
        return True
    return False
