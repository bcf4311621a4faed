"""Penalty relief in the chat (issue 16): the first-time abatement check (three questions, answered
with buttons: the answers travel in the callback data, nothing is stored), then the request letter
(PDF), the phone script, or reasonable-cause relief with its usual evidence. Facts: notices.relief."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import texts
from bot.callbacks import NoticeAction, NoticeCb, RowId
from bot.i18n import words
from bot.routers.common import chat_message, person_today, send
from notices import plans, relief
from services import Notice, NoticeStatus, User

router = Router(name="relief")
ANSWER = {"y": True, "n": False, "u": None}


class ReliefCb(CallbackData, prefix="rf"):
    notice_id: RowId
    answers: str  # one of y / n / u per question answered so far


class ReliefOut(CallbackData, prefix="ro"):
    notice_id: RowId
    what: str  # pdf | phone | cause


def _question(step: str) -> str:
    return {
        "clean_history": _("1/3. In the three tax years before this one, did you have <b>no</b> IRS penalties? "
                           "(An estimated-tax penalty does not count.)"),
        "filed": _("2/3. Have you filed every tax return you currently have to file (or an extension)?"),
        "paid_or_plan": _("3/3. Is the tax paid, or are you in a payment plan and up to date with it?"),
    }[step]


def _answers_keyboard(notice_id: int, so_far: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for label, code in ((_("Yes"), "y"), (_("No"), "n"), (_("I don't know"), "u")):
        kb.button(text=label, callback_data=ReliefCb(notice_id=notice_id, answers=so_far + code))
    kb.adjust(3)
    return kb.as_markup()


def _outputs_keyboard(notice_id: int, letter: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if letter:
        kb.button(text=_("📄 Request letter (PDF)"), callback_data=ReliefOut(notice_id=notice_id, what="pdf"))
        kb.button(text=_("📞 Phone script"), callback_data=ReliefOut(notice_id=notice_id, what="phone"))
    kb.button(text=_("⚖️ Reasonable cause"), callback_data=ReliefOut(notice_id=notice_id, what="cause"))
    kb.button(text=_("📝 Form 843"), url=relief.FORM_843_URL)
    kb.adjust(1)
    return kb.as_markup()


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.RELIEF))
async def start(query: CallbackQuery, notice: Notice) -> None:
    if (msg := chat_message(query)) is None:
        return
    if not relief.eligible_notice(notice.code):
        await send(msg, _("{code} proposes a change: no penalty is charged yet, so there is nothing to remove now. "
                          "If a bill with penalties follows, ask me again from its card.").format(
                              code=texts.esc(notice.code)))
        return
    await msg.answer(_("<b>Penalty relief: first-time abatement</b>\nThe IRS removes the failure-to-file and "
                       "failure-to-pay penalties of one tax year for people with a clean record. Three questions:"))
    await msg.answer(_question(relief.QUESTIONS[0]), reply_markup=_answers_keyboard(notice.id, ""))


@router.callback_query(ReliefCb.filter())
async def answer(query: CallbackQuery, callback_data: ReliefCb, notice: Notice) -> None:
    so_far = callback_data.answers
    if (msg := chat_message(query)) is None or not so_far or len(so_far) > len(relief.QUESTIONS) \
            or set(so_far) - set(ANSWER):
        return
    if len(so_far) == 2 and notice.status == NoticeStatus.PLAN:
        so_far += "y"  # the card says it is in a payment plan
    if len(so_far) < len(relief.QUESTIONS):
        await msg.answer(_question(relief.QUESTIONS[len(so_far)]), reply_markup=_answers_keyboard(notice.id, so_far))
        return
    result = relief.check({q: ANSWER[a] for q, a in zip(relief.QUESTIONS, so_far, strict=True)})
    await send(msg, _result_text(result), reply_markup=_outputs_keyboard(notice.id, result.outcome != "no"))


def _result_text(result: relief.FtaCheck) -> str:
    source = _("Source: {url}").format(url=relief.FTA_URL)
    if result.outcome == "likely":
        return "\n".join([
            _("✅ <b>You likely qualify for first-time abatement.</b> Ask for it by phone (quickest) or by letter."),
            _("It removes the failure-to-file and failure-to-pay penalties of one tax year, not the tax or its "
              "interest, and not accuracy or estimated-tax penalties."), source])
    lines = []
    if result.outcome == "no":
        lines.append(_("❌ <b>First-time abatement needs all three conditions.</b>"))
        if "clean_history" in result.failing:
            lines.append(_("Penalties in the three prior years rule it out; reasonable cause may still apply."))
        if "filed" in result.failing:
            lines.append(_("File the missing returns first (or an extension); then ask again."))
        if "paid_or_plan" in result.failing:
            lines.append(_("Pay, or set up a payment plan with the Online Payment Agreement, then ask: {url}").format(
                url=plans.OPA_URL))
    else:
        lines.append(_("❓ <b>You may qualify.</b> Your IRS Online Account shows your balances and, in your account "
                       "transcripts, past penalties: {url}").format(url=plans.ONLINE_ACCOUNT_URL))
        lines.append(_("The IRS checks the conditions when you ask, so asking costs nothing."))
    lines.append(source)
    return "\n".join(lines)


def _request(notice: Notice, today: date) -> relief.RequestInput:
    return relief.RequestInput(
        notice.code, notice.notice_date or notice.received_date or notice.created_at.date(), today,
        tuple(notice.tax_years or ()), Decimal(notice.amount_cents) / 100 if notice.amount_cents is not None else None,
        in_plan=notice.status == NoticeStatus.PLAN)


@router.callback_query(ReliefOut.filter())
async def output(query: CallbackQuery, callback_data: ReliefOut, notice: Notice, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    tr = words(user.language)
    if callback_data.what == "cause":
        await send(msg, relief.reasonable_cause(tr) + "\n"
                   + _("Source: {url}").format(url=relief.REASONABLE_CAUSE_URL))
        return
    request = _request(notice, person_today(user))
    if callback_data.what == "phone":
        await send(msg, texts.esc(relief.phone_script(request, tr)) + "\n"
                   + _("Then log the call with 📞 on the card, so it is in the notice's history."))
        return
    pdf = relief.request_pdf(request, tr)
    await msg.answer_document(
        BufferedInputFile(pdf, filename=f"penalty-relief-{notice.code}.pdf"),
        caption=_("Fill in the parts in [brackets], sign it and mail it to the address on your notice. Keep a copy "
                  "and proof of mailing, and log the letter with 📞 on the card: I will ask in 30 and 60 days "
                  "whether the IRS answered."))
