"""The router that handles a reminder's buttons (Paid, Plan, Disputed, Snooze, Checklist).

What a reminder says lives in ``bot.reminder_text`` and how it is sent in ``bot.reminder_sender``
(no aiogram in either: the reminder worker does not import this module).
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import texts
from bot.callbacks import RowId
from bot.reminder_text import CALLBACK_PREFIX
from notices import checklists
from services import Notice, NoticeStatus, User
from services import notices as notice_cases
from services import reminders as cases
from services.unit import Unit


class ReminderAction(CallbackData, prefix=CALLBACK_PREFIX):
    action: str  # paid | plan | disputed | s1 | s3 | list
    notice_id: RowId


STATUS_OF = {"paid": NoticeStatus.PAID, "plan": NoticeStatus.PLAN, "disputed": NoticeStatus.DISPUTED}
SNOOZE_DAYS = {"s1": 1, "s3": 3}


# --- buttons (the notice comes from the ownership middleware) -------------------------------------


async def set_status(query: CallbackQuery, callback_data: ReminderAction, notice: Notice, unit: Unit,
                     callback_answer: CallbackAnswer) -> None:
    new = STATUS_OF[callback_data.action]
    await notice_cases.change_status(unit, query.from_user.id, notice.id, new, via="reminder")
    done = {
        NoticeStatus.PAID: _("Marked as paid. I will stop reminding you about {code}."),
        NoticeStatus.PLAN: _("Marked as in a payment plan. I will stop reminding you about {code}."),
        NoticeStatus.DISPUTED: _("Marked as disputed. I will stop reminding you about {code}."),
    }[new].format(code=html.escape(notice.code))
    callback_answer.text = done
    if query.message is not None:
        await query.bot.edit_message_reply_markup(  # type: ignore[union-attr]
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
        await query.bot.send_message(query.message.chat.id, done)  # type: ignore[union-attr]


async def snooze(query: CallbackQuery, callback_data: ReminderAction, notice: Notice, unit: Unit, user: User,
                 callback_answer: CallbackAnswer) -> None:
    at = await cases.snooze(unit, user.id, notice.id, SNOOZE_DAYS[callback_data.action])
    if at is None:
        callback_answer.text, callback_answer.show_alert = _("I cannot snooze past the deadline day."), True
        return
    local = at.astimezone(ZoneInfo(user.timezone))
    callback_answer.text = _("OK, I will remind you again on {when}.").format(when=texts.fmoment(local, user.language))


async def checklist(query: CallbackQuery, notice: Notice, user: User | None = None) -> None:
    lang = user.language if user is not None else "en"
    if query.message is not None:
        await query.bot.send_message(query.message.chat.id, checklist_text(notice.code, lang))  # type: ignore[union-attr]


def checklist_text(code: str, lang: str) -> str:
    """A plain list; the conversation's /checklist is the interactive one."""
    items = [item.text for item in checklists.checklist(code, lang)]
    head = _("<b>Checklist for {code}</b>").format(code=html.escape(code))
    return "\n".join([head, *(f"☐ {html.escape(str(i))}" for i in items)])



def make_router() -> Router:
    """A fresh router each call: a Router can have one parent, and tests build several dispatchers."""
    router = Router(name="reminders")
    router.callback_query.register(set_status, ReminderAction.filter(F.action.in_(set(STATUS_OF))))
    router.callback_query.register(snooze, ReminderAction.filter(F.action.in_(set(SNOOZE_DAYS))))
    router.callback_query.register(checklist, ReminderAction.filter(F.action == "list"))
    return router


router = make_router()
