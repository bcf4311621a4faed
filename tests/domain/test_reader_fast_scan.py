"""The reader's fast scanning finds exactly what the plain patterns find.

For speed (bench/README.md, "Reader"), the reader's patterns are written so that Python's regex engine
can use its fast first-character loop (``notices.reader.text``: ``WordPattern``, ``alternation``,
``scan``). A slip there would silently lose a date or an amount, so each fast form is checked here
against the plain form it stands for, on texts made of the words those patterns look for, of real
notice text, and of random characters (accents, Cyrillic look-alikes, full-width digits).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notices.reader import amounts, codes, dates, layout, scam, years
from notices.reader.text import WordPattern, lower, normalize, scan
from tests.corpus import load

WORDS = [
    "amount due", "amount you owed", "balance due", "you owe", "balance of", "total", "refund", "paid",
    "$1,234.56", "12.5k", "8 grand", "2,518.40", "3,328.00", "(3,328.00)", "-12", "740", "us$ 90",
    "tax year", "tax years 2021 and 2022", "tax period", "ty 24", "ty'23", "2019-2021", "2024 return",
    "for my 2023 taxes", "año fiscal 2022", "page 2 of 5", "página 1 de 3", "0000 0000000 0000 00",
    "notice 504", "aviso 1058", "notice cp14", "notice ccp11", "cp 504b", "cp05", "cpo5", "lt11", "lt 16",
    "letter 1058", "ltr 3172", "5071c", "5071 c", "1058 letter", "carta 3172", "letter 2024",
    "november 2, 2026", "nov. 3rd", "3rd of november", "12 de noviembre de 2026", "15 ago 2026",
    "1o de diciembre", "the 12th", "el día 12", "el dia 3", "last friday", "next monday", "el lunes pasado",
    "today", "yesterday", "hoy mismo", "hace 3 días", "hace una semana", "2 days ago", "a week ago",
    "in two weeks", "en 10 días", "last week", "la semana pasada", "11/02/2026", "2026-11-02", "10/11",
    "13/11/26", "11-02", "december 31, 2021 and december 31, 2022", "november 2026",
    "gift cards", "bitcoin atm", "send btc", "western union", "zelle", "arrest", "police", "warrant",
    "deport", "license suspended", "caller id", "your caller id", "they called me", "voicemail",
    "text from the irs", "me llamaron", "fecha", "aviso", "vence el", "pague antes del", "dated",
    "respond by", "due date", "pay by", "last day to", "received", "llegó el", "date of birth",
    "as of", "abroad", "outside the u.s.", "department of the treasury", "internal revenue service",
    "w-2", "1099-nec", "statement period", "franchise tax board", "irs", "ssn 123-45-6789",
]
SEPARATORS = [" ", "", "\n", "  ", "-", "/", ".", ",", ": ", "$", "(", "é", "ñ", "x", "0", "ı"]
NOISE = st.text(alphabet="abcdeilnoprstuy0123456789 $.,/-:'\n()áéíñóúºİıСРОＣＰ１４\u200b—", max_size=12)


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), NOISE), min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return lower(normalize("".join(p + s for p, s in zip(parts, seps, strict=True))))


def _corpus_slices() -> list[str]:
    out = []
    for sample in load():
        low = lower(normalize(sample.text))
        out += [low, low[7:913], low[len(low) // 3:]]
    return out


CORPUS = _corpus_slices()


def _plain(pattern: WordPattern, text: str) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in re.finditer(rf"\b(?:{pattern.body})", text)]


def _fast(pattern: WordPattern, text: str) -> list[tuple[int, int, tuple]]:
    return [(start, m.end(), m.groups()) for start, m in pattern.finditer(text)]


WORD_PATTERNS = {
    "amount labels": amounts._LABEL, "scam signals": scam._SIGNAL, "page furniture": layout._FURNITURE,
    "tax years": years._TAX_YEAR, "notice number": codes._NOTICE_NUMBER, "ocr header": codes._OCR_HEADER,
    "spanish words": dates._SPANISH,
}


def _check_all(text: str) -> None:
    for name, pattern in WORD_PATTERNS.items():
        assert _fast(pattern, text) == _plain(pattern, text), name
    for locator, rx in ((dates._DATE_AT, dates._DATE_RX), (codes._CODE_AT, codes._CODE_RX)):
        fast = [(m.span(), m.groupdict()) for m in scan(locator, rx, text)]
        assert fast == [(m.span(), m.groupdict()) for m in rx.finditer(text)], rx.pattern[:40]
    # the named alternations say which kind of word matched, as one plain named group per kind would
    for kinds, names, pattern, end in (
        (amounts._LABELS, amounts._LABEL_KIND, amounts._LABEL, r"\b"),
        (list(scam._SIGNALS.items()), scam._SIGNAL_KIND, scam._SIGNAL, r"\b"),
    ):
        plain = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in kinds) + f"){end}")
        assert pattern.ends(text, names) == [(m.end(), m.lastgroup) for m in plain.finditer(text)]
    plain_labels = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in dates._LABELS) + ")")
    fast_labels = [(m.span(), dates._LABEL_KIND[m.lastgroup or ""]) for m in dates._LABEL_RX.finditer(text)]
    assert fast_labels == [(m.span(), m.lastgroup) for m in plain_labels.finditer(text)]


@given(texts())
def test_fast_scanning_finds_what_the_plain_patterns_find(text: str) -> None:
    _check_all(text)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_fast_scanning_on_real_notice_layouts(index: int) -> None:
    _check_all(CORPUS[index])


def test_the_check_can_fail() -> None:
    # a locator that misses where dates begin loses them: the comparison above would see it
    blind = re.compile(r"[^-./0-9A-Z_a-z]zzz")
    text = "notice date november 2, 2026, pay by 12/01/2026"
    assert scan(blind, dates._DATE_RX, text) != list(dates._DATE_RX.finditer(text))
