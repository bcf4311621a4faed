"""The instrument that keeps each right, in the chat: the guide behind the card's and the reminder's
button (Form 12153 helper, Tax Court petition guide, 60-day request letter), logging that it was
sent (date, certified-mail number), and the answer to "Disputed" on a hard notice."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.fsm.scene import Scene, SceneRegistry, ScenesManager, on
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import instrument_texts, intake, texts
from bot.i18n import words
from bot.routers.common import chat_message, notice_assessment, person_today
from bot.routers.form12153 import Form12153Scene, InstrumentCb
from bot.routers.notice_tools import send_letter
from bot.routers.reminders import ReminderAction
from notices import instruments
from notices.instruments import Kind
from services import Notice, User
from services import instruments as use_case
from services.ownership import NotYours
from services.unit import Unit

SENT_KEY = "instrument_sent"


def _buttons(n: Notice, kind: Kind, *, fill: bool = True, guide: bool = False) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if kind == Kind.HEARING and fill:
        kb.button(text=_("📝 Fill in Form 12153 with me"), callback_data=InstrumentCb(action="fill", notice_id=n.id))
    if guide:
        kb.button(text=_("Not yet: show me how"), callback_data=InstrumentCb(action="guide", notice_id=n.id))
    sent = _("📮 I filed it: log it") if kind == Kind.COURT else _("📮 I mailed it: log it")
    kb.button(text=sent, callback_data=InstrumentCb(action="sent", notice_id=n.id))
    kb.adjust(1)
    return kb.as_markup()


def log_sent_markup(n: Notice) -> InlineKeyboardMarkup:
    """The button to log that the letter keeping a hard right was mailed."""
    return _buttons(n, instruments.kind_of(n.code), fill=False)


async def send_guide(target: Message, n: Notice, user: User) -> None:
    """The card's instrument button for a notice with a hard right (the dispute letter otherwise)."""
    kind = instruments.kind_of(n.code)
    today = person_today(user)
    a = notice_assessment(n, today, user.language)
    text = instrument_texts.guide_text(kind, n.code, a, today, user.language)
    if kind != Kind.ABATEMENT:
        await target.answer(text, reply_markup=_buttons(n, kind), disable_web_page_preview=True)
        return
    letter = instruments.AbatementInput(
        notice_code=n.code, notice_date=n.notice_date, today=today, tax_years=tuple(n.tax_years or ()),
        amount=Decimal(n.amount_cents) / 100 if n.amount_cents is not None else None)
    await target.answer(text, disable_web_page_preview=True)
    await target.answer(_("<b>Your 60-day request letter</b>: add why the change is wrong, sign it and "
                          "write your Social Security number by hand.") + "\n\n"
                        + texts.esc(instruments.abatement_text(letter, words(user.language))))
    pdf = await asyncio.to_thread(instruments.abatement_pdf, letter, words(user.language))  # fpdf2: off the loop
    await target.answer_document(BufferedInputFile(pdf, filename=f"abatement-request-{n.code}.pdf"),
                                 reply_markup=_buttons(n, kind))


def disputed_reply(n: Notice, lang: str) -> tuple[str, InlineKeyboardMarkup] | None:
    """For "Disputed" on a hard notice: the clock still runs; was the instrument sent? None otherwise."""
    if not instruments.still_counting(n.code, "disputed"):
        return None
    kind = instruments.kind_of(n.code)
    return instrument_texts.disputed_text(kind, n.respond_by, lang), _buttons(n, kind, fill=False, guide=True)


# --- logging that it was sent -------------------------------------------------------------------


