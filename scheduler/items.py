"""What the service hands to a sender, and the sender protocol the bot implements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from notices.reminder_kinds import ReminderKind


@dataclass(frozen=True, slots=True)
class DueItem:
    """One message to send: every due reminder of one notice, combined."""

    reminder_ids: tuple[int, ...]
    kinds: tuple[ReminderKind, ...]  # planner kinds, most urgent first ("day", "before:3", "snooze", ...)
    due_at: datetime  # the earliest due instant among them
    catch_up: bool  # missed while we were down (or combined several): say so, once
    user_id: int  # who receives it: the owner, or a viewer of the shared case
    chat_id: int  # private chat: the same as the user id
    language: str
    timezone: str
    today: date  # the person's local date when the item was claimed
    notice_id: int
    code: str
    respond_by: date | None
    status: str
    amount_cents: int | None
    tax_years: tuple[int, ...]
    hard: bool  # missing the date loses a legal right: stronger wording
    estimated: bool = False  # the respond-by date is an estimate (a safe one on a hard notice)
    pay_by: date | None = None  # math-error notices: the payment date (respond_by is the dispute date)
    # A notice in a payment plan: what a payment reminder says (the slot's kind names the date)
    plan_monthly_cents: int | None = None
    plan_balance_cents: int | None = None
    plan_direct_debit: bool | None = None
    case_id: int = 0
    viewer: bool = False  # a copy for a person the case is shared with: read-only (no buttons that change it)

    @property
    def days_left(self) -> int | None:
        return None if self.respond_by is None else (self.respond_by - self.today).days


class ReminderSender(Protocol):
    """Delivers one item. Raise ``scheduler.errors`` types; anything else counts as a failure."""

    async def send(self, item: DueItem) -> None: ...
