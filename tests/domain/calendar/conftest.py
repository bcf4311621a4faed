"""Shared builders and parsers for the calendar tests."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import icalendar
import ics
import pytest
import vobject

from notices.deadlines import ExpectedNotice
from notices.ics import CalendarNotice

NOW = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)
DOMAIN = "noticebot.invalid"  # build_calendar's default UID domain
CREATED = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
UPDATED = datetime(2026, 10, 25, 18, 45, tzinfo=UTC)


def cp14(**changes) -> CalendarNotice:
    notice = CalendarNotice(
        notice_id=14,
        uid="notice-14",  # readable in assertions; the product stores a random UUID
        code="CP14",
        title="Notice of balance due",
        tax_years=(2024,),
        amount_cents=341218,
        respond_by=date(2026, 12, 4),
        hard=False,
        hard_label=None,
        meaning="The IRS says you owe tax for this year.",
        next_step="Pay the balance or call to set up a payment plan.",
        phone="800-829-1040",
        estimate=False,
        expected_next=(ExpectedNotice("CP501", date(2027, 1, 4), date(2027, 1, 18)),),
        status="open",
        resolved_at=None,
        sequence=1,
        created_at=CREATED,
        updated_at=UPDATED,
        notes="",
    )
    return replace(notice, **changes)


def lt11(**changes) -> CalendarNotice:
    notice = CalendarNotice(
        notice_id=11,
        uid="notice-11",
        code="LT11",
        title="Final Notice of Intent to Levy",
        tax_years=(2019,),
        amount_cents=None,
        respond_by=date(2026, 12, 1),
        hard=True,
        hard_label="Last day to request a CDP hearing",
        meaning="The IRS intends to levy (seize) your wages, bank accounts or other property.",
        next_step="File Form 12153 to request a Collection Due Process hearing.",
        phone=None,
        estimate=True,
        expected_next=(),
        status="open",
        resolved_at=None,
        sequence=0,
        created_at=CREATED,
        updated_at=UPDATED,
    )
    return replace(notice, **changes)


@dataclass
class Parsed:
    """One file parsed by the three independent parsers."""

    raw: bytes
    ical: icalendar.Calendar
    vobj: vobject.base.Component
    ics: ics.Calendar

    def events(self) -> list[icalendar.Event]:
        return list(self.ical.walk("VEVENT"))

    def event(self, uid: str) -> icalendar.Event:
        (found,) = [e for e in self.events() if str(e["UID"]) == uid]
        return found

    def vevent(self, uid: str):
        (found,) = [e for e in self.vobj.contents.get("vevent", []) if e.uid.value == uid]
        return found

    def ics_event(self, uid: str):
        (found,) = [e for e in self.ics.events if e.uid == uid]
        return found


def parse(raw: bytes) -> Parsed:
    """Parse with icalendar, vobject and ics; each must accept the whole file."""
    assert isinstance(raw, bytes)
    text = raw.decode("utf-8")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"", "file must end with CRLF"
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF outside CRLF"
    assert b"\r" not in raw.replace(b"\r\n", b""), "bare CR outside CRLF"
    assert all(len(line) <= 75 for line in lines), "lines must be folded at 75 octets"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed_ics = ics.Calendar(text)
    return Parsed(raw, icalendar.Calendar.from_ical(raw), vobject.readOne(text), parsed_ics)


@pytest.fixture
def now() -> datetime:
    return NOW
