"""build_calendar: structure, wording, alarms, UIDs, SEQUENCE, overdue, resolved; three parsers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.i18n import words as translator
from notices import ics as mod
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar, calendar_filename

from .conftest import NOW, cp14, lt11, parse

U14, U11, W14 = "notice-14@noticebot.invalid", "notice-11@noticebot.invalid", "notice-14-next-CP501@noticebot.invalid"


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
    assert len(p.events()) == len(p.vobj.contents["vevent"]) == len(p.ics.events) == 3


def test_deadline_is_one_transparent_all_day_event_on_respond_by():
    p = parse(build_calendar([cp14()], now=NOW))
    ev = p.event(U14)
    assert ev["DTSTART"].params.get("VALUE") == "DATE"
    assert type(ev.decoded("DTSTART")) is date
    assert (ev.decoded("DTSTART"), ev.decoded("DTEND")) == (date(2026, 12, 4), date(2026, 12, 5))
    assert (p.vevent(U14).dtstart.value, p.vevent(U14).dtend.value) == (date(2026, 12, 4), date(2026, 12, 5))
    e = p.ics_event(U14)
    assert e.all_day and e.begin.date() == date(2026, 12, 4)
    assert str(ev["TRANSP"]) == "TRANSPARENT"  # a deadline day is not a busy day
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert str(ev["CLASS"]) == "PRIVATE"


@pytest.mark.parametrize(
    ("changes", "want"),
    [
        ({}, "Respond to IRS CP14 (tax year 2024): $3,412.18 due"),
        ({"tax_years": (2021, 2020)}, "Respond to IRS CP14 (tax years 2020, 2021): $3,412.18 due"),
        ({"amount_cents": None}, "Respond to IRS CP14 (tax year 2024)"),
        ({"tax_years": (), "amount_cents": 5}, "Respond to IRS CP14: $0.05 due"),
        ({"estimate": True}, "Respond to IRS CP14 (estimated) (tax year 2024): $3,412.18 due"),
    ],
)
def test_title_starts_with_the_action(changes, want):
    p = parse(build_calendar([cp14(**changes)], now=NOW))
    assert str(p.event(U14)["SUMMARY"]) == p.vevent(U14).summary.value == p.ics_event(U14).name == want


def test_hard_deadline_title_names_the_action_and_what_is_lost():
    p = parse(build_calendar([lt11()], now=NOW - timedelta(days=60)))
    assert str(p.event(U11)["SUMMARY"]) == (
        "Respond to IRS LT11 (estimated) — Last day to request a CDP hearing (tax year 2019)"
    )
    unlabelled = parse(build_calendar([lt11(hard_label=None, estimate=False)], now=NOW - timedelta(days=60)))
    assert str(unlabelled.event(U11)["SUMMARY"]) == "Respond to IRS LT11 — hard deadline (tax year 2019)"


def test_description_parts():
    p = parse(build_calendar([cp14(notes="Called on 11/2.")], now=NOW))
    desc = str(p.event(U14)["DESCRIPTION"])
    assert desc.splitlines() == [
        "Notice of balance due (IRS CP14)",
        "What it means: The IRS says you owe tax for this year.",
        "Next step: Pay the balance or call to set up a payment plan.",
        "IRS phone (from your notice): 800-829-1040",
        "Your notes: Called on 11/2.",
    ]
    assert p.vevent(U14).description.value == desc


def test_feed_alarms_fire_at_reminder_time_on_each_day():
    p = parse(build_calendar([cp14()], now=NOW))
    alarms = p.event(U14).walk("VALARM")
    triggers = [a["TRIGGER"].dt for a in alarms]
    assert triggers == [timedelta(days=-7, hours=9), timedelta(days=-3, hours=9), timedelta(days=-1, hours=9),
                        timedelta(hours=9)]  # fmt: skip
    assert [str(a["DESCRIPTION"]) for a in alarms] == [
        "IRS deadline in 7 days", "IRS deadline in 3 days", "IRS deadline tomorrow", "IRS deadline today"
    ]  # fmt: skip
    start = datetime.combine(p.event(U14).decoded("DTSTART"), time(0))
    assert [start + t for t in triggers] == [datetime(2026, 11, 27, 9), datetime(2026, 12, 1, 9),
                                             datetime(2026, 12, 3, 9), datetime(2026, 12, 4, 9)]  # fmt: skip
    assert len(p.vevent(U14).contents["valarm"]) == len(p.ics_event(U14).alarms) == 4


def test_custom_alarm_days_and_time():
    raw = build_calendar([cp14()], now=NOW, alarm_days=[0, 14, 14], reminder_time=time(18, 30))
    alarms = parse(raw).event(U14).walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [timedelta(days=-14, hours=18, minutes=30),
                                                  timedelta(hours=18, minutes=30)]  # fmt: skip
    assert parse(build_calendar([cp14()], now=NOW, alarm_days=())).event(U14).walk("VALARM") == []
    with pytest.raises(ValueError, match="alarm_days"):
        build_calendar([cp14()], now=NOW, alarm_days=[-1])


def test_import_file_has_timed_reminder_events_with_one_alarm_at_their_start():
    p = parse(build_calendar([cp14()], now=NOW, alarm_days=(7, 0), reminder_time=time(8, 30), for_import=True))
    assert p.event(U14).walk("VALARM") == []  # no alarm hours after an all-day start
    seven = p.event("notice-14-remind-7@noticebot.invalid")
    assert seven.decoded("DTSTART") == datetime(2026, 11, 27, 8, 30)  # floating: the phone's time
    assert seven.decoded("DTSTART").tzinfo is None
    assert seven.decoded("DTEND") == datetime(2026, 11, 27, 8, 45)
    assert str(seven["SUMMARY"]) == "In 7 days: respond to IRS CP14 (December 4, 2026)"
    assert str(seven["TRANSP"]) == "TRANSPARENT"
    (alarm,) = seven.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(0) and str(alarm["ACTION"]) == "DISPLAY"
    day_of = p.event("notice-14-remind-0@noticebot.invalid")
    assert str(day_of["SUMMARY"]) == "Today: respond to IRS CP14"
    assert day_of.decoded("DTSTART") == datetime(2026, 12, 4, 8, 30)
    assert len(p.events()) == len(p.ics.events) == 4  # deadline, watch, two reminders


def test_import_file_leaves_out_reminders_already_past():
    soon = cp14(respond_by=date(2026, 11, 3))  # NOW is 2026-11-01
    uids = [str(e["UID"]) for e in parse(build_calendar([soon], now=NOW, for_import=True)).events()]
    assert "notice-14-remind-7@noticebot.invalid" not in uids and "notice-14-remind-1@noticebot.invalid" in uids


def test_watch_the_mail_is_one_transparent_day_at_the_start_of_the_window():
    p = parse(build_calendar([cp14()], now=NOW))
    ev = p.event(W14)
    assert str(ev["SUMMARY"]) == "Watch the mail: IRS CP501 may come if CP14 stays open (estimate)"
    assert (ev.decoded("DTSTART"), ev.decoded("DTEND")) == (date(2027, 1, 4), date(2027, 1, 5))
    assert str(ev["STATUS"]) == "TENTATIVE" and str(ev["TRANSP"]) == "TRANSPARENT"
    assert ev.walk("VALARM") == [] and "DESCRIPTION" not in ev
    assert p.ics_event(W14).all_day


def test_only_the_next_expected_notice_is_shown():
    later = cp14(expected_next=(ExpectedNotice("CP501", date(2027, 1, 4), date(2027, 1, 18)),
                                ExpectedNotice("CP503", date(2027, 2, 10), date(2027, 2, 1))))  # fmt: skip
    assert [str(e["UID"]) for e in parse(build_calendar([later], now=NOW)).events()] == [U14, W14]


def test_overdue_open_notice_is_shown_on_today_with_its_own_sequence():
    late = cp14(respond_by=date(2026, 10, 20), sequence=3)
    p = parse(build_calendar([late], now=NOW, today=date(2026, 11, 2)))
    ev = p.event(U14)
    assert (ev.decoded("DTSTART"), ev.decoded("DTEND")) == (date(2026, 11, 2), date(2026, 11, 3))
    assert str(ev["SUMMARY"]).startswith("Overdue: respond to IRS CP14")
    assert "The response date was October 20, 2026." in str(ev["DESCRIPTION"])
    # It moves each day with the same SEQUENCE and a newer DTSTAMP (which wins at equal SEQUENCE),
    # so an edit's or a resolution's SEQUENCE (+1) is never below one a client already has.
    assert int(ev["SEQUENCE"]) == 3
    nxt = parse(build_calendar([late], now=NOW + timedelta(days=1), today=date(2026, 11, 3))).event(U14)
    assert nxt.decoded("DTSTART") == date(2026, 11, 3) and int(nxt["SEQUENCE"]) == 3
    assert nxt.decoded("DTSTAMP") > ev.decoded("DTSTAMP")
    paid = parse(build_calendar([replace(late, status="paid", sequence=4)], now=NOW + timedelta(days=9),
                                today=date(2026, 11, 10), for_import=True)).event(U14)  # fmt: skip
    assert str(paid["STATUS"]) == "CANCELLED" and int(paid["SEQUENCE"]) > int(nxt["SEQUENCE"])


def test_resolved_notices_leave_the_feed():
    for status in ("paid", "plan", "disputed", "closed"):
        paid = cp14(status=status, resolved_at=NOW - timedelta(hours=1))
        assert [str(e["UID"]) for e in parse(build_calendar([paid, lt11()], now=NOW)).events()] == [U11]


def test_resolved_notice_in_a_file_to_import_is_cancelled_with_the_same_uids():
    paid = cp14(status="paid", resolved_at=NOW, sequence=4)
    p = parse(build_calendar([paid], now=NOW, alarm_days=(7, 0), for_import=True))
    uids = sorted(str(e["UID"]) for e in p.events())
    assert uids == sorted([U14, W14, "notice-14-remind-7@noticebot.invalid", "notice-14-remind-0@noticebot.invalid"])
    for ev in p.events():
        assert str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) == 4 and ev.walk("VALARM") == []


def test_uids_come_from_the_stored_uid_not_the_row_id():
    a, b = cp14(uid="7f0c"), cp14(uid="91ab")  # same notice_id, as after SQLite reused it
    uids = [str(e["UID"]) for e in parse(build_calendar([a, b], now=NOW)).events()]
    assert sorted(uids) == ["7f0c-next-CP501@noticebot.invalid", "7f0c@noticebot.invalid",
                            "91ab-next-CP501@noticebot.invalid", "91ab@noticebot.invalid"]  # fmt: skip


def test_uids_and_sequence_stable_across_rebuilds_and_changes():
    first = parse(build_calendar([cp14(), lt11()], now=NOW))
    changed = cp14(respond_by=date(2026, 12, 20), amount_cents=1, sequence=2, updated_at=NOW)
    second = parse(build_calendar([lt11(), changed], now=NOW + timedelta(hours=3)))
    uids = lambda p: sorted(str(e["UID"]) for e in p.events())  # noqa: E731
    assert uids(first) == uids(second) == [U11, W14, U14]
    assert int(second.event(U14)["SEQUENCE"]) == 2
    assert second.event(U14).decoded("DTSTAMP") == NOW + timedelta(hours=3)


def test_same_input_gives_same_bytes_in_any_order():
    # Regression: Calendar.new() added a random calendar UID, so every build differed.
    a = build_calendar([cp14(), lt11()], now=NOW)
    mod._notice_block.cache_clear()
    assert build_calendar([lt11(), cp14()], now=NOW) == a
    assert b"UID:" not in a.split(b"BEGIN:VEVENT")[0]


def test_dtstamp_placeholder_in_notes_is_not_replaced():
    note = "DTSTAMP:19700101T000000Z\nDTSTAMP:19700101T000000Z" + " " * 60 + "DTSTAMP:19700101T000000Z"
    p = parse(build_calendar([cp14(notes=note)], now=NOW))
    assert str(p.event(U14)["DESCRIPTION"]).endswith("Your notes: " + note)
    assert p.raw.count(b"\r\nDTSTAMP:20261101T153000Z\r\n") == 2


def test_empty_feed_is_valid():
    p = parse(build_calendar([], now=NOW))
    assert p.events() == [] and len(p.ics.events) == 0


def test_spanish():
    p = parse(build_calendar([cp14(tax_years=(2020, 2021)), lt11()], now=NOW - timedelta(days=60), tr=translator("es")))
    ev = p.event(U14)
    assert str(ev["SUMMARY"]) == "Responder al IRS CP14 (años fiscales 2020, 2021): $3,412.18 a pagar"
    assert "Siguiente paso: " in str(ev["DESCRIPTION"])
    assert str(ev.walk("VALARM")[0]["DESCRIPTION"]) == "Plazo del IRS en 7 días"
    assert str(p.event(W14)["SUMMARY"]) == "Revise el correo: podría llegar el IRS CP501 si el CP14 sigue abierto (estimación)"
    assert str(p.event(U11)["SUMMARY"]).startswith("Responder al IRS LT11 (fecha estimada) — ")
    assert "Fecha estimada: revise la fecha de respuesta impresa en su aviso" in str(p.event(U11)["DESCRIPTION"])
    assert b"Respond to IRS CP14" in build_calendar([cp14()], now=NOW, tr=translator("fr"))  # unknown: English


def test_custom_domain_and_name():
    p = parse(build_calendar([cp14()], now=NOW, domain="bot.example.org", name="Ana's IRS dates"))
    assert p.event("notice-14@bot.example.org")
    assert p.vobj.contents["x-wr-calname"][0].value == "Ana's IRS dates"


def test_code_with_space_gives_clean_uid():
    notice = cp14(expected_next=(ExpectedNotice("Letter 1058", date(2027, 1, 4), date(2027, 1, 18)),))
    p = parse(build_calendar([notice], now=NOW))
    assert [str(e["UID"]) for e in p.events()] == [U14, "notice-14-next-Letter-1058@noticebot.invalid"]


def test_naive_now_rejected_and_other_timezones_converted():
    with pytest.raises(ValueError, match="now"):
        build_calendar([cp14()], now=datetime(2026, 11, 1))
    est = timezone(timedelta(hours=-5))
    assert b"\r\nDTSTAMP:20261101T153000Z\r\n" in build_calendar([cp14()], now=NOW.astimezone(est))


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
