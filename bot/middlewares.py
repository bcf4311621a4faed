"""Outer middlewares, in the order they wrap each update: in-flight tracking, database session and
its use-case unit, the person's row, then their language for gettext; and the inner middleware that
hands button handlers the notice the person owns."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware
from aiogram.utils.i18n import I18n, I18nMiddleware
from aiogram.utils.i18n import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import people as people_cases
from services.ownership import Access, case_access, notice_access
from services.unit import Runtime, Unit
from web.metrics import Metrics

log = logging.getLogger("noticebot.updates")

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateMetricsMiddleware(BaseMiddleware):
    """Counts and times every update into ``metrics``, and writes its one log line: ids, type,
    outcome, duration."""

    def __init__(self, metrics: Metrics) -> None:
        self.updates = metrics.updates
        self.latency = metrics.latency

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__.lower()
        update_id = event.update_id if isinstance(event, Update) else None
        began = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "handled"
            return result
        finally:
            took = time.perf_counter() - began
            self.updates.labels(type=kind, outcome=outcome).inc()
            self.latency.labels(type=kind).observe(took)
            log.info("update", extra={"update_id": update_id, "type": kind, "outcome": outcome,
                                      "ms": round(took * 1000, 1)})


class InFlightMiddleware(BaseMiddleware):
    """Remembers the updates being handled so shutdown can let them finish."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def drain(self, timeout: float) -> None:
        current = asyncio.current_task()
        pending = [t for t in self.tasks if t is not current]
        if pending:
            await asyncio.wait(pending, timeout=timeout)


class DbSessionMiddleware(BaseMiddleware):
    """Hands each handler an AsyncSession and the use-case ``Unit`` over it (``unit``): the use
    cases commit before the handler tells the person it is saved."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], runtime: Runtime | None = None) -> None:
        self.sessionmaker = sessionmaker
        self.runtime = runtime or Runtime()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessionmaker() as session:
            data["session"] = session
            data["unit"] = Unit(session, self.runtime)
            return await handler(event, data)


class UserMiddleware(BaseMiddleware):
    """Loads (or creates) the person's row and wakes them up if they had blocked the bot."""

    def __init__(self, default_timezone: str) -> None:
        self.default_timezone = default_timezone

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        unit: Unit | None = data.get("unit")
        if tg_user is not None and unit is not None and not tg_user.is_bot:
            user = await people_cases.arrive(unit, tg_user.id, language_code=tg_user.language_code,
                                             default_timezone=self.default_timezone)
            data["user"], data["user_language"] = user, user.language
        if isinstance(event, Update):
            log.debug("update", extra={"update_id": event.update_id, "type": event.event_type})
        return await handler(event, data)


class NeedsSender(BaseMiddleware):
    """A message with no person behind it (an anonymous group admin writes as the group, a channel
    post has no sender) gets one friendly answer: notices are kept per person, so there is nobody
    to keep them for. Without this every handler would fail on the missing person."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message) and data.get("user") is None:
            await event.answer(_("I can only help a person writing from their own account. Anonymous "
                                 "group admins and channels cannot use me: please write to me in a "
                                 "private chat."))
            return None
        return await handler(event, data)


class UserLocaleMiddleware(I18nMiddleware):
    """gettext language: the person's saved choice, else Telegram's language_code."""

    def __init__(self, i18n: I18n) -> None:
        super().__init__(i18n=i18n)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user = data.get("user")
        if user is not None:
            # Never a database read here: after a failed write the row is expired and its session
            # closed, and the errors router's apology must not fail on it (it did: the person heard
            # nothing). Then the language as loaded when the update began.
            language = sa_inspect(user).dict.get("language") or data.get("user_language")
            if language:
                return str(language)
        tg_user: TgUser | None = data.get("event_from_user")
        return people_cases.pick_language(tg_user.language_code if tg_user else None)


def refusal() -> str:
    return _("Sorry, I cannot find that notice. It may have been deleted, or it is not yours. "
             "Use /notices to see your notices.")


class OwnedNoticeMiddleware(BaseMiddleware):
    """Inner callback-query middleware: when a button's callback data names a notice, the handler
    gets that notice as ``notice`` if the person pressing owns it; otherwise the press is refused
    here, once, and no handler runs. Callback data comes from the client and is never trusted."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        notice_id = getattr(data.get("callback_data"), "notice_id", None)
        if not isinstance(event, CallbackQuery) or not isinstance(notice_id, int):
            return await handler(event, data)
        notice, access = await notice_access(data["session"], event.from_user.id, notice_id)
        if notice is None or access is not Access.CHANGE:
            answer: CallbackAnswer = data["callback_answer"]
            answer.text, answer.show_alert = read_only_refusal() if access is Access.VIEW else refusal(), True
            return None
        data["notice"] = notice
        return await handler(event, data)


def read_only_refusal() -> str:
    return _("This case was shared with you to see only: only its owner can change it.")


def case_refusal() -> str:
    return _("Sorry, I cannot find that case. It may have been emptied or deleted, or it is not yours. "
             "Use /notices to see your cases.")


class OwnedCaseMiddleware(BaseMiddleware):
    """The same for a case: a button whose callback data names a ``case_id`` reaches its handler
    with the ``case`` only when the person pressing may change it (their own), or, for a read-only
    button (``read_only`` callback data), may view it (shared with them); otherwise it is refused
    here, once: a viewer pressing a button that changes the case hears that it is read-only."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        callback_data = data.get("callback_data")
        case_id = getattr(callback_data, "case_id", None)
        if not isinstance(event, CallbackQuery) or not isinstance(case_id, int):
            return await handler(event, data)
        case, access = await case_access(data["session"], event.from_user.id, case_id)
        needed = Access.VIEW if getattr(callback_data, "read_only", False) else Access.CHANGE
        if case is None or access < needed:
            answer: CallbackAnswer = data["callback_answer"]
            answer.text, answer.show_alert = read_only_refusal() if access is Access.VIEW else case_refusal(), True
            return None
        data["case"] = case
        return await handler(event, data)


class CallbackAnswers(CallbackAnswerMiddleware):
    """aiogram's automatic answer to every button press (handlers set ``callback_answer.text`` and
    never call ``query.answer`` themselves). A handler that fails is left unanswered here, so the
    errors router's apology is the answer the person sees."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async def guarded(event: TelegramObject, data: dict[str, Any]) -> Any:
            try:
                return await handler(event, data)
            except Exception:
                answer = data.get("callback_answer")
                if answer is not None and not answer.answered:
                    answer.disable()
                raise

        return await super().__call__(guarded, event, data)


def setup_buttons(router: Router) -> None:
    """Every button press is answered automatically, and one naming a notice reaches its handler
    (or case) only when the person pressing owns it. Inner middlewares: they see the parsed callback data."""
    router.callback_query.middleware(CallbackAnswers())
    router.callback_query.middleware(OwnedNoticeMiddleware())
    router.callback_query.middleware(OwnedCaseMiddleware())
