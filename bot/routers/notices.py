"""The saved notice's card: /notices, the card and its buttons (view, meaning, cost of waiting,
status, delete). The owned notice comes from the ownership middleware; changes go through services."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import keyboards, texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.cards import card_text, send_list, show_card
from bot.keyboards import ListCb
from bot.message_split import split
from bot.routers.common import chat_message, person_today, send
from bot.routers.instruments import disputed_reply
from services import Notice, NoticeStatus, User
from services import notices as cases
from services.unit import Unit

router = Router(name="notices")

STATUS_OF = {
    NoticeAction.PAID: NoticeStatus.PAID,  # PLAN: the plans router asks for the plan first
    NoticeAction.DISPUTED: NoticeStatus.DISPUTED, NoticeAction.CLOSED: NoticeStatus.CLOSED,
    NoticeAction.REOPEN: NoticeStatus.OPEN,
}


@router.message(Command("notices"))
async def list_notices(message: Message, command: CommandObject, unit: Unit, user: User) -> None:
    include_closed = (command.args or "").strip().lower() in {"all", "closed", "todos", "todas", "cerrados"}
    await send_list(message, unit, user, include_closed)


@router.callback_query(ListCb.filter())
async def list_closed(query: CallbackQuery, callback_data: ListCb, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await send_list(msg, unit, user, callback_data.closed)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.VIEW))
async def view(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await show_card(msg, unit, notice, user)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.MEANING))
async def meaning(query: CallbackQuery, notice: Notice, user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await send(msg, texts.meaning_text(notice, user.language))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.COST))
async def cost_of_waiting(query: CallbackQuery, notice: Notice, user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await send(msg, texts.cost_text(notice, person_today(user), user.language))


# --- status, delete -----------------------------------------------------------------------------


def status_done(status: NoticeStatus) -> str:
    return {
        NoticeStatus.PAID: _("Marked as paid on {date}. I stopped the reminders for {code}; keep your proof of "
                             "payment until the IRS shows a zero balance."),
        NoticeStatus.PLAN: _("Marked as in a payment plan on {date}. I stopped the reminders for {code}."),
        NoticeStatus.DISPUTED: _("Marked as disputed on {date}. I stopped the reminders for {code}; follow up if "
                                 "you hear nothing in 30 days."),
        NoticeStatus.CLOSED: _("Closed on {date}. I stopped the reminders for {code}."),
        NoticeStatus.OPEN: _("Reopened on {date}. Reminders for {code} are back on."),
    }[status]


@router.callback_query(NoticeCb.filter(F.action.in_(set(STATUS_OF))))
async def change_status(query: CallbackQuery, callback_data: NoticeCb, notice: Notice, unit: Unit, user: User,
                        callback_answer: CallbackAnswer) -> None:
    new = STATUS_OF[callback_data.action]
    result = await cases.change_status(unit, user.id, notice.id, new, via="card")
    when = texts.fdate(person_today(user, result.at), user.language)
    done = status_done(new).format(date=when, code=texts.esc(notice.code))
    # "Disputed" on a hard notice: the clock still runs and the reminders go on; was the instrument sent?
    ask = disputed_reply(notice, user.language) if new == NoticeStatus.DISPUTED else None
    markup = None
    if ask is not None:
        done, markup = ask
    callback_answer.text = (_("Marked as disputed.") if ask else done) if result.changed else \
        _("It already had that status.")
    msg = chat_message(query)
    if msg is not None and result.changed:
        await msg.edit_text(split(await card_text(unit, notice, user))[0],
                            reply_markup=keyboards.notice_keyboard(notice), disable_web_page_preview=True)
        await msg.answer(done, reply_markup=markup)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.DELETE))
async def ask_delete(query: CallbackQuery, notice: Notice) -> None:
    if (msg := chat_message(query)) is not None:
        await msg.answer(_("Delete {code} and its history and reminders? This cannot be undone.").format(
            code=texts.esc(notice.code)), reply_markup=keyboards.delete_keyboard(notice.id))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.DELETE_CONFIRM))
async def delete(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    code = await cases.delete(unit, user.id, notice.id)
    if (msg := chat_message(query)) is not None:
        await msg.edit_text(_("Deleted {code}. Its reminders are gone too.").format(code=texts.esc(code)))
