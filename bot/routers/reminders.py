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
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reminder_text import CALLBACK_PREFIX
from notices import checklists
from notices.words import long_date, short_time
from scheduler.clock import Clock, SystemClock
from scheduler.planner import Schedule, replan_notice, snooze_instant
from scheduler.service import ReminderService
from storage import reminders as store
from storage.models import Notice, NoticeEvent, NoticeStatus, User


class ReminderAction(CallbackData, prefix=CALLBACK_PREFIX):
    action: str  # paid | plan | disputed | s1 | s3 | list
    notice_id: int


STATUS_OF = {"paid": NoticeStatus.PAID, "plan": NoticeStatus.PLAN, "disputed": NoticeStatus.DISPUTED}


# --- buttons ------------------------------------------------------------------------------------


async def _own_notice(session: AsyncSession, query: CallbackQuery, notice_id: int) -> Notice | None:
    notice = await session.get(Notice, notice_id)
    if notice is None or notice.user_id != query.from_user.id:
        await query.answer(_("Sorry, that notice is not one of yours."), show_alert=True)
        return None
    return notice


def _clock(reminder_service: ReminderService | None) -> Clock:
    return reminder_service.clock if reminder_service is not None else SystemClock()


async def set_status(query: CallbackQuery, callback_data: ReminderAction, session: AsyncSession,
                     reminder_service: ReminderService | None = None) -> None:
    notice = await _own_notice(session, query, callback_data.notice_id)
    if notice is None:
        return
    new = STATUS_OF[callback_data.action]
    now = _clock(reminder_service).now()
    if notice.status != new:
        session.add(NoticeEvent(notice_id=notice.id, kind="status", at=now,
                                data={"from": notice.status.value, "to": new.value, "via": "reminder"}))
        notice.status, notice.status_changed_at = new, now
        notice.sequence += 1
        await replan_notice(session, notice.id, now)
        await session.commit()
    done = {
        NoticeStatus.PAID: _("Marked as paid. I will stop reminding you about {code}."),
        NoticeStatus.PLAN: _("Marked as in a payment plan. I will stop reminding you about {code}."),
        NoticeStatus.DISPUTED: _("Marked as disputed. I will stop reminding you about {code}."),
    }[new].format(code=html.escape(notice.code))
    await query.answer(done)
    if query.message is not None:
        await query.bot.edit_message_reply_markup(  # type: ignore[union-attr]
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
        await query.bot.send_message(query.message.chat.id, done)  # type: ignore[union-attr]


async def snooze(query: CallbackQuery, callback_data: ReminderAction, session: AsyncSession,
                 reminder_service: ReminderService | None = None) -> None:
    notice = await _own_notice(session, query, callback_data.notice_id)
    if notice is None:
        return
    user = await session.get(User, notice.user_id)
    assert user is not None
    now = _clock(reminder_service).now()
    days = 1 if callback_data.action == "s1" else 3
    at = snooze_instant(now, days, notice.respond_by, Schedule.of(user)) if notice.is_open else None
    if at is None:
        await query.answer(_("I cannot snooze past the deadline day."), show_alert=True)
        return
    await store.add_snooze(session, notice.id, user.id, at, now)
    await session.commit()
    if reminder_service is not None:
        reminder_service.poke(at)
    local = at.astimezone(ZoneInfo(user.timezone))
    await query.answer(_("OK, I will remind you again on {date} at {time}.").format(
        date=long_date(local.date(), user.language), time=short_time(local.time(), user.language)))


async def checklist(query: CallbackQuery, callback_data: ReminderAction, session: AsyncSession,
                    user: User | None = None) -> None:
    notice = await _own_notice(session, query, callback_data.notice_id)
    if notice is None:
        return
    lang = user.language if user is not None else "en"
    await query.answer()
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
    router.callback_query.register(snooze, ReminderAction.filter(F.action.in_({"s1", "s3"})))
    router.callback_query.register(checklist, ReminderAction.filter(F.action == "list"))
    return router


router = make_router()