class SentScene(Scene, state="instrument_sent"):
    """When was it sent, and the certified-mail (or Court confirmation) number; then the use case."""

    @on.callback_query.enter()
    async def on_enter(self, query: CallbackQuery, notice_id: int) -> None:
        await self.wizard.update_data({SENT_KEY: {"notice_id": notice_id}})
        if (msg := chat_message(query)) is not None:
            kb = InlineKeyboardBuilder()
            kb.button(text=_("Today"), callback_data=InstrumentCb(action="today", notice_id=notice_id))
            await msg.answer(_("When did you send it? Type the date (for example Nov 18), or tap Today."),
                             reply_markup=kb.as_markup())

    async def _ask_number(self, target: Message, sent: dict[str, Any]) -> None:
        sent["step"] = "number"
        await self.wizard.update_data({SENT_KEY: sent})
        kb = InlineKeyboardBuilder()
        kb.button(text=_("Skip"), callback_data=InstrumentCb(action="skip", notice_id=sent["notice_id"]))
        await target.answer(_("The certified-mail number on your receipt (or the Court's confirmation number)? "
                              "Type it, or Skip."), reply_markup=kb.as_markup())

    @on.callback_query(InstrumentCb.filter(F.action.in_({"today", "skip"})))
    async def on_button(self, query: CallbackQuery, callback_data: InstrumentCb, unit: Unit, user: User,
                        callback_answer: CallbackAnswer) -> None:
        sent = (await self.wizard.get_data()).get(SENT_KEY)
        msg = chat_message(query)
        step = sent.get("step", "date") if sent else None
        if (sent is None or msg is None or sent["notice_id"] != callback_data.notice_id
                or (callback_data.action == "today") != (step == "date")):
            callback_answer.text = _("This question has expired. Answer the latest one, or /cancel.")
            callback_answer.show_alert = True
            return
        if callback_data.action == "today":
            sent["sent_on"] = person_today(user).isoformat()
            await self._ask_number(msg, sent)
        else:
            await self._finish(msg, unit, user, sent, None)

    @on.message(F.text & ~F.text.startswith("/"))
    async def on_text(self, message: Message, unit: Unit, user: User) -> None:
        sent = (await self.wizard.get_data()).get(SENT_KEY)
        if not sent:
            await self.wizard.exit()
            return
        text = message.text or ""
        if sent.get("step", "date") == "date":
            today = person_today(user)
            when = intake.parse_field("received_date", text, today)
            if not isinstance(when, date) or when > today:
                await message.answer(_("I could not read that as a date that has already come. Type it like "
                                       "Nov 18, or tap Today."))
                return
            sent["sent_on"] = when.isoformat()
            await self._ask_number(message, sent)
            return
        number = use_case.clean_tracking(text)
        if number is None:
            await message.answer(_("That does not look like a certified-mail or confirmation number. Type the "
                                   "number on the receipt, or tap Skip. Never send your Social Security number."))
            return
        await self._finish(message, unit, user, sent, number)

    @on.message()
    async def on_other(self, message: Message) -> None:
        await message.answer(_("Please answer with text or the buttons above, or /cancel to stop."))

    async def _finish(self, target: Message, unit: Unit, user: User, sent: dict[str, Any],
                      number: str | None) -> None:
        await self.wizard.update_data({SENT_KEY: None})
        await self.wizard.exit()
        try:
            done = await use_case.log_sent(unit, user.id, sent["notice_id"], date.fromisoformat(sent["sent_on"]),
                                           number)
        except NotYours:
            await target.answer(_("That notice is gone. Use /notices to see your notices."))
            return
        await target.answer(instrument_texts.sent_text(done.kind, done.sent_on, done.tracking, user.language))


# --- buttons (the owned notice comes from the ownership middleware) ----------------------------------


async def guide_button(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    """"Not yet: show me how": the card's instrument button (the dispute letter where that is it)."""
    if (msg := chat_message(query)) is not None:
        await send_letter(msg, unit, notice, user)


async def enter_button(query: CallbackQuery, callback_data: InstrumentCb, notice: Notice,
                       scenes: ScenesManager) -> None:
    scene = Form12153Scene if callback_data.action == "fill" else SentScene
    await scenes.enter(scene, notice_id=notice.id)


async def reminder_button(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    """The reminder's instrument button: the same as the card's."""
    if (msg := chat_message(query)) is not None:
        await send_letter(msg, unit, notice, user)


async def expired(query: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This question has expired. Tap the notice's button to start again.")
    callback_answer.show_alert = True


def make_router() -> Router:
    """A fresh router each call (a Router has one parent; tests build several dispatchers)."""
    router = Router(name="instruments")
    router.callback_query.register(guide_button, InstrumentCb.filter(F.action == "guide"))
    router.callback_query.register(enter_button, InstrumentCb.filter(F.action.in_({"fill", "sent"})))
    router.callback_query.register(reminder_button, ReminderAction.filter(F.action == "tool"))
    SceneRegistry(router).add(Form12153Scene, SentScene)
    late = Router(name="instruments-expired")  # after the scenes: a step button outside its scene
    late.callback_query.register(expired, InstrumentCb.filter())
    router.include_router(late)
    return router

