"""build_calendar: structure, wording, alarms, UIDs, SEQUENCE, cancellation; three parsers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import icalendar
import pytest

from notices import ics as mod
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar, calendar_filename

from .conftest import NOW, UPDATED, cp14, lt11, parse


def test_calendar_header_parses_in_all_three():
    p = parse(build_calendar([cp14(), lt11()], now=NOW))
    cal = p.ical
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["PRODID"]).startswith("-//noticebot//")
    assert p.vobj.contents["x-wr-calname"][0].value == "IRS deadlines (noticebot)"
    assert "x-wr-caldesc" in p.vobj.contents
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in p.raw
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in p.raw
    assert b"METHOD:REQUEST" not in p.raw  # would turn the file into a meeting invitation
    assert len(p.events()) == 3
    assert len(p.vobj.contents["vevent"]) == 3
    assert len(p.ics.events) == 3


def test_all_day_event_on_respond_by_with_exclusive_end():
    p = parse(build_calendar([cp14()], now=NOW))
    ev = p.event("notice-14@noticebot")
    assert ev["DTSTART"].params.get("VALUE") == "DATE"
    assert ev.decoded("DTSTART") == date(2026, 12, 4)
    assert type(ev.decoded("DTSTART")) is date
    assert ev.decoded("DTEND") == date(2026, 12, 5)
    assert p.vevent("notice-14@noticebot").dtstart.value == date(2026, 12, 4)
    assert p.vevent("notice-14@noticebot").dtend.value == date(2026, 12, 5)
    e = p.ics_event("notice-14@noticebot")
    assert e.all_day and e.begin.date() == date(2026, 12, 4)
    assert str(ev["TRANSP"]) == "OPAQUE"
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert ev.categories == ["IRS deadline"]


def test_summary_with_amount_and_years():
    p = parse(build_calendar([cp14()], now=NOW))
    want = "Respond to IRS CP14 (tax year 2024): $3,412.18 due"
    assert str(p.event("notice-14@noticebot")["SUMMARY"]) == want
    assert p.vevent("notice-14@noticebot").summary.value == want
    assert p.ics_event("notice-14@noticebot").name == want


@pytest.mark.parametrize(
    ("changes", "want"),
    [
        ({"tax_years": (2021, 2020)}, "Respond to IRS CP14 (tax years 2020, 2021): $3,412.18 due"),
        ({"amount_cents": None}, "Respond to IRS CP14 (tax year 2024)"),
        ({"tax_years": (), "amount_cents": 5}, "Respond to IRS CP14: $0.05 due"),
        ({"amount_cents": 123456789}, "Respond to IRS CP14 (tax year 2024): $1,234,567.89 due"),
    ],
)
def test_summary_variants(changes, want):
    p = parse(build_calendar([cp14(**changes)], now=NOW))
    assert str(p.event("notice-14@noticebot")["SUMMARY"]) == want


def test_hard_deadline_summary_says_so():
    p = parse(build_calendar([lt11()], now=NOW))
    want = "Last day to request a CDP hearing: IRS LT11 (tax year 2019)"
    assert str(p.event("notice-11@noticebot")["SUMMARY"]) == want
    assert p.vevent("notice-11@noticebot").summary.value == want
    with_amount = parse(build_calendar([lt11(amount_cents=100000)], now=NOW))
    assert str(with_amount.event("notice-11@noticebot")["SUMMARY"]) == (
        "Last day to request a CDP hearing: IRS LT11 (tax year 2019), $1,000.00 due"
    )
    unlabelled = parse(build_calendar([lt11(hard_label=None)], now=NOW))
    assert str(unlabelled.event("notice-11@noticebot")["SUMMARY"]).startswith("Hard deadline: IRS LT11")


def test_description_parts():
    p = parse(build_calendar([cp14(notes="Called on 11/2.")], now=NOW))
    desc = str(p.event("notice-14@noticebot")["DESCRIPTION"])
    assert desc.splitlines() == [
        "Notice of balance due (IRS CP14)",
        "What it means: The IRS says you owe tax for this year.",
        "Next step: Pay the balance or call to set up a payment plan.",
        "IRS phone (from your notice): 800-829-1040",
        "Your notes: Called on 11/2.",
    ]
    assert p.vevent("notice-14@noticebot").description.value == desc
    # LT11 fixture: no phone, estimated date.
    desc = str(parse(build_calendar([lt11()], now=NOW)).event("notice-11@noticebot")["DESCRIPTION"])
    assert "phone" not in desc
    assert "Estimated date: check the response date printed on your notice" in desc
    assert "Your notes" not in desc


def test_alarms_fire_at_reminder_time_on_each_day():
    p = parse(build_calendar([cp14()], now=NOW))
    ev = p.event("notice-14@noticebot")
    alarms = ev.walk("VALARM")
    assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY"] * 4
    triggers = [a["TRIGGER"].dt for a in alarms]
    assert triggers == [
        timedelta(days=-7, hours=9),
        timedelta(days=-3, hours=9),
        timedelta(days=-1, hours=9),
        timedelta(hours=9),
    ]
    assert b"TRIGGER:-P6DT15H\r\n" in p.raw
    assert b"TRIGGER:PT9H\r\n" in p.raw
    texts = [str(a["DESCRIPTION"]) for a in alarms]
    assert texts[0] == "In 7 days: Respond to IRS CP14 (tax year 2024): $3,412.18 due"
    assert texts[2].startswith("Tomorrow: ") and texts[3].startswith("Today: ")
    # Each alarm lands on the right local day at 09:00.
    start = datetime.combine(ev.decoded("DTSTART"), time(0))
    assert [start + t for t in triggers] == [
        datetime(2026, 11, 27, 9),
        datetime(2026, 12, 1, 9),
        datetime(2026, 12, 3, 9),
        datetime(2026, 12, 4, 9),
    ]
    assert len(p.vevent("notice-14@noticebot").contents["valarm"]) == 4
    assert len(p.ics_event("notice-14@noticebot").alarms) == 4


def test_custom_alarm_days_and_time():
    raw = build_calendar([cp14()], now=NOW, alarm_days=[0, 14, 14], reminder_time=time(18, 30))
    alarms = parse(raw).event("notice-14@noticebot").walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [
        timedelta(days=-14, hours=18, minutes=30),
        timedelta(hours=18, minutes=30),
    ]
    assert (
        parse(build_calendar([cp14()], now=NOW, alarm_days=())).event("notice-14@noticebot").walk("VALARM")
        == []
    )
    with pytest.raises(ValueError, match="alarm_days"):
        build_calendar([cp14()], now=NOW, alarm_days=[-1])


def test_expected_next_notice_is_tentative_transparent_range():
    p = parse(build_calendar([cp14()], now=NOW))
    ev = p.event("notice-14-next-CP501@noticebot")
    assert str(ev["SUMMARY"]) == "Expected: IRS CP501 may arrive (estimate)"
    assert str(ev["STATUS"]) == "TENTATIVE"
    assert str(ev["TRANSP"]) == "TRANSPARENT"
    assert ev.decoded("DTSTART") == date(2027, 1, 4)
    assert ev.decoded("DTEND") == date(2027, 1, 19)  # latest day included
    assert "between January 4, 2027 and January 18, 2027" in str(ev["DESCRIPTION"])
    assert "estimate" in str(ev["DESCRIPTION"])
    assert ev.walk("VALARM") == []
    assert p.vevent("notice-14-next-CP501@noticebot").status.value == "TENTATIVE"
    assert p.ics_event("notice-14-next-CP501@noticebot").all_day


def test_two_expected_events_and_inverted_range():
    notice = cp14(
        expected_next=(
            ExpectedNotice("CP501", date(2027, 1, 4), date(2027, 1, 18)),
            ExpectedNotice("CP503", date(2027, 2, 10), date(2027, 2, 1)),  # inverted: clamp
        )
    )
    p = parse(build_calendar([notice], now=NOW))
    ev = p.event("notice-14-next-CP503@noticebot")
    assert ev.decoded("DTSTART") == date(2027, 2, 10)
    assert ev.decoded("DTEND") == date(2027, 2, 11)


def test_uid_sequence_and_stamps():
    raw = build_calendar([cp14(sequence=5)], now=NOW)
    ev = parse(raw).event("notice-14@noticebot")
    assert int(ev["SEQUENCE"]) == 5
    assert ev.decoded("DTSTAMP") == NOW
    assert ev.decoded("LAST-MODIFIED") == UPDATED
    assert ev.decoded("CREATED") == datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    nxt = parse(raw).event("notice-14-next-CP501@noticebot")
    assert int(nxt["SEQUENCE"]) == 5 and nxt.decoded("DTSTAMP") == NOW


def test_uids_stable_across_rebuilds_and_changes():
    first = parse(build_calendar([cp14(), lt11()], now=NOW))
    changed = cp14(respond_by=date(2026, 12, 20), amount_cents=1, sequence=2, updated_at=NOW)
    second = parse(build_calendar([lt11(), changed], now=NOW + timedelta(hours=3)))
    uids = lambda p: sorted(str(e["UID"]) for e in p.events())  # noqa: E731
    assert (
        uids(first)
        == uids(second)
        == [
            "notice-11@noticebot",
            "notice-14-next-CP501@noticebot",
            "notice-14@noticebot",
        ]
    )
    assert int(second.event("notice-14@noticebot")["SEQUENCE"]) == 2
    assert second.event("notice-14@noticebot").decoded("DTSTAMP") == NOW + timedelta(hours=3)


def test_same_input_gives_same_bytes_in_any_order():
    # Regression: Calendar.new() added a random calendar UID, so every build differed.
    a = build_calendar([cp14(), lt11()], now=NOW)
    mod._notice_block.cache_clear()
    b = build_calendar([lt11(), cp14()], now=NOW)
    assert a == b
    assert b"UID:" not in a.split(b"BEGIN:VEVENT")[0]


def test_cached_output_equals_plain_icalendar_serialisation():
    # The per-notice cache must not change a byte compared with a plain icalendar build.
    notices = [cp14(notes="x" * 300), lt11(status="paid", resolved_at=NOW - timedelta(days=2))]
    got = build_calendar(notices, now=NOW)
    cal = icalendar.Calendar.from_ical(got)
    header = icalendar.Calendar()
    for key, value in cal.property_items(recursive=False)[1:-1]:
        header.add(key, value)
    expect = header.to_ical().removesuffix(b"END:VCALENDAR\r\n")
    for n in sorted(notices, key=lambda n: n.respond_by):
        cancelled = n.status != "open"
        for ev in mod._notice_events(
            n,
            cancelled=cancelled,
            now=NOW,
            offsets=[7, 3, 1, 0],
            reminder=timedelta(hours=9),
            t=mod.TEXTS["en"],
            domain="noticebot",
        ):
            expect += ev.to_ical()
    assert got == expect + b"END:VCALENDAR\r\n"


def test_dtstamp_placeholder_in_notes_is_not_replaced():
    note = "DTSTAMP:19700101T000000Z\nDTSTAMP:19700101T000000Z" + " " * 60 + "DTSTAMP:19700101T000000Z"
    p = parse(build_calendar([cp14(notes=note)], now=NOW))
    assert str(p.event("notice-14@noticebot")["DESCRIPTION"]).endswith("Your notes: " + note)
    assert p.raw.count(b"\r\nDTSTAMP:20261101T153000Z\r\n") == 2


def test_resolved_within_30_days_is_cancelled_with_expected_events():
    for status in ("paid", "plan", "disputed", "closed"):
        notice = cp14(status=status, resolved_at=NOW - timedelta(days=29, hours=23), sequence=3)
        p = parse(build_calendar([notice], now=NOW))
        main = p.event("notice-14@noticebot")
        assert str(main["STATUS"]) == "CANCELLED"
        assert int(main["SEQUENCE"]) == 3
        assert main.walk("VALARM") == []  # no reminders for something already settled
        assert str(p.event("notice-14-next-CP501@noticebot")["STATUS"]) == "CANCELLED"
        assert p.vevent("notice-14@noticebot").status.value == "CANCELLED"


def test_resolved_more_than_30_days_ago_is_omitted():
    old = cp14(status="paid", resolved_at=NOW - timedelta(days=30, seconds=1))
    p = parse(build_calendar([old, lt11()], now=NOW))
    assert [str(e["UID"]) for e in p.events()] == ["notice-11@noticebot"]
    edge = cp14(status="paid", resolved_at=NOW - timedelta(days=30))
    assert len(parse(build_calendar([edge], now=NOW)).events()) == 2


def test_resolved_without_resolved_at_uses_updated_at():
    recent = cp14(status="closed", resolved_at=None, updated_at=NOW - timedelta(days=1))
    assert str(parse(build_calendar([recent], now=NOW)).event("notice-14@noticebot")["STATUS"]) == "CANCELLED"
    stale = cp14(status="closed", resolved_at=None, updated_at=NOW - timedelta(days=60))
    assert parse(build_calendar([stale], now=NOW)).events() == []


def test_empty_feed_is_valid():
    p = parse(build_calendar([], now=NOW))
    assert p.events() == [] and len(p.ics.events) == 0


def test_spanish():
    p = parse(build_calendar([cp14(tax_years=(2020, 2021)), lt11()], now=NOW, lang="es"))
    ev = p.event("notice-14@noticebot")
    assert str(ev["SUMMARY"]) == "Responder al IRS CP14 (años fiscales 2020, 2021): $3,412.18 a pagar"
    assert "Siguiente paso: " in str(ev["DESCRIPTION"])
    assert str(ev.walk("VALARM")[0]["DESCRIPTION"]).startswith("En 7 días: ")
    assert str(ev.walk("VALARM")[-1]["DESCRIPTION"]).startswith("Hoy: ")
    nxt = p.event("notice-14-next-CP501@noticebot")
    assert str(nxt["SUMMARY"]) == "Previsto: podría llegar el IRS CP501 (estimación)"
    assert "entre el 4 de enero de 2027 y el 18 de enero de 2027" in str(nxt["DESCRIPTION"])
    lt = str(p.event("notice-11@noticebot")["DESCRIPTION"])
    assert "Fecha estimada: revise la fecha de respuesta impresa en su aviso" in lt
    # Unknown language falls back to English.
    assert b"Respond to IRS CP14" in build_calendar([cp14()], now=NOW, lang="fr")


def test_custom_domain_and_name():
    p = parse(build_calendar([cp14()], now=NOW, domain="bot.example.org", name="Ana's IRS dates"))
    assert p.event("notice-14@bot.example.org")
    assert p.vobj.contents["x-wr-calname"][0].value == "Ana's IRS dates"


def test_code_with_space_gives_clean_uid():
    notice = cp14(expected_next=(ExpectedNotice("Letter 1058", date(2027, 1, 4), date(2027, 1, 18)),) * 2)
    p = parse(build_calendar([notice], now=NOW))
    # Regression: a duplicate expected code produced two events with the same UID.
    assert [str(e["UID"]) for e in p.events()] == [
        "notice-14@noticebot",
        "notice-14-next-Letter-1058@noticebot",
    ]
    assert str(p.events()[1]["SUMMARY"]) == "Expected: IRS Letter 1058 may arrive (estimate)"


def test_naive_datetimes_rejected():
    with pytest.raises(ValueError, match="now"):
        build_calendar([cp14()], now=datetime(2026, 11, 1))
    with pytest.raises(ValueError, match="created_at"):
        build_calendar([cp14(created_at=datetime(2026, 11, 1))], now=NOW)


def test_other_timezones_are_converted_to_utc():
    est = timezone(timedelta(hours=-5))
    raw = build_calendar([cp14(updated_at=UPDATED.astimezone(est))], now=NOW.astimezone(est))
    assert b"\r\nDTSTAMP:20261101T153000Z\r\n" in raw
    assert b"\r\nLAST-MODIFIED:20261025T184500Z\r\n" in raw


def test_unknown_status_rejected():
    with pytest.raises(ValueError, match="status"):
        build_calendar([cp14(status="done")], now=NOW)


def test_list_fields_still_work_uncached():
    # A caller passing lists instead of tuples makes the notice unhashable: built without cache.
    notice = replace(
        cp14(), tax_years=[2024], expected_next=[ExpectedNotice("CP501", date(2027, 1, 4), date(2027, 1, 18))]
    )
    assert build_calendar([notice], now=NOW) == build_calendar([cp14()], now=NOW)


def test_filenames():
    assert calendar_filename("CP14", date(2026, 12, 4)) == "irs-CP14-2026-12-04.ics"
    assert calendar_filename("Letter 1058", date(2026, 1, 2)) == "irs-Letter-1058-2026-01-02.ics"
    assert calendar_filename("../é/;x", date(2026, 1, 2)) == "irs-x-2026-01-02.ics"
    assert calendar_filename("", date(2026, 1, 2)) == "irs-notice-2026-01-02.ics"
    assert calendar_filename() == mod.DEADLINES_FILENAME == "irs-deadlines.ics"
