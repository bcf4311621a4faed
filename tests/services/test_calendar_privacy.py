"""Issue 18: calendar files and the feed carry no notes or phone numbers unless the person turns that on
(users.calendar_details, migration 0005_privacy_settings); turning it on or off changes the feed's ETag
so subscribed calendars fetch the new file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.dispatcher import make_i18n
from services import people
from services.calendar import calendar_rows, feed_version, person_calendar
from services.unit import Unit
from storage.models import User
from tests.services.test_calendar_export import NOW, add, notice

NOTE, PHONE = "Agent Okonkwo-Bellweather said wait", "800-555-0199"


@pytest.fixture(autouse=True)
def i18n() -> Iterator[None]:
    with make_i18n().context():
        yield


async def test_calendar_has_no_notes_or_phone_unless_turned_on(sessionmaker: Any) -> None:
    await add(sessionmaker, notice(id=1, notes=NOTE, phone=PHONE), users=(1,))
    async with sessionmaker() as session:
        user = await session.get(User, 1)
        assert user is not None and user.calendar_details is False, "off by default"
        off = await person_calendar(session, user, now=NOW)
        etag_off, _ = feed_version(await calendar_rows(session, user), user, changed=None, now=NOW)
        await people.change_settings(Unit(session), user, calendar_details=True)
        on = await person_calendar(session, user, now=NOW)
        etag_on, _ = feed_version(await calendar_rows(session, user), user, changed=None, now=NOW)
    unfolded_off = off.decode().replace("\r\n ", "")
    unfolded_on = on.decode().replace("\r\n ", "")
    assert "Okonkwo" not in unfolded_off and "555-0199" not in unfolded_off
    assert "Okonkwo-Bellweather" in unfolded_on and PHONE in unfolded_on
    assert etag_off != etag_on, "subscribed calendars must refetch after the setting changes"
