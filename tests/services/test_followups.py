"""Follow-ups the bot schedules itself: after a letter (30 and 60 days), after a call with a date the
IRS gave, kept while the notice is disputed or in a plan, stopped by "the IRS answered" or payment."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from notices.reminder_kinds import MAX_LENGTH, ReminderKind, Slot, kind_of
from services import notices as cases
from storage.models import NoticeStatus
from tests.services.conftest import World


async def _kinds(world: World, nid: int) -> dict[str, datetime]:
    return {r.kind: r.due_at for r in await world.pending(nid) if r.kind.startswith(("letter:", "callback:"))}


async def test_a_dispute_letter_gets_did_they_answer_at_30_and_60_days_at_the_local_morning(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-11-20", "agreed": "dispute"})
    async with world.sm() as s:  # disputed: the deadline reminders stop, the follow-ups stay
        await cases.change_status(world.unit(s), 1, nid, NoticeStatus.DISPUTED)
    assert await _kinds(world, nid) == {
        "letter:30:2026-11-20": datetime(2026, 12, 20, 14, 0, tzinfo=UTC),  # 09:00 New York
        "letter:60:2026-11-20": datetime(2027, 1, 19, 14, 0, tzinfo=UTC),
    }
    assert all(r.kind.startswith("letter:") for r in await world.pending(nid))


async def test_a_call_with_a_promised_date_gets_a_reminder_that_day(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "call",
                                {"date": "2026-11-21", "agent": "Ms. Smith", "callback": "2026-12-15"})
    assert await _kinds(world, nid) == {"callback:2026-12-15": datetime(2026, 12, 15, 14, 0, tzinfo=UTC)}


async def test_the_irs_answered_stops_the_follow_ups_of_what_was_logged_before(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-11-20"})
    async with world.sm() as s:
        await cases.answered(world.unit(s), 1, nid)
    assert await _kinds(world, nid) == {}


async def test_paying_ends_the_follow_ups(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-11-20"})
    async with world.sm() as s:
        await cases.change_status(world.unit(s), 1, nid, NoticeStatus.PAID)
    assert await world.pending(nid) == []


async def test_a_letter_sent_long_ago_or_with_a_bad_date_plans_nothing(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-08-01"})
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "not a date"})
    assert await _kinds(world, nid) == {}


def test_follow_up_and_plan_kinds_are_typed_and_fit_the_column() -> None:
    letter = ReminderKind.letter(60, date(2026, 11, 20))
    assert letter == "letter:60:2026-11-20" and kind_of(letter).slot is Slot.LETTER
    assert (letter.number, letter.day) == (60, date(2026, 11, 20))
    for kind in (letter, ReminderKind.callback(date(2026, 12, 15)), ReminderKind.plan_payment(3, date(2026, 12, 15)),
                 ReminderKind.fix(date(2026, 12, 15))):
        assert len(kind) <= MAX_LENGTH and kind_of(str(kind)) == kind and kind.day is not None
    assert ReminderKind.plan_payment(0, date(2026, 12, 15)).priority == 0  # the payment morning
    for bad in ("letter:30", "callback:soon", "plan:3", "fix:"):
        with pytest.raises(ValueError):
            ReminderKind(bad)


async def test_a_cp2000_reply_gets_its_follow_ups_while_the_proposal_is_disputed(world: World) -> None:
    """Issue 16, point 3 (checked): a reply to a CP2000 logged as a letter plans "did the IRS answer?"
    at 30 and 60 days (estimates: the IRS publishes no fixed answer time for a CP2000 reply), kept
    while the notice is disputed, and they stop once the IRS answers."""
    nid = await world.notice(1, code="CP2000", respond_by=date(2026, 12, 10), amount_cents=120000)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-11-21", "agreed": "disagree"})
    async with world.sm() as s:
        await cases.change_status(world.unit(s), 1, nid, NoticeStatus.DISPUTED)
    assert await _kinds(world, nid) == {
        "letter:30:2026-11-21": datetime(2026, 12, 21, 14, 0, tzinfo=UTC),
        "letter:60:2026-11-21": datetime(2027, 1, 20, 14, 0, tzinfo=UTC),
    }
    async with world.sm() as s:
        await cases.answered(world.unit(s), 1, nid)
    assert await _kinds(world, nid) == {}
