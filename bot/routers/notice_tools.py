"""Help with one notice: its checklist (tick items), its timeline picture and a dispute letter, as
card buttons and as /checklist, /timeline, /letter (which ask which notice when there are several)."""

from __future__ import annotations

from decimal import Decimal

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot import keyboards, texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.case_picture import case_timeline_png
from bot.case_texts import case_title
from bot.i18n import words
from bot.keyboards import ChecklistCb, ChecklistViewCb
from bot.routers.common import chat_message, person_today, send
from notices import checklists, instruments, letter
from services import Notice, User, cases, queries
from services import notices as notice_cases
from services.unit import Unit

router = Router(name="notice_tools")


async def checklist_view(u: Unit, n: Notice, lang: str, full: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """The notice's checklist: the one thing to do next (the stage's first step until it is ticked) on
    top, the other steps folded below behind "Show all steps" (``full`` shows them)."""
    items = checklists.checklist(n.code, lang)
    done = await queries.checklist_done(u, n)
    featured = next((k for k, i in enumerate(items) if i.id not in done), None)
    head = _("<b>Checklist for {code}</b> ({done} of {total} done).").format(
        code=texts.esc(n.code), done=sum(1 for i in items if i.id in done), total=len(items))
    if featured is None:
        top = _("✅ Every step is done.")
    elif featured == 0:
        top = _("👉 <b>Do this first:</b> {step}").format(step=texts.esc(items[0].text))
    else:
        top = _("👉 <b>Next:</b> {step}").format(step=texts.esc(items[featured].text))
    lines = [head, "", top]
    if full:
        lines += ["", _("<b>All steps</b> (tap one to tick it or untick it):")]
        lines += [f"{'✅' if i.id in done else '⬜'} {texts.esc(i.text)}" for i in items]
    else:
        left = sum(1 for k, i in enumerate(items) if k != featured and i.id not in done)
        if left:
            lines += ["", ngettext("{n} more step is folded below: tap “Show all steps”.",
                                   "{n} more steps are folded below: tap “Show all steps”.", left).format(n=left)]
    markup = keyboards.checklist_keyboard(n.id, [(i.text, i.id in done) for i in items], full=full,
                                          featured=featured)
    return "\n".join(lines), markup


async def send_checklist(target: Message, u: Unit, n: Notice, user: User) -> None:
    text, markup = await checklist_view(u, n, user.language)
    await send(target, text, markup)


async def send_timeline(target: Message, u: Unit, n: Notice, user: User) -> None:
    """The picture of the notice's case (a notice alone is a case of one)."""
    view = await cases.case_view(u, user.id, n.case_id, user.language)
    png = case_timeline_png(view, user.language)
    await target.answer_photo(BufferedInputFile(png, filename=f"timeline-{n.code}.png"),
                              caption=_("Timeline for {code} and its case ({case})").format(
                                  code=texts.esc(n.code), case=texts.esc(case_title(view.case))))


async def send_letter(target: Message, u: Unit, n: Notice, user: User) -> None:
    if instruments.kind_of(n.code) != instruments.Kind.DISPUTE:
        # a hard right is kept by its own instrument (Form 12153, a petition, the 60-day request), never
        # by a dispute letter
        from bot.routers.instruments import send_guide  # it imports this module

        await send_guide(target, n, user)
        return
    today = person_today(user)
    data = letter.LetterInput(
        name=_("[Your full name]"), notice_code=n.code,
        notice_date=n.notice_date or n.received_date or n.created_at.date(), today=today,
        tax_years=tuple(n.tax_years or ()),
        amount=Decimal(n.amount_cents) / 100 if n.amount_cents is not None else None,
        address_lines=(_("[Your address]"),),
    )
    text = letter.dispute_letter_text(data, words(user.language))
    pdf = letter.dispute_letter_pdf(data, words(user.language))
    await send(target, _("<b>Dispute letter for {code}</b> — fill in the parts in [brackets], explain why you "
                         "disagree, sign it and mail it to the address on your notice before the date. "
                         "Keep a copy and proof of mailing.").format(code=texts.esc(n.code))
               + "\n\n" + texts.esc(text))
    markup = None
    if instruments.still_counting(n.code, "disputed"):  # a hard right kept by a letter (Letter 1153): log it
        from bot.routers.instruments import log_sent_markup

        markup = log_sent_markup(n)
    await target.answer_document(BufferedInputFile(pdf, filename=f"dispute-{n.code}.pdf"), reply_markup=markup)


ACTIONS = {
    NoticeAction.CHECKLIST: send_checklist,
    NoticeAction.TIMELINE: send_timeline,
    NoticeAction.LETTER: send_letter,
}


@router.callback_query(NoticeCb.filter(F.action.in_(set(ACTIONS))))
async def action_button(query: CallbackQuery, callback_data: NoticeCb, notice: Notice, unit: Unit,
                        user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await ACTIONS[callback_data.action](msg, unit, notice, user)


@router.message(Command("checklist", "letter", "timeline"))
async def action_command(message: Message, command: CommandObject, unit: Unit, user: User) -> None:
    action = {"checklist": NoticeAction.CHECKLIST, "letter": NoticeAction.LETTER,
              "timeline": NoticeAction.TIMELINE}[command.command.lower()]
    notices = await queries.open_notices(unit, user.id)
    if not notices:
        await message.answer(_("You have no open notices yet. Send me what your letter says first."))
    elif len(notices) == 1:
        await ACTIONS[action](message, unit, notices[0], user)
    else:
        await message.answer(_("Which notice? The most urgent one is first."),
                             reply_markup=keyboards.pick_keyboard(notices, action))


@router.callback_query(ChecklistCb.filter())
async def tick(query: CallbackQuery, callback_data: ChecklistCb, notice: Notice, unit: Unit, user: User,
               callback_answer: CallbackAnswer) -> None:
    items = checklists.checklist(notice.code, user.language)
    if not 0 <= callback_data.item < len(items):
        callback_answer.text = _("This checklist has changed. Here is the current one.")
    else:  # the state the button asks for: a second tap on the same button changes nothing
        await notice_cases.set_checklist_item(unit, user.id, notice.id, items[callback_data.item].id, callback_data.done)
        callback_answer.text = _("Done ✅") if callback_data.done else _("Unticked")
    await _show_checklist(query, unit, notice, user, callback_data.full)


@router.callback_query(ChecklistViewCb.filter())
async def unfold(query: CallbackQuery, callback_data: ChecklistViewCb, notice: Notice, unit: Unit,
                 user: User) -> None:
    await _show_checklist(query, unit, notice, user, callback_data.full)


async def _show_checklist(query: CallbackQuery, unit: Unit, notice: Notice, user: User, full: bool) -> None:
    if (msg := chat_message(query)) is not None:
        text, markup = await checklist_view(unit, notice, user.language, full)
        try:
            await msg.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:  # a repeated tap: the same checklist, nothing to redraw
            if "message is not modified" not in str(exc):
                raise
