"""Reminder messages: the text and buttons in the person's language, the Bot API sender the
scheduler calls, and the router that handles the buttons (Paid, Plan, Disputed, Snooze, Checklist).
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import aiohttp
from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n, get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession
from yarl import URL

from notices import catalog, checklists, risk
from scheduler.clock import Clock, SystemClock
from scheduler.errors import Blocked, RetryAfter, TransientError
from scheduler.items import DueItem
from scheduler.planner import Schedule, replan_notice, snooze_instant
from scheduler.service import ReminderService
from storage import reminders as store
from storage.models import Notice, NoticeEvent, NoticeStatus, User

SEND_TIMEOUT_S = 20.0
SEND_CONNECTIONS = 64  # keep-alive connections to the Bot API; more only queue at the server


class ReminderAction(CallbackData, prefix="rm"):
    action: str  # paid | plan | disputed | s1 | s3 | list
    notice_id: int


def pack_action(action: str, notice_id: int) -> str:
    """``ReminderAction(action=..., notice_id=...).pack()`` without building the model (a test keeps
    the two equal): six buttons a reminder, and the model costs ~5 µs each."""
    sep = ReminderAction.__separator__
    return f"{ReminderAction.__prefix__}{sep}{action}{sep}{notice_id:d}"


STATUS_OF = {"paid": NoticeStatus.PAID, "plan": NoticeStatus.PLAN, "disputed": NoticeStatus.DISPUTED}


# --- rendering ----------------------------------------------------------------------------------


def money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def days_left_line(days: int | None, respond_by: date | None) -> str:
    if days is None or respond_by is None:
        return _("There is no respond-by date on file for this notice.")
    when = respond_by.isoformat()
    if days > 1:
        return ngettext("{n} day left to respond (by {date}).", "{n} days left to respond (by {date}).",
                        days).format(n=days, date=when)
    if days == 1:
        return _("Tomorrow ({date}) is the last day to respond.").format(date=when)
    if days == 0:
        return _("<b>Today</b> is the last day to respond.")
    late = -days
    return ngettext("The respond-by date ({date}) passed {n} day ago.",
                    "The respond-by date ({date}) passed {n} days ago.", late).format(n=late, date=when)


def risk_line(item: DueItem) -> str:
    amount = None if item.amount_cents is None else Decimal(item.amount_cents) / 100
    assessed = risk.assess(item.code, item.respond_by, item.today, item.status, amount, item.hard, item.language)
    level = assessed.level
    names = {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}
    reason = f" — {html.escape(assessed.reasons[0])}" if assessed.reasons else ""
    return _("Risk: <b>{level}</b>").format(level=names.get(level, html.escape(level))) + reason


@dataclass(frozen=True, slots=True)
class _Texts:
    """The fixed parts of a reminder in one locale, translated once (gettext ~1.5 µs a call)."""

    catch_up: str
    heads_up: str
    head: str
    amount: str
    hard: str
    next_step: str
    handled: str


@functools.lru_cache(maxsize=64)
def _texts(i18n: I18n, locale: str) -> _Texts:
    """Keyed by the I18n and its current locale (the ``_`` calls below read both)."""
    return _Texts(
        catch_up=_("I could not reach you on time; here is where this notice stands now."),
        heads_up=_("Heads-up: if nothing was done about your {code}, the IRS usually sends a {next} "
                   "around now. Tell me if it arrives."),
        head=_("⏰ <b>Reminder: {title}</b>"),
        amount=_("Amount: {amount}"),
        hard=_("⚠️ <b>This is a hard deadline:</b> if you miss it you lose a legal right, and it "
               "cannot be fixed later. Act before the date, not on it."),
        next_step=_("<b>Next step:</b> {step}"),
        handled=_("Already handled it? Tell me below and I will stop reminding you."),
    )


def _current_texts() -> _Texts:
    i18n = get_i18n()
    return _texts(i18n, i18n.current_locale)


def render(item: DueItem) -> str:
    """The reminder text; call inside the person's locale (``i18n.use_locale``)."""
    t = _current_texts()
    info = catalog.get(item.code)
    code = html.escape(item.code)
    title = f"{code} — {html.escape(info.title.get(item.language))}" if info else code
    years = ", ".join(str(y) for y in item.tax_years)
    lines: list[str] = []
    if item.catch_up:
        lines.append(t.catch_up)
    heads_up = next((k.split(":", 1)[1] for k in item.kinds if k.startswith("next:")), None)
    if heads_up and len(item.kinds) == 1:
        lines.append(t.heads_up.format(code=code, next=html.escape(heads_up)))
    head = t.head.format(title=title)
    if years:
        head += f" ({html.escape(years)})"
    lines.append(head)
    if item.amount_cents is not None:
        lines.append(t.amount.format(amount=money(item.amount_cents)))
    lines.append(days_left_line(item.days_left, item.respond_by))
    if item.hard:
        lines.append(t.hard)
    lines.append(risk_line(item))
    if info is not None and (actions := info.actions.get(item.language)):
        lines.append(t.next_step.format(step=html.escape(actions[0])))
    lines.append(t.handled)
    return "\n".join(lines)


