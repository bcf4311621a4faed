"""What a reminder is about, as a typed value: a few days before the deadline, the deadline day, an
overdue nudge, a heads-up that the next notice may come, a math-error notice's payment date, or a
snooze coming back.

``ReminderKind`` is a ``str`` whose text is the key stored with the reminder ("before:7", "day",
"overdue:3", "next:CP504", "pay:3", "snooze", "followup:hearing"; the column holds 24 characters) and whose parts are typed, so
the planner, the delivery loop, the sender and storage read ``slot`` / ``number`` / ``code`` instead
of parsing prefixes each on its own.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache

MAX_LENGTH = 24  # storage.models.Reminder.kind


class Slot(StrEnum):
    BEFORE = "before"  # ``number`` days before the deadline
    DAY = "day"  # the deadline day
    OVERDUE = "overdue"  # overdue nudge number ``number``
    NEXT = "next"  # heads-up: notice ``code`` may arrive from this day
    PAY = "pay"  # ``number`` days before a math-error notice's payment date (0: the day itself)
    SNOOZE = "snooze"  # a snoozed reminder coming back
    FIND_DATE = "finddate"  # ``number`` days after saving a notice with no date: find the printed date
    FOLLOW_UP = "followup"  # a check-in ``code`` (e.g. "hearing") after the person logged sending an instrument
    # Issue 16: a payment plan's monthly payment on ``day``, ``number`` days before it (0: that morning)
    PLAN = "plan"
    FIX = "fix"  # "can't pay this month": call or change the plan before the payment of ``day``
    LETTER = "letter"  # did the IRS answer the letter sent on ``day``? ``number`` days after it
    CALLBACK = "callback"  # the date the IRS gave on a call


DATED = (Slot.FIX, Slot.CALLBACK)  # "<slot>:<date>"
NUMBERED_DATED = (Slot.PLAN, Slot.LETTER)  # "<slot>:<number>:<date>"
PLAN_SLOTS = (Slot.PLAN, Slot.FIX)  # what a notice in a payment plan keeps
FOLLOW_UP_SLOTS = (Slot.LETTER, Slot.CALLBACK)  # planned from the notice's history


class ReminderKind(str):
    slot: Slot
    number: int | None
    code: str | None
    day: date | None

    def __new__(cls, key: str) -> ReminderKind:
        self = super().__new__(cls, key)
        name, _, arg = key.partition(":")
        self.slot = Slot(name)  # ValueError for a kind nobody plans
        numbered = self.slot in (Slot.BEFORE, Slot.OVERDUE, Slot.PAY, Slot.FIND_DATE)
        named = self.slot in (Slot.NEXT, Slot.FOLLOW_UP)
        dated = self.slot in DATED or self.slot in NUMBERED_DATED
        if bool(arg) != (numbered or named or dated) or len(key) > MAX_LENGTH:
            raise ValueError(key)
        self.number = int(arg) if numbered else None
        self.code = arg if named else None
        self.day = None
        if self.slot in NUMBERED_DATED:
            number, _, day = arg.partition(":")
            self.number, self.day = int(number), date.fromisoformat(day)
        elif self.slot in DATED:
            self.day = date.fromisoformat(arg)
        return self

    @classmethod
    def plan_payment(cls, days: int, due: date) -> ReminderKind:
        return kind_of(f"{Slot.PLAN}:{days:d}:{due.isoformat()}")

    @classmethod
    def fix(cls, due: date) -> ReminderKind:
        return kind_of(f"{Slot.FIX}:{due.isoformat()}")

    @classmethod
    def letter(cls, days: int, sent: date) -> ReminderKind:
        return kind_of(f"{Slot.LETTER}:{days:d}:{sent.isoformat()}")

    @classmethod
    def callback(cls, day: date) -> ReminderKind:
        return kind_of(f"{Slot.CALLBACK}:{day.isoformat()}")

    @classmethod
    def before(cls, days: int) -> ReminderKind:
        return kind_of(f"{Slot.BEFORE}:{days:d}") if days else DAY

    @classmethod
    def overdue(cls, n: int) -> ReminderKind:
        return kind_of(f"{Slot.OVERDUE}:{n:d}")

    @classmethod
    def pay(cls, days: int) -> ReminderKind:
        return kind_of(f"{Slot.PAY}:{days:d}")

    @classmethod
    def find_date(cls, days: int) -> ReminderKind:
        return kind_of(f"{Slot.FIND_DATE}:{days:d}")

    @classmethod
    def next_notice(cls, code: str) -> ReminderKind:
        return kind_of(f"{Slot.NEXT}:{code}"[:MAX_LENGTH])

    @classmethod
    def follow_up(cls, name: str) -> ReminderKind:
        return kind_of(f"{Slot.FOLLOW_UP}:{name}"[:MAX_LENGTH])

    @property
    def priority(self) -> int:
        """Lower goes first in a backlog: the deadline day, then the last warnings, then the rest."""
        if self.slot is Slot.DAY or self.slot is Slot.FIX or (self.slot is Slot.PLAN and self.number == 0):
            return 0
        if self.slot in (Slot.SNOOZE, Slot.OVERDUE) or (self.slot is Slot.BEFORE and self.number == 1):
            return 1
        if self.slot is Slot.BEFORE:
            return 2 if (self.number or 0) <= 3 else 3
        if self.slot in (Slot.PAY, Slot.PLAN, Slot.LETTER, Slot.CALLBACK, Slot.FOLLOW_UP, Slot.FIND_DATE):
            return 2  # a payment date (math-error notice or plan), a follow-up or check-in, a missing date
        return 4  # heads-up about the next notice


@lru_cache(maxsize=1024)
def kind_of(key: str) -> ReminderKind:
    """The typed kind of a stored key (cached: the delivery loop reads one per claimed reminder)."""
    return ReminderKind(key)


DAY = ReminderKind(Slot.DAY.value)
SNOOZE = ReminderKind(Slot.SNOOZE.value)
