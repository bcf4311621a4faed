"""Callback data shared by several routers. Every handler re-checks that the notice belongs to the
person pressing: callback data comes from the client and is never trusted on its own."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


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
    DISPUTED = "d"
    CLOSED = "x"
    REOPEN = "o"
    EDIT = "e"
    DELETE = "del"
    DELETE_CONFIRM = "dy"


class NoticeCb(CallbackData, prefix="n"):
    action: NoticeAction
    notice_id: int
