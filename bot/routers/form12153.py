"""The Form 12153 helper: an aiogram Scene that walks through the form's questions in the chat and
sends the filled PDF with where and how to mail it and the postmark deadline.

Questions, in the form's order: type of tax, form number, tax periods (line 5), the collection
alternatives wanted (line 8), an explanation. Every question has "I don't know"/"Skip". The bot
never asks for identifiers (name, address, SSN stay blank for the person to write by hand), and
a typed SSN is removed before anything is kept.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.scene import Scene, on
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import instrument_texts, intake, texts
from bot.callbacks import RowId
from bot.i18n import words
from bot.routers.common import chat_message, notice_assessment, person_today
from notices import form12153
from notices.instruments import Kind
from notices.redact import redact
from services import Notice, User
from services.ownership import find_owned
from services.unit import Unit

STEPS = ("tax", "form", "periods", "alts", "reason")
KEY = "f12153"  # this scene's part of the FSM data (other flows keep theirs)
_FORM_NUMBER = re.compile(r"^\d{3,4}(?:-?[A-Z]{1,3})?$")


class InstrumentCb(CallbackData, prefix="in"):
    """Buttons of the instrument helpers; ``notice_id`` is re-checked against the owner."""

    action: str  # guide | fill | sent | tax | form | periods | alt | done | skip | today
    notice_id: RowId
    value: str = ""


def _alt_label(key: str) -> str:
    return {
        "installment": _("Installment agreement (payment plan)"),
        "offer": _("Offer in compromise"),
        "cannot_pay": _("I cannot pay"),
        "lien_withdrawal": _("Lien withdrawal"),
        "innocent_spouse": _("Innocent spouse relief"),
    }[key]


def question(step: str, form: dict[str, Any], years: list[int]) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one step (``form`` holds the answers so far)."""
    nid = form["notice_id"]
    kb = InlineKeyboardBuilder()

    def add(text: str, action: str, value: str = "") -> None:
        kb.button(text=text, callback_data=InstrumentCb(action=action, notice_id=nid, value=value))

    n = STEPS.index(step) + 1
    head = _("<b>Form 12153, question {n} of {total}</b>").format(n=n, total=len(STEPS)) + "\n"
    if step == "tax":
        text = _("What type of tax is on the notice (line 5)? Most notices to individuals are about income tax.")
        for key, label in (("income", _("Income")), ("employment", _("Employment")),
                           ("civil_penalty", _("Civil penalty"))):
            add(label, "tax", key)
    elif step == "form":
        text = _("Which tax form is it about (for example 1040 or 941)? Tap one or type it.")
        add("1040", "form", "1040")
        add("941", "form", "941")
    elif step == "periods":
        text = _("Which tax periods does the notice list? Type the years (for example 2022, 2023).")
        if years:
            add(_("Use {years} (from the notice)").format(years=", ".join(map(str, years))), "periods")
    elif step == "alts":
        chosen = set(form.get("alternatives", ()))
        text = _("What would you like Appeals to consider (line 8)? Tap all that apply, then Done.")
        for key in form12153.ALTERNATIVES:
            add(("✅ " if key in chosen else "⬜ ") + _alt_label(key), "alt", key)
        add(_("Done"), "done")
    else:
        text = _("Anything you want Appeals to know: why you disagree, what you can pay? Type it, or Skip. "
                 "Do not include your Social Security number.")
    add(_("Skip") if step in ("alts", "reason") else _("I don't know"), "skip")
    kb.adjust(1)
    return head + text, kb.as_markup()


