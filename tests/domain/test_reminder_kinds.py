"""Reminder kinds: the stored key and its typed parts are one value; unknown keys are refused."""

from __future__ import annotations

import pytest

from notices.reminder_kinds import DAY, SNOOZE, ReminderKind, Slot, kind_of


@pytest.mark.parametrize(("key", "slot", "number", "code"), [
    ("before:7", Slot.BEFORE, 7, None), ("day", Slot.DAY, None, None), ("overdue:12", Slot.OVERDUE, 12, None),
    ("next:CP504", Slot.NEXT, None, "CP504"), ("snooze", Slot.SNOOZE, None, None),
])
def test_a_stored_key_reads_as_its_parts(key: str, slot: Slot, number: int | None, code: str | None) -> None:
    kind = kind_of(key)
    assert (kind.slot, kind.number, kind.code) == (slot, number, code)
    assert kind == key and str(kind) == key  # the key itself is what storage keeps


def test_constructors_give_the_stored_keys() -> None:
    assert ReminderKind.before(0) is DAY and ReminderKind.before(3) == "before:3"
    assert ReminderKind.overdue(2) == "overdue:2" and SNOOZE == "snooze"
    assert ReminderKind.next_notice("LTR1058-LONG-CODE-NAME") == "next:LTR1058-LONG-CODE-N"  # 24 characters


@pytest.mark.parametrize("key", ["before", "before:x", "day:3", "snooze:1", "next:", "pay", "weekly:2", ""])
def test_a_key_nobody_plans_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        ReminderKind(key)


def test_priority_puts_the_deadline_day_first_and_heads_ups_last() -> None:
    order = ["day", "before:1", "overdue:1", "snooze", "before:3", "before:7", "next:CP501"]
    assert [kind_of(k).priority for k in order] == [0, 1, 1, 1, 2, 3, 4]


def test_a_payment_date_kind_is_numbered_and_ranks_with_the_last_warnings() -> None:
    assert ReminderKind.pay(3) == "pay:3" and kind_of("pay:0").number == 0 and kind_of("pay:3").slot is Slot.PAY
    assert kind_of("pay:3").priority == 2
