"""Text from people goes through the library's escaping: no injected properties, same text back."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.ics import build_calendar, clean_text

from .conftest import NOW, cp14, parse

NASTY = (
    "line one\r\nATTENDEE:mailto:x@y\r\n"
    "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\nSUMMARY:pwned\r"
    "commas, semi;colons; back\\slash \\n \\, \\; tab\there "
    "emoji 😀👩‍👩‍👧 é ñ 中文 "
    "NUL\x00 ESC\x1b[31m VT\x0b FF\x0c DEL\x7f C1\x85 LS\u2028PS\u2029 end"
)


def _notes_line(p, uid="notice-14@noticebot.invalid") -> tuple[str, str, str]:
    """The notes as read back by icalendar, vobject and ics."""
    marker = "Your notes: "

    def after(desc: str) -> str:
        return desc[desc.index(marker) + len(marker) :]

    return (
        after(str(p.event(uid)["DESCRIPTION"])),
        after(p.vevent(uid).description.value),
        after(p.ics_event(uid).description),
    )


def assert_no_injection(p, n_events: int) -> None:
    for event in p.events():
        assert set(event.keys()) <= {
            "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "SEQUENCE", "CATEGORIES", "CLASS",
            "CREATED", "DESCRIPTION", "LAST-MODIFIED", "STATUS", "TRANSP",
        }  # fmt: skip
        for alarm in event.walk("VALARM"):
            assert set(alarm.keys()) == {"ACTION", "DESCRIPTION", "TRIGGER"}
    assert len(p.events()) == n_events
    assert len(p.vobj.contents.get("vevent", [])) == n_events
    assert len(p.ics.events) == n_events
    unfolded = p.raw.replace(b"\r\n ", b"")
    for line in unfolded.split(b"\r\n"):
        assert not line.startswith(
            (b"ATTENDEE", b"ORGANIZER", b"SUMMARY:pwned", b"UID:evil", b"BEGIN:VALARM\\")
        )


def test_clean_text_strips_forbidden_controls_keeps_newline_and_tab():
    assert clean_text("a\x00b\x1bc\x0bd\x7fe\x85f\ud800g") == "abcdefg"
    assert clean_text("a\r\nb\rc\nd\te\u2028f") == "a\nb\nc\nd\te\nf"
    assert clean_text("😀 é ; , \\") == "😀 é ; , \\"


def test_nasty_notes_round_trip_without_injection():
    p = parse(build_calendar([cp14(notes=NASTY)], now=NOW))
    assert_no_injection(p, 2)
    want = clean_text(NASTY)
    assert "\x00" not in want and "\x1b" not in want and "\n" in want
    ical, vobj, ics_text = _notes_line(p)
    assert ical == want
    assert vobj == want
    # ics 0.7.3 unescapes "\\n" (an escaped backslash followed by "n") wrongly as backslash +
    # newline; icalendar and vobject agree on the correct text, so only compare the rest.
    assert ics_text.replace("\\\n", "\\n") == want
    assert str(p.event("notice-14@noticebot.invalid")["UID"]) == "notice-14@noticebot.invalid"


def test_attendee_line_in_notes_does_not_add_attendee():
    p = parse(build_calendar([cp14(notes="ok\r\nATTENDEE:mailto:x@y")], now=NOW))
    assert_no_injection(p, 2)
    assert all("ATTENDEE" not in e for e in p.events())
    assert "attendee" not in p.vevent("notice-14@noticebot.invalid").contents
    assert not p.ics_event("notice-14@noticebot.invalid").attendees
    assert _notes_line(p)[0] == "ok\nATTENDEE:mailto:x@y"


def test_note_of_only_control_characters_adds_no_empty_notes_line():
    # Regression (found by hypothesis): notes="\x1b" was non-blank before cleaning, so the
    # description ended with an empty "Your notes: " line.
    for notes in ("\x1b", "\x00\x0b \r\n", "\ud800"):
        desc = str(
            parse(build_calendar([cp14(notes=notes)], now=NOW)).event("notice-14@noticebot.invalid")["DESCRIPTION"]
        )
        assert "Your notes" not in desc


def test_long_note_2000_chars_folds_and_round_trips():
    note = ("Ünïcödé 😀, ; \\ " * 200)[:2000]
    assert len(note) == 2000
    p = parse(build_calendar([cp14(notes=note)], now=NOW))  # parse() checks 75-octet folding
    assert_no_injection(p, 2)
    assert _notes_line(p)[:2] == (note, note)


def test_injection_in_other_text_fields_and_calendar_name():
    notice = cp14(
        title="T\r\nATTENDEE:mailto:a@b",
        meaning="M\nBEGIN:VALARM",
        next_step="S;,\\",
        phone="800\r\nORGANIZER:x",
        hard=True,
        hard_label="Last day\r\nUID:evil@x",
        code="CP14",
    )
    raw = build_calendar([notice], now=NOW, name="Ana\r\nATTENDEE:mailto:x@y; a,b")
    p = parse(raw)
    assert_no_injection(p, 2)
    assert p.vobj.contents["x-wr-calname"][0].value == "Ana ATTENDEE:mailto:x@y; a,b"
    assert str(p.event("notice-14@noticebot.invalid")["SUMMARY"]).startswith("Respond to IRS CP14 — Last day\nUID:evil@x")


# Any text at all, including surrogates and controls; notes only matter when not blank.
notes_text = st.text(alphabet=st.characters(codec=None), max_size=300)


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=notes_text, seq=st.integers(0, 2**31 - 1), days=st.integers(-40, 40), for_import=st.booleans())
def test_random_notes_round_trip(notes, seq, days, for_import):
    resolved = NOW - timedelta(days=days) if days > 0 else None
    status = "paid" if resolved else "open"
    notice = cp14(notes=notes, sequence=seq, status=status, resolved_at=resolved)
    p = parse(build_calendar([notice], now=NOW, alarm_days=(1,), for_import=for_import))
    # The feed drops a resolved notice; a file to import cancels it (with its reminder event).
    n_events = (3 if for_import else 2) if for_import or not resolved else 0
    assert_no_injection(p, n_events)
    if not n_events:
        return
    want = clean_text(notes)
    desc = str(p.event("notice-14@noticebot.invalid")["DESCRIPTION"])
    assert int(p.event("notice-14@noticebot.invalid")["SEQUENCE"]) == seq
    if want.strip():
        ical, vobj, ics_text = _notes_line(p)
        assert ical == want
        assert vobj == want
        # ics 0.7.3 also strips whitespace at the end of a value (found by hypothesis: "00\t"), and
        # mis-decodes an escaped backslash before some letters ("\\R" came back as "\"; icalendar and vobject
        # read our bytes right): compare it only on text without backslashes.
        if "\\" not in want:
            assert ics_text.replace("\\\n", "\\n").rstrip() == want.replace("\\\n", "\\n").rstrip()
    else:
        assert "Your notes" not in desc