class Form12153Scene(Scene, state="f12153"):
    """One scene; the step lives in the data, so a button of an old question is refused."""

    @on.callback_query.enter()
    async def on_enter(self, query: CallbackQuery, unit: Unit, user: User, notice_id: int) -> None:
        form = {"notice_id": notice_id, "step": 0, "alternatives": []}
        await self.wizard.update_data({KEY: form})
        if (msg := chat_message(query)) is not None:
            await msg.answer(_("I will ask five questions from the form. Your name, address, phone, Social "
                               "Security number and signature stay blank: you write them by hand."))
            await self._ask(msg, unit, user, form)

    async def _ask(self, target: Message, unit: Unit, user: User, form: dict[str, Any]) -> None:
        n = await find_owned(unit.session, user.id, form["notice_id"])
        text, markup = question(STEPS[form["step"]], form, sorted(n.tax_years or ()) if n else [])
        await target.answer(text, reply_markup=markup)

    async def _form(self) -> dict[str, Any] | None:
        return (await self.wizard.get_data()).get(KEY)

    async def _next(self, target: Message, unit: Unit, user: User, form: dict[str, Any]) -> None:
        form["step"] += 1
        await self.wizard.update_data({KEY: form})
        if form["step"] < len(STEPS):
            await self._ask(target, unit, user, form)
        else:
            await self._finish(target, unit, user, form)

    @on.callback_query(InstrumentCb.filter(F.action.in_({"tax", "form", "periods", "alt", "done", "skip"})))
    async def on_button(self, query: CallbackQuery, callback_data: InstrumentCb, notice: Notice, unit: Unit,
                        user: User, callback_answer: CallbackAnswer) -> None:
        form = await self._form()
        msg = chat_message(query)
        step = STEPS[form["step"]] if form and form["step"] < len(STEPS) else None
        wanted = {"tax": "tax", "form": "form", "periods": "periods", "alt": "alts", "done": "alts"}
        if (form is None or msg is None or callback_data.notice_id != form["notice_id"]
                or (callback_data.action != "skip" and wanted[callback_data.action] != step)):
            callback_answer.text = _("This question has expired. Answer the latest one, or /cancel.")
            callback_answer.show_alert = True
            return
        action, value = callback_data.action, callback_data.value
        if action == "alt":
            chosen = set(form["alternatives"]) ^ {value} if value in form12153.ALTERNATIVES else set()
            form["alternatives"] = [k for k in form12153.ALTERNATIVES if k in chosen]
            await self.wizard.update_data({KEY: form})
            await msg.edit_reply_markup(reply_markup=question("alts", form, [])[1])
            return
        if action == "tax" and value in form12153.TAX_TYPES:
            form["tax_type"] = value
        elif action == "form":
            form["form_number"] = value
        elif action == "periods":
            form["periods"] = [str(y) for y in sorted(notice.tax_years or ())]
        await self._next(msg, unit, user, form)

    @on.message(F.text & ~F.text.startswith("/"))
    async def on_text(self, message: Message, unit: Unit, user: User) -> None:
        form = await self._form()
        if form is None or form["step"] >= len(STEPS):
            await self.wizard.exit()
            return
        step = STEPS[form["step"]]
        cleaned = redact(message.text or "")
        if cleaned.kinds:
            await message.answer(texts.ssn_removed(cleaned.kinds))
        text = cleaned.text.strip()
        if step == "form":
            number = text.upper().removeprefix("FORM").strip()
            if not _FORM_NUMBER.match(number):
                await message.answer(_("That does not look like a form number (like 1040 or 941). Type it "
                                       "again, or tap I don't know."))
                return
            form["form_number"] = number
        elif step == "periods":
            years = intake.parse_field("tax_years", text, person_today(user))
            if not isinstance(years, tuple):
                await message.answer(_("I could not find a year in that. Type the tax years, for example "
                                       "2022, 2023, or tap I don't know."))
                return
            form["periods"] = [str(y) for y in sorted(years)]
        elif step == "reason":
            form["reason"] = text[:form12153.MAX_REASON]
        else:
            await message.answer(_("Please tap one of the buttons above, or /cancel."))
            return
        await self._next(message, unit, user, form)

    @on.message()
    async def on_other(self, message: Message) -> None:
        await message.answer(_("Please answer with text or the buttons above, or /cancel to stop."))

    async def _finish(self, target: Message, unit: Unit, user: User, form: dict[str, Any]) -> None:
        await self.wizard.update_data({KEY: None})
        await self.wizard.exit()
        n = await find_owned(unit.session, user.id, form["notice_id"])
        if n is None:
            await target.answer(_("That notice is gone. Use /notices to see your notices."))
            return
        today = person_today(user)
        a = notice_assessment(n, today, user.language)
        filled = form12153.from_answers(
            n.code, tax_type=form.get("tax_type"), form_number=form.get("form_number"),
            periods=form.get("periods", ()), alternatives=form.get("alternatives", ()),
            reason=form.get("reason", ""), postmark_by=a.respond_by, today=today)
        pdf = await asyncio.to_thread(form12153.pdf, filled, words(user.language))  # ~50 ms of fpdf2: off the loop
        kb = InlineKeyboardBuilder()
        kb.button(text=_("📮 I mailed it: log it"), callback_data=InstrumentCb(action="sent", notice_id=n.id))
        await target.answer_document(BufferedInputFile(pdf, filename=f"form-12153-{n.code}.pdf"),
                                     caption=_("Your Form 12153 for {code}, filled from your answers.").format(
                                         code=texts.esc(n.code)))
        await target.answer(instrument_texts.guide_text(Kind.HEARING, n.code, a, today, user.language),
                            reply_markup=kb.as_markup(), disable_web_page_preview=True)