def snooze_days(respond_by: date | None, today: date) -> tuple[int, ...]:
    """Snoozes that make sense: none on the deadline day, only 1 day the day before."""
    if respond_by is None or respond_by < today:  # overdue: nudges have no day to protect
        return (1, 3)
    left = (respond_by - today).days
    return (1, 3) if left >= 2 else (1,) if left == 1 else ()


@functools.lru_cache(maxsize=64)
def _layout(i18n: I18n, locale: str, snoozes: tuple[int, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The buttons' rows as (text, callback data without the notice id), translated once per
    I18n, locale and snooze choice; ``prefix + str(notice_id)`` equals ``pack_action``."""

    def button(text: str, action: str) -> tuple[str, str]:
        return text, pack_action(action, 0)[:-1]

    rows: list[tuple[tuple[str, str], ...]] = [
        (button(_("✅ Paid"), "paid"),), (button(_("📅 Payment plan set up"), "plan"),),
        (button(_("✋ Disputed"), "disputed"),),
    ]
    if snoozes:
        rows.append(tuple(button(_("😴 Snooze 1 day") if days == 1 else _("😴 Snooze 3 days"), f"s{days}")
                          for days in snoozes))
    rows.append((button(_("📋 Checklist"), "list"),))
    return tuple(rows)


def keyboard(item: DueItem) -> dict[str, list[list[dict[str, str]]]]:
    """Status buttons, snooze (never past the deadline day), checklist: the Bot API
    ``InlineKeyboardMarkup`` as JSON, one row each except the snoozes, which share a row."""
    i18n = get_i18n()
    nid = f"{item.notice_id:d}"
    layout = _layout(i18n, i18n.current_locale, snooze_days(item.respond_by, item.today))
    return {"inline_keyboard": [[{"text": text, "callback_data": prefix + nid} for text, prefix in row]
                                for row in layout]}


# --- sending ------------------------------------------------------------------------------------


class SendRefused(Exception):
    """Telegram refused the message for another reason (400 bad request, 401, 404...): not a
    scheduler error, so the service counts a failed attempt and gives up after a few."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class BotApiReminderSender:
    """The scheduler's ReminderSender: ``sendMessage`` as JSON straight to the Bot API.

    Reminders are a broadcast path, so aiogram's request and response models (about 1 ms of CPU
    per message) are skipped: one shared keep-alive session, the same text and buttons, and
    Telegram's answers mapped as aiogram would classify them: a ``retry_after`` (429) becomes
    RetryAfter, 403 Blocked, 5xx, timeouts and connection trouble TransientError, any other refusal
    SendRefused. Create and close it inside the running loop.
    """

    def __init__(self, api_url: str, token: str, i18n: I18n, *, timeout: float = SEND_TIMEOUT_S,
                 connections: int = SEND_CONNECTIONS) -> None:
        self.url = URL(f"{api_url.rstrip('/')}/bot{token}/sendMessage")  # parsed once, not per send
        self.i18n = i18n
        self.timeout = timeout
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                json_serialize=_dumps,
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, item: DueItem) -> None:
        with self.i18n.context(), self.i18n.use_locale(item.language):
            payload = {"chat_id": item.chat_id, "text": render(item), "parse_mode": "HTML",
                       "reply_markup": keyboard(item)}
        try:
            async with self._http().post(self.url, json=payload) as resp:  # timeout: the session's
                status, body = resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(type(exc).__name__) from exc
        if status == 200 and _OK.match(body):
            return  # the usual answer: no need to decode the sent Message (~1 KB of JSON)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if status >= 500:
                raise TransientError(f"{status}: undecodable answer")
            raise SendRefused(status, f"undecodable answer: {body[:200]!r}")
        if 200 <= status <= 226 and answer.get("ok"):
            return
        description = str(answer.get("description") or "")
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        if retry_after:
            raise RetryAfter(float(retry_after))
        if status == 403:
            raise Blocked(description)
        if status >= 500 or status == 429:  # a 429 without retry_after: back off as for overload
            raise TransientError(f"{status}: {description}")
        raise SendRefused(status, description)


_OK = re.compile(rb'\{\s*"ok"\s*:\s*true\s*[,}]')  # an answer that opens with "ok": true


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
    await query.answer(_("OK, I will remind you again on {when}.").format(when=local.strftime("%Y-%m-%d %H:%M")))


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
