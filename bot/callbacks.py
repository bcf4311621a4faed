"""Callback data shared by several routers. Every handler re-checks that the notice belongs to the
person pressing: callback data comes from the client and is never trusted on its own."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# A row id as the database stores it (INTEGER, 32 bits on PostgreSQL). A forged button with a bigger
# number does not match its filter, so it gets the "button has expired" answer instead of reaching
# the database (asyncpg refuses > 2^31, SQLite > 2^63, and either would be a traceback).
RowId = Annotated[int, Field(ge=0, le=2**31 - 1)]
SmallIndex = Annotated[int, Field(ge=0, le=9999)]


class NoticeAction(StrEnum):
    VIEW = "v"
    MEANING = "m"
    CHECKLIST = "c"
    COST = "$"
    TIMELINE = "t"
    LETTER = "l"
    CALENDAR = "i"  # .ics of this notice (calendar router)
    LOG = "g"  # log a call or a letter
    PAID = "p"
    PLAN = "pl"  # set up (or again) the payment plan: the plans router asks for it
    PLAN_VIEW = "pv"
    RELIEF = "r"  # penalty relief: the first-time abatement check (relief router)
    DISPUTED = "d"
    CLOSED = "x"
    REOPEN = "o"
    EDIT = "e"
    MOVE = "mv"  # move to another case: the cases router asks where
    DELETE = "del"
    DELETE_CONFIRM = "dy"


class NoticeCb(CallbackData, prefix="n"):
    action: NoticeAction
    notice_id: RowId


class CaseAction(StrEnum):
    OPEN = "o"  # the case's timeline and its notices
    TIMELINE = "t"  # the timeline picture of the case
    CALENDAR = "i"  # the .ics of the case's deadlines
    SUMMARY = "s"  # the case summary for a professional (PDF; summary router)


class CaseCb(CallbackData, prefix="cs"):
    """A button about one case; ``bot.middlewares.OwnedCaseMiddleware`` hands the handler the case
    only when the person pressing owns it."""

    action: CaseAction
    case_id: RowId


class MoveCb(CallbackData, prefix="mv"):
    """Move ``notice_id`` into case ``to`` (0: a new case of its own). The notice goes through the
    ownership middleware; the target case through the move use case (same rule)."""

    notice_id: RowId
    to: RowId


class ShareAction(StrEnum):
    MENU = "m"  # who has access, and the buttons to share or revoke
    INVITE = "t"  # a new one-time Telegram invite
    LINK = "w"  # a new private web link
    REVOKE = "r"


class ShareCb(CallbackData, prefix="sh"):
    """The owner's sharing of a case: the case goes through the ownership middleware (may change);
    ``share`` (for REVOKE) through the revoke use case."""

    action: ShareAction
    case_id: RowId
    share: RowId = 0


class SharedCb(CallbackData, prefix="sv"):
    """A viewer's read-only button on a case shared with them: the case (``notice`` 0) or one of its
    notices. The middleware hands the handler the case when the person *may view* it."""

    read_only: ClassVar[bool] = True
    case_id: RowId
    notice: RowId = 0
