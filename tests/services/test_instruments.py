"""services.instruments.log_sent: the sending on record (number redacted of identifiers), an open
notice disputed, a follow-up only after a Form 12153, and another person's notice refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from services import instruments as use_case
from services.ownership import NotYours
from storage.models import Notice, NoticeEvent, NoticeStatus
from tests.services.conftest import World


async def _notice(world: World, code: str, status: NoticeStatus = NoticeStatus.OPEN) -> int:
    return await world.notice(1, date(2026, 12, 16), code=code, notice_date=date(2026, 11, 16), status=status)


@pytest.mark.parametrize("text,stored", [
    ("9407 1118 9876 5432 1098 76", "9407 1118 9876 5432 1098 76"),
    ("  9407111898765432109876 ", "9407111898765432109876"),
    ("re123456789us", "RE123456789US"),
    ("123-45-6789", None),  # an SSN is never a tracking number
    ("lost it", None),
    ("", None),
])
def test_clean_tracking(text: str, stored: str | None) -> None:
    assert use_case.clean_tracking(text) == stored


async def test_log_sent_records_disputes_and_plans_the_follow_up_commits_once_then_wakes(world: World) -> None:
    nid = await _notice(world, "LT11")
    async with world.sm() as s:
        done = await use_case.log_sent(world.unit(s), 1, nid, date(2026, 11, 20), "9407 1118 9876 5432 1098 76")
    assert done.status_changed and done.follow_up == date(2026, 12, 20) and done.kind == "hearing"
    assert world.commits == 1 and world.wakes == [(None, 1)]
    async with world.sm() as s:
        assert (await s.get(Notice, nid)).status == NoticeStatus.DISPUTED  # type: ignore[union-attr]
        [event] = (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "instrument"))).all()
        assert event.data == {"instrument": "hearing", "sent_on": "2026-11-20",
                              "tracking": "9407 1118 9876 5432 1098 76", "follow_up": "2026-12-20"}
    kinds = {r.kind for r in await world.pending(nid)}
    assert "followup:hearing" in kinds and "day" in kinds  # the hard date's reminders go on


async def test_a_tax_court_petition_has_no_follow_up_and_a_paid_notice_stays_paid(world: World) -> None:
    nid = await _notice(world, "CP3219A", NoticeStatus.PAID)
    async with world.sm() as s:
        done = await use_case.log_sent(world.unit(s), 1, nid, date(2026, 11, 20), None)
        assert done.kind == "court" and done.follow_up is None and not done.status_changed
        assert (await s.get(Notice, nid)).status == NoticeStatus.PAID  # type: ignore[union-attr]


async def test_another_persons_notice_is_refused(world: World) -> None:
    nid = await _notice(world, "LT11")
    async with world.sm() as s:
        with pytest.raises(NotYours):
            await use_case.log_sent(world.unit(s), 2, nid, date(2026, 11, 20), None)
        assert not (await s.scalars(select(NoticeEvent).where(NoticeEvent.kind == "instrument"))).all()
    assert world.commits == 0 and world.wakes == []
