"""Follow-ups the bot schedules itself: after a letter (30 and 60 days), after a call with a date the
IRS gave, kept while the notice is disputed or in a plan, stopped by "the IRS answered" or payment."""

from __future__ import annotations

from datetime import UTC, date, datetime

from scheduler import followups
from services import notices as cases
from storage.models import NoticeStatus
from tests.services.conftest import World


async def _kinds(world: World, nid: int) -> dict[str, datetime]:
    return {r.kind: r.due_at for r in await world.pending(nid) if r.kind.startswith("fu:")}


async def test_a_dispute_letter_gets_did_they_answer_at_30_and_60_days_at_the_local_morning(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "letter", {"date": "2026-11-20", "agreed": "dispute"})
    async with world.sm() as s:  # disputed: the deadline reminders stop, the follow-ups stay
        await cases.change_status(world.unit(s), 1, nid, NoticeStatus.DISPUTED)
    assert await _kinds(world, nid) == {
        "fu:l30:2026-11-20": datetime(2026, 12, 20, 14, 0, tzinfo=UTC),  # 09:00 New York
        "fu:l60:2026-11-20": datetime(2027, 1, 19, 14, 0, tzinfo=UTC),
    }
    assert all(r.kind.startswith("fu:") for r in await world.pending(nid))


async def test_a_call_with_a_promised_date_gets_a_reminder_that_day(world: World) -> None:
    nid = await world.notice(1)
    async with world.sm() as s:
        await cases.log_contact(world.unit(s), 1, nid, "call",
                                {"date": "2026-11-21", "agent": "Ms. Smith", "callback": "2026-12-15"})
    assert await _kinds(world, nid) == {"fu:c:2026-12-15": datetime(2026, 12, 15, 14, 0, tzinfo=UTC)}


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


def test_follow_up_kinds_round_trip_and_fit_the_column() -> None:
    for kind in (followups.letter_kind(60, date(2026, 11, 20)), followups.call_kind(date(2026, 12, 15))):
        assert len(kind) <= 24 and followups.parse(kind) is not None
    assert followups.parse("fu:l30:2026-11-20") == followups.FollowUp("letter", date(2026, 11, 20), 30)
    assert followups.parse("before:3") is None and followups.parse("fu:x:2026-01-01") is None
