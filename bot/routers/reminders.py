"""The router that handles a reminder's buttons (Paid, Plan, Disputed, Snooze, Checklist).

What a reminder says lives in ``bot.reminder_text`` and how it is sent in ``bot.reminder_sender``
(no aiogram in either: the reminder worker does not import this module).
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import texts
from bot.callbacks import RowId
from bot.reminder_followups import ANSWERED
from bot.reminder_text import CALLBACK_PREFIX
from bot.routers import notice_tools, plans
from services import Notice, NoticeStatus, User
from services import notices as notice_cases
from services import reminders as cases
from services.unit import Unit


class ReminderAction(CallbackData, prefix=CALLBACK_PREFIX):
    action: str  # paid | plan | disputed | s1 | s3 | list | pp | pn | fa | tool (the notice's instrument)
    notice_id: RowId


STATUS_OF = {"paid": NoticeStatus.PAID, "disputed": NoticeStatus.DISPUTED}
PLAN_ANSWERS = {"pp", "pn"}  # a payment reminder's "Paid" / "Can't pay this month"
SNOOZE_DAYS = {"s1": 1, "s3": 3}


# --- buttons (the notice comes from the ownership middleware) -------------------------------------


async def set_status(query: CallbackQuery, callback_data: ReminderAction, notice: Notice, unit: Unit,
                     callback_answer: CallbackAnswer, user: User | None = None) -> None:
    new = STATUS_OF[callback_data.action]
    await notice_cases.change_status(unit, query.from_user.id, notice.id, new, via="reminder")
    done = {
        NoticeStatus.PAID: _("Marked as paid. I will stop reminding you about {code}."),
        NoticeStatus.DISPUTED: _("Marked as disputed. I will stop reminding you about {code}."),
    }[new].format(code=html.escape(notice.code))
    # "Disputed" on a hard notice: the reminders go on to the hard date; was the instrument sent?
    ask = None
    if new == NoticeStatus.DISPUTED:
        from bot.routers.instruments import disputed_reply  # it imports this module

        ask = disputed_reply(notice, user.language if user is not None else "en")
    callback_answer.text = _("Marked as disputed.") if ask else done
    if query.message is not None:
        await query.bot.edit_message_reply_markup(  # type: ignore[union-attr]
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
        await query.bot.send_message(query.message.chat.id, ask[0] if ask else done,  # type: ignore[union-attr]
                                     reply_markup=ask[1] if ask else None)


async def plan(query: CallbackQuery, notice: Notice, state: FSMContext) -> None:
    """"Payment plan set up" on a deadline reminder: ask for the plan (its payments get reminders)."""
    if isinstance(query.message, Message):
        await plans.start_setup(query.message, state, notice)


async def plan_answer(query: CallbackQuery, callback_data: ReminderAction, notice: Notice, unit: Unit,
                      user: User) -> None:
    reply = (plans.paid_reply if callback_data.action == "pp" else plans.cant_pay_reply)
    text = await reply(unit, user, notice)
    if isinstance(query.message, Message):
        if query.message.reply_markup is not None:  # answered: the buttons go (editing none is refused)
            await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text, disable_web_page_preview=True)


async def answered(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    """A follow-up's "The IRS answered": the follow-ups stop; the person is asked to log the answer."""
    await notice_cases.answered(unit, user.id, notice.id)
    if isinstance(query.message, Message):
        if query.message.reply_markup is not None:
            await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(_("Noted: the IRS answered about {code}. I stopped the follow-ups. Log what "
                                     "they said with 📞 on the notice's card, so it is in its history.").format(
                                         code=html.escape(notice.code)))


async def snooze(query: CallbackQuery, callback_data: ReminderAction, notice: Notice, unit: Unit, user: User,
                 callback_answer: CallbackAnswer) -> None:
    at = await cases.snooze(unit, user.id, notice.id, SNOOZE_DAYS[callback_data.action])
    if at is None:
        callback_answer.text, callback_answer.show_alert = _("I cannot snooze past the deadline day."), True
        return
    local = at.astimezone(ZoneInfo(user.timezone))
    callback_answer.text = _("OK, I will remind you again on {when}.").format(when=texts.fmoment(local, user.language))


async def checklist(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    """The same checklist as /checklist: the next step first, the rest folded, ticks that work."""
    if isinstance(query.message, Message):
        await notice_tools.send_checklist(query.message, unit, notice, user)


def make_router() -> Router:
    """A fresh router each call: a Router can have one parent, and tests build several dispatchers."""
    router = Router(name="reminders")
    router.callback_query.register(set_status, ReminderAction.filter(F.action.in_(set(STATUS_OF))))
    router.callback_query.register(snooze, ReminderAction.filter(F.action.in_(set(SNOOZE_DAYS))))
    router.callback_query.register(checklist, ReminderAction.filter(F.action == "list"))
    router.callback_query.register(plan, ReminderAction.filter(F.action == "plan"))
    router.callback_query.register(answered, ReminderAction.filter(F.action == ANSWERED))
    router.callback_query.register(plan_answer, ReminderAction.filter(F.action.in_(PLAN_ANSWERS)))
    return router


router = make_router()
