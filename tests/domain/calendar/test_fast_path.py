"""The fast path writes exactly the bytes plain icalendar writes, for any notice, and only through
icalendar's public API (issue 12: no copies of its private escaping or folding helpers)."""

from __future__ import annotations

import ast
import inspect
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import vText

from bot.i18n import words as translator
from notices import ics, ics_render
from notices.deadlines import ExpectedNotice
from notices.ics import build_calendar
from notices.words import SourceText

from .conftest import NOW, cp14, lt11, parse

# Any text that can be encoded (no lone surrogates), plus the characters the folding and the
# templates care about: escapes, multi-byte UTF-8, and the template marker characters.
any_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\\^;,:\r\n😀é中\ue000\ue001%"),
        st.just("\ue000summary\ue001"),
    ),
    max_size=120,
).map("".join)


def blocks(n, *, cancelled=False, today=date(2026, 11, 1), offsets=(7, 3, 1, 0), minutes=9 * 60, lang="en",
           domain="noticebot.invalid", for_import=False):  # fmt: skip
    """(fast, plain) bytes of one notice's events; ``lang`` a language, or a Words translator."""
    tr = translator(lang) if isinstance(lang, str) else lang
    o = ics_render.Options(tr, () if for_import else offsets, timedelta(minutes=minutes), ics.REMINDER_LENGTH)
    events = tuple(ics.notice_events(n, today=today, tr=tr, domain=domain,
                                     remind_days=offsets if for_import else ()))  # fmt: skip
    return ics_render.notice_block(events, cancelled, o), ics_render.plain_block(events, cancelled, o)


def test_the_fast_path_uses_no_private_icalendar_helper():
    # Regression for issue 12: the fast path used copies of icalendar's _foldline/_escape_char.
    tree = ast.parse(inspect.getsource(ics_render))
    imported = {(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}  # fmt: skip
    assert all(not name.startswith("_") and "string" not in (module or "") for module, name in imported)
    assert "_foldline" not in inspect.getsource(ics_render) and "_escape_char" not in inspect.getsource(ics_render)
    assert not any(isinstance(node, ast.FunctionDef) and node.name in {"_escape", "_ical_text"} for node in ast.walk(tree))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(any_text | st.sampled_from(["", "\x00", "a\x00b", "\\", "\r", "\n"]), max_size=9))
def test_texts_escaped_together_match_one_by_one(texts):
    # A notice's texts are escaped by one vText call, joined by NUL; NULs in a text must not shift them.
    assert ics_render._ical_texts(texts) == [vText(text).to_ical() for text in texts]


def test_fold_is_icalendars():
    for line in ("x" * 73 + "\\n", "x" * 74, "x" * 75, "x" * 73 + "😀" * 3, "^" * 200, "\\" * 151):
        folded = ics_render._fold(line.encode())
        assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
        assert folded.replace(b"\r\n ", b"") == line.encode()


class PercentWords(SourceText):
    """A language whose phrases carry "%" and %-format look-alikes."""

    language = "xx"

    def gettext(self, message: str) -> str:
        if message == "IRS deadline in {days} days":
            return "100% IRS deadline in {days} days %(line0)s"
        return message.replace("{text}", "100% {text} %s %(uid)s")


def test_percent_in_a_translated_phrase_is_literal():
    # The templates are bytes %-formats: a "%" in a constant must come out as written.
    ics_render._template.cache_clear()
    fast, plain = blocks(cp14(notes="50% off %s %(uid)s", phone="%d"), lang=PercentWords())
    assert fast == plain
    assert b"DESCRIPTION:100% IRS deadline in 7 days %(line0)s" in fast
    ics_render._template.cache_clear()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([cp14(), lt11()]),
    texts=st.fixed_dictionaries(
        {"title": any_text, "meaning": any_text, "next_step": any_text, "notes": any_text, "code": any_text,
         "uid": any_text}  # fmt: skip
    ),
    hard_label=st.none() | any_text,
    phone=st.none() | any_text,
    amount=st.none() | st.integers(-(10**12), 10**12),
    years=st.lists(st.integers(1990, 2100), max_size=4).map(tuple),
    respond_by=st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 1, 1)),
    expected=st.lists(st.builds(ExpectedNotice, code=any_text, earliest=st.dates(max_value=date(9998, 1, 1)),
                                latest=st.dates(max_value=date(9998, 1, 1))), max_size=2).map(tuple),  # fmt: skip
    sequence=st.integers(0, 2**31 - 1),
    cancelled=st.booleans(),
    for_import=st.booleans(),
    today=st.dates(min_value=date(1900, 2, 1), max_value=date(9998, 1, 1)),
    offsets=st.lists(st.integers(0, 400), max_size=5, unique=True).map(lambda d: tuple(sorted(d, reverse=True))),
    minutes=st.integers(0, 24 * 60 - 1),
    lang=st.sampled_from(["en", "es"]),
    domain=st.sampled_from(["noticebot.invalid", "bot.example.org", "a;b,c\\d"]),
)
def test_fast_block_equals_plain_icalendar(base, texts, hard_label, phone, amount, years, respond_by, expected,
                                           sequence, cancelled, for_import, today, offsets, minutes, lang, domain):  # fmt: skip
    n = replace(base, **texts, hard_label=hard_label, phone=phone, amount_cents=amount, tax_years=years,
                respond_by=respond_by, expected_next=expected, sequence=sequence)  # fmt: skip
    fast, plain = blocks(n, cancelled=cancelled, today=today, offsets=offsets, minutes=minutes, lang=lang,
                         domain=domain, for_import=for_import)  # fmt: skip
    assert fast == plain


def test_marker_characters_in_notes_are_plain_text():
    note = "\ue000summary\ue001 and \ue000description\ue001"
    p = parse(build_calendar([cp14(notes=note)], now=NOW))
    assert str(p.event("notice-14@noticebot.invalid")["DESCRIPTION"]).endswith("Your notes: " + note)
    assert str(p.event("notice-14@noticebot.invalid")["SUMMARY"]) == "Respond to IRS CP14 (tax year 2024): $3,412.18 due"
