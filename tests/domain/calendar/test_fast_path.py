"""The template fast path writes exactly the bytes plain icalendar writes, for any notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import vDatetime, vDDDTypes, vText
from icalendar.parser.string import _escape_char, _foldline

from notices import ics as mod
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar

from .conftest import NOW, cp14, lt11, parse

# Any text that can be encoded (no lone surrogates), plus the characters the folding and the
# templates care about: escapes, multi-byte UTF-8, and the template marker characters.
any_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\\^;,:\r\n😀é中\ue000\ue001"),
        st.just("\ue000summary\ue001"),
    ),
    max_size=120,
).map("".join)


def plain(
    n, *, cancelled=False, offsets=(7, 3, 1, 0), reminder=timedelta(hours=9), lang="en", domain="noticebot"
):
    """The notice's events written by icalendar alone (Event.new + to_ical)."""
    events = mod._notice_events(
        n, cancelled=cancelled, now=mod._PLACEHOLDER_NOW, offsets=offsets, reminder=reminder,
        t=mod.TEXTS[lang], domain=domain,
    )  # fmt: skip
    return b"".join(e.to_ical() for e in events)


def fast(
    n, *, cancelled=False, offsets=(7, 3, 1, 0), reminder=timedelta(hours=9), lang="en", domain="noticebot"
):
    return mod._notice_block.__wrapped__(n, cancelled, offsets, reminder, lang, domain)


@settings(max_examples=300, deadline=None)
@given(line=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n"), max_size=400))
def test_fold_matches_icalendar_foldline(line):
    assert mod._fold(line.encode()) == _foldline(line).encode()


def test_fold_edges():
    for line in ("x" * 73 + "\\n", "x" * 74, "x" * 75, "x" * 73 + "😀" * 3, "^" * 200, "\\" * 151):
        assert mod._fold(line.encode()) == _foldline(line).encode(), line


@settings(max_examples=200, deadline=None)
@given(text=any_text)
def test_text_encoder_matches_vtext(text):
    assert mod._ical_text(text) == vText(text).to_ical()
    assert mod._escape(text.encode()) == _escape_char(text).encode()


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(any_text | st.sampled_from(["", "\x00", "a\x00b", "\\", "\r", "\n"]), max_size=9))
def test_texts_escaped_together_match_one_by_one(texts):
    # _ical_texts escapes a notice's texts joined by NUL; NULs in a text must not shift them.
    assert mod._ical_texts(texts) == [vText(text).to_ical() for text in texts]


def test_percent_in_a_translated_phrase_is_literal(monkeypatch):
    # The templates are bytes %-formats: a "%" in a constant must come out as written.
    texts = {key: value.replace("{text}", "100% {text} %s %(uid)s") for key, value in mod.TEXTS["en"].items()}
    texts["cat_deadline"] = "IRS 100% deadline"
    monkeypatch.setitem(mod.TEXTS, "xx", texts)
    mod._template.cache_clear()
    notice = cp14(notes="50% off %s %(uid)s", phone="%d")
    assert fast(notice, lang="xx") == plain(notice, lang="xx")
    assert b"Today: 100% Respond" in fast(notice, lang="xx")
    mod._template.cache_clear()


@given(
    day=st.dates(),
    instant=st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])),
)
def test_date_encoders_match_icalendar(day, instant):
    assert mod._ical_date(day) == vDDDTypes(day).to_ical()
    assert mod._ical_utc(instant, "x") == vDatetime(instant.astimezone(UTC)).to_ical()


expected_events = st.lists(
    st.builds(ExpectedNotice, code=any_text, earliest=st.dates(), latest=st.dates()), max_size=3
).map(tuple)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([cp14(), lt11()]),
    texts=st.fixed_dictionaries(
        {"title": any_text, "meaning": any_text, "next_step": any_text, "notes": any_text, "code": any_text}
    ),
    hard_label=st.none() | any_text,
    phone=st.none() | any_text,
    amount=st.none() | st.integers(-(10**12), 10**12),
    years=st.lists(st.integers(1990, 2100), max_size=4).map(tuple),
    respond_by=st.dates(max_value=date(9998, 1, 1)),
    expected=expected_events,
    sequence=st.integers(0, 2**31 - 1),
    cancelled=st.booleans(),
    offsets=st.lists(st.integers(0, 400), max_size=5, unique=True).map(
        lambda d: tuple(sorted(d, reverse=True))
    ),
    minutes=st.integers(0, 24 * 60 - 1),
    lang=st.sampled_from(["en", "es"]),
    domain=st.sampled_from(["noticebot", "bot.example.org", "a;b,c\\d"]),
)
def test_fast_block_equals_plain_icalendar(
    base, texts, hard_label, phone, amount, years, respond_by, expected, sequence, cancelled, offsets,
    minutes, lang, domain,
):  # fmt: skip
    n = replace(
        base, **texts, hard_label=hard_label, phone=phone, amount_cents=amount, tax_years=years,
        respond_by=respond_by, expected_next=tuple(e for e in expected if max(e.earliest, e.latest) < date.max),
        sequence=sequence, updated_at=datetime(2026, 10, 25, 18, 45, 7, 123, tzinfo=timezone(timedelta(hours=3))),
    )  # fmt: skip
    options = {
        "cancelled": cancelled,
        "offsets": offsets,
        "reminder": timedelta(minutes=minutes),
        "lang": lang,
        "domain": domain,
    }
    assert fast(n, **options) == plain(n, **options)


def test_marker_characters_in_notes_are_plain_text():
    note = "\ue000summary\ue001 and \ue000description\ue001"
    p = parse(build_calendar([cp14(notes=note)], now=NOW))
    assert str(p.event("notice-14@noticebot")["DESCRIPTION"]).endswith("Your notes: " + note)
    assert (
        str(p.event("notice-14@noticebot")["SUMMARY"]) == "Respond to IRS CP14 (tax year 2024): $3,412.18 due"
    )
