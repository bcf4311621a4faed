"""Issue 17's defects in what the files say, one regression test each, named after it (the feed
server's are in tests/web/test_feed_regressions.py, the UID's in tests/storage/test_event_uids.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.i18n import words as translator
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar

from .conftest import NOW, cp14, lt11, parse

LADDER = (
    ExpectedNotice("CP501", date(2026, 12, 20), date(2027, 1, 30)),
    ExpectedNotice("CP503", date(2027, 2, 1), date(2027, 3, 30)),
    ExpectedNotice("CP504", date(2027, 4, 1), date(2027, 5, 30)),
)


def on(p, day: date) -> list[str]:  # type: ignore[no-untyped-def]
    """Titles of the events a calendar lists on ``day`` (all-day ones span [start, end))."""
    return [str(e["SUMMARY"]) for e in p.events()
            if e.decoded("DTSTART") <= day < e.decoded("DTEND") or e.decoded("DTSTART") == day]  # fmt: skip


def test_expected_next_notice_events_bury_the_deadline():
    # Each expected notice was an all-day event spanning its whole 3-5 month window, so on an LT11
    # hearing-deadline day a calendar listed several of them before the deadline.
    notices = [lt11(respond_by=date(2027, 1, 15))] + [
        cp14(notice_id=i, uid=f"n{i}", respond_by=date(2026, 12, 1 + i), expected_next=LADDER) for i in range(5)
    ]
    p = parse(build_calendar(notices, now=NOW))
    assert on(p, date(2027, 1, 15)) == ["Respond to IRS LT11 (estimated) — Last day to request a CDP hearing (tax year 2019)"]
    for e in p.events():
        assert e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1)
    assert len([e for e in p.events() if "-next-" in str(e["UID"])]) == 5  # the next step only, per notice


def test_estimated_date_looks_firm():
    # "(estimated)" was only in the description, not in the title a phone shows.
    p = parse(build_calendar([cp14(estimate=True)], now=NOW, tr=translator("en")))
    assert "(estimated)" in str(p.event("notice-14@noticebot.invalid")["SUMMARY"])
    es = parse(build_calendar([cp14(estimate=True)], now=NOW, tr=translator("es")))
    assert "(fecha estimada)" in str(es.event("notice-14@noticebot.invalid")["SUMMARY"])
    assert "(estimated)" not in str(parse(build_calendar([cp14()], now=NOW)).event("notice-14@noticebot.invalid")["SUMMARY"])


def test_day_of_alarm_is_lost_on_some_clients():
    # A file to import had alarms 9 hours after an all-day start: Android cannot represent it and
    # Outlook moved it to 15:00 the day before and kept only the first alarm.
    p = parse(build_calendar([cp14()], now=NOW, reminder_time=time(9, 0), for_import=True))
    for e in p.events():
        alarms = e.walk("VALARM")
        if type(e.decoded("DTSTART")) is date:
            assert alarms == []  # no alarm on an all-day event
        else:
            assert [a["TRIGGER"].dt for a in alarms] == [timedelta(0)]  # one, at a timed start
    day_of = p.event("notice-14-remind-0@noticebot.invalid")
    assert day_of.decoded("DTSTART") == datetime(2026, 12, 4, 9, 0)


def test_overdue_notices_leave_nothing_on_today():
    p = parse(build_calendar([cp14(respond_by=date(2026, 10, 1))], now=NOW, today=date(2026, 11, 1)))
    assert [t for t in on(p, date(2026, 11, 1)) if t.startswith("Overdue: respond to IRS CP14")]
    assert on(p, date(2026, 10, 1)) == []


def test_paid_notices_stay_30_days_as_cancelled_events():
    # Some clients show a CANCELLED event of a subscription as a normal one: a resolved notice now
    # leaves the feed at once; only the per-notice file to import says CANCELLED.
    paid = cp14(status="paid", resolved_at=NOW - timedelta(days=1))
    feed = build_calendar([paid, lt11()], now=NOW)
    assert b"CANCELLED" not in feed
    assert [str(e["UID"]) for e in parse(feed).events()] == ["notice-11@noticebot.invalid"]


def test_deadline_days_are_marked_busy_all_day():
    p = parse(build_calendar([cp14(), lt11()], now=NOW))
    assert {str(e["TRANSP"]) for e in p.events()} == {"TRANSPARENT"}
    assert {p.vevent(str(e["UID"])).transp.value for e in p.events()} == {"TRANSPARENT"}


def test_feed_for_200_notices_is_over_300_kb():
    # A phone's calendar (Google reports ~1 MB) should get a person's whole feed; the target is 300 KB.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    try:
        from ics_feed import make_notices
    finally:
        sys.path.pop(0)
    assert len(build_calendar(make_notices(200), now=NOW)) < 300 * 1024
