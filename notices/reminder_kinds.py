"""What a reminder is about, as a typed value: a few days before the deadline, the deadline day, an
overdue nudge, a heads-up that the next notice may come, a math-error notice's payment date, or a
snooze coming back.

``ReminderKind`` is a ``str`` whose text is the key stored with the reminder ("before:7", "day",
"overdue:3", "next:CP504", "pay:3", "snooze"; the column holds 24 characters) and whose parts are typed, so
the planner, the delivery loop, the sender and storage read ``slot`` / ``number`` / ``code`` instead
of parsing prefixes each on its own.
"""

from __future__ import annotations

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


class ReminderKind(str):
    slot: Slot
    number: int | None
    code: str | None

    def __new__(cls, key: str) -> ReminderKind:
        self = super().__new__(cls, key)
        name, _, arg = key.partition(":")
        self.slot = Slot(name)  # ValueError for a kind nobody plans
        numbered, named = self.slot in (Slot.BEFORE, Slot.OVERDUE, Slot.PAY), self.slot is Slot.NEXT
        if bool(arg) != (numbered or named) or len(key) > MAX_LENGTH:
            raise ValueError(key)
        self.number = int(arg) if numbered else None
        self.code = arg if named else None
        return self

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
    def next_notice(cls, code: str) -> ReminderKind:
        return kind_of(f"{Slot.NEXT}:{code}"[:MAX_LENGTH])

    @property
    def priority(self) -> int:
        """Lower goes first in a backlog: the deadline day, then the last warnings, then the rest."""
        if self.slot is Slot.DAY:
            return 0
        if self.slot in (Slot.SNOOZE, Slot.OVERDUE) or (self.slot is Slot.BEFORE and self.number == 1):
            return 1
        if self.slot is Slot.BEFORE:
            return 2 if (self.number or 0) <= 3 else 3
        if self.slot is Slot.PAY:  # the payment date of a math-error notice (not the hard one)
            return 2
        return 4  # heads-up about the next notice


@lru_cache(maxsize=1024)
def kind_of(key: str) -> ReminderKind:
    """The typed kind of a stored key (cached: the delivery loop reads one per claimed reminder)."""
    return ReminderKind(key)


DAY = ReminderKind(Slot.DAY.value)
SNOOZE = ReminderKind(Slot.SNOOZE.value)
