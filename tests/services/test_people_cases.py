"""The person's use cases: settings re-plan only when the schedule moves, forget, the feed link,
coming back after blocking the bot."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from services import feeds, people
from services import notices as cases
from storage.models import Reminder, ReminderStatus, User
from tests.services.conftest import NOW, World


async def _planned(world: World, nid: int) -> None:
    async with world.sm() as s:
        await cases.edit(world.unit(s), 1, nid, {"notes": "x"}, NOW.date())
    world.commits, world.wakes = 0, []


async def test_a_new_time_zone_moves_every_reminder_and_wakes(world: World) -> None:
    nid = await world.notice(1)
    await _planned(world, nid)
    before = {r.due_at for r in await world.pending(nid)}
    async with world.sm() as s:
        user = await s.get(User, 1)
        assert user is not None
        await people.change_settings(world.unit(s), user, timezone="America/Los_Angeles", timezone_confirmed=True)
    after = {r.due_at for r in await world.pending(nid)}
    assert after and before.isdisjoint(after)  # 09:00 Pacific, not 09:00 Eastern
    assert world.commits == 1 and world.wakes == [(None, 1)]


async def test_language_is_saved_without_replanning(world: World) -> None:
    async with world.sm() as s:
        user = await s.get(User, 1)
        assert user is not None
        await people.change_settings(world.unit(s), user, language="es")
    assert world.commits == 1 and world.wakes == []
    async with world.sm() as s:
        assert (await s.get(User, 1)).language == "es"  # type: ignore[union-attr]


async def test_an_unknown_setting_is_a_programming_error(world: World) -> None:
    async with world.sm() as s:
        user = await s.get(User, 1)
        assert user is not None
        with pytest.raises(ValueError, match="feed_token_hash"):
            await people.change_settings(world.unit(s), user, feed_token_hash="x")


async def test_forget_deletes_the_person_and_wakes(world: World) -> None:
    await world.notice(1)
    async with world.sm() as s:
        await people.forget(world.unit(s), 1)
    async with world.sm() as s:
        assert await s.get(User, 1) is None and await s.get(User, 2) is not None
    assert world.wakes == [(None, 1)]


async def test_feed_link_says_when_it_replaced_one(world: World) -> None:
    async with world.sm() as s:
        user = await s.get(User, 1)
        assert user is not None
        first = await feeds.issue_feed(world.unit(s), user)
        second = await feeds.issue_feed(world.unit(s), user)
    assert not first.replaced and second.replaced and first.token != second.token


async def test_welcome_back_resumes_paused_reminders(world: World) -> None:
    nid = await world.notice(1)
    await _planned(world, nid)
    async with world.sm() as s:
        await s.execute(update(Reminder).values(status=ReminderStatus.PAUSED))
        await s.commit()
    world.commits = 0
    async with world.sm() as s:
        await people.welcome_back(world.unit(s), 1)
    assert await world.pending(nid) and world.wakes == [(None, 1)]
    async with world.sm() as s:
        paused = (await s.scalars(select(Reminder).where(Reminder.status == ReminderStatus.PAUSED))).all()
        assert paused == []


async def test_arrive_creates_a_new_person_in_their_language_and_commits(world: World) -> None:
    async with world.sm() as s:
        user = await people.arrive(world.unit(s), 77, language_code="es-MX", default_timezone="America/Chicago")
    assert (user.language, user.timezone) == ("es", "America/Chicago")
    assert world.commits == 1 and world.wakes == []  # nothing to resume for someone new
    async with world.sm() as s:
        assert await s.get(User, 77) is not None


async def test_arrive_after_blocking_reactivates_and_resumes_in_one_commit(world: World) -> None:
    nid = await world.notice(1)
    await _planned(world, nid)
    async with world.sm() as s:
        await s.execute(update(Reminder).values(status=ReminderStatus.PAUSED))
        await s.execute(update(User).where(User.id == 1).values(active=False))
        await s.commit()
    world.commits = 0
    async with world.sm() as s:
        user = await people.arrive(world.unit(s), 1, language_code="en", default_timezone="America/New_York")
        assert user.active
    assert await world.pending(nid) and world.commits == 1 and world.wakes == [(None, 1)]
