"""Golden files: the exact bytes of a few feeds, DTSTAMP normalised.

Regenerate after an intended change with: UPDATE_GOLDEN=1 pytest tests/domain/calendar/test_golden.py
and review the diff of tests/domain/calendar/fixtures/.
"""

from __future__ import annotations

import os
import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bot.i18n import words as translator
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar

from .conftest import NOW, cp14, lt11, parse

FIXTURES = Path(__file__).parent / "fixtures"
_STAMP = re.compile(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n")


def normalise(raw: bytes) -> bytes:
    return _STAMP.sub(b"\r\nDTSTAMP:19700101T000000Z\r\n", raw)


def _feed() -> list:
    return [
        cp14(
            notes="Called 11/2; agent said wait, then pay.\nRef \\ #A-17 😀",
            expected_next=(
                ExpectedNotice("CP501", date(2027, 1, 4), date(2027, 1, 18)),
                ExpectedNotice("CP503", date(2027, 2, 8), date(2027, 2, 22)),
            ),
            sequence=4,
        ),
        lt11(),
        # Overdue and open: shown on today (2026-11-01), with its own SEQUENCE.
        cp14(notice_id=9, uid="notice-9", code="CP501", respond_by=date(2026, 10, 27), sequence=2, expected_next=()),
        # Resolved: not in the feed at all (any age).
        cp14(notice_id=7, uid="notice-7", code="CP2000", status="paid", resolved_at=NOW - timedelta(days=3), sequence=9),
    ]


# One file per rule of issue 17 (see docs/calendar.md); each is also read by ical.js and khal.
CASES = {
    # The card's file to import: deadline, "Watch the mail", one timed reminder event per day.
    "single-cp14.ics": lambda: build_calendar([cp14()], now=NOW, for_import=True),
    # The live feed: alarms on the deadline for Apple, overdue on today, resolved left out.
    "feed-en.ics": lambda: build_calendar(_feed(), now=NOW),
    "feed-es.ics": lambda: build_calendar(_feed(), now=NOW, tr=translator("es"), name="Plazos del IRS"),
    "alarms-14-2-at-1800.ics": lambda: build_calendar(
        [lt11()], now=NOW, alarm_days=(14, 2), reminder_time=time(18, 0), domain="example.org"
    ),
    # /calendar: every open notice as a file to import, reminders at 18:00.
    "import-en.ics": lambda: build_calendar(_feed(), now=NOW, for_import=True, reminder_time=time(18, 0)),
    # The card's file for a resolved notice: the same UIDs, CANCELLED, no alarms.
    "resolved-cancel.ics": lambda: build_calendar(
        [cp14(status="paid", resolved_at=NOW, sequence=5)], now=NOW, for_import=True
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    got = normalise(CASES[name]())
    path = FIXTURES / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(got)
    want = path.read_bytes()
    assert got.decode() == want.decode()  # str diff is readable in pytest output
    assert got == want


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ics")), ids=lambda p: p.name)
def test_fixture_files_parse_everywhere(path):
    p = parse(path.read_bytes())
    assert p.events()
