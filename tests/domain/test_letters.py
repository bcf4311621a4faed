"""IRS letters that are not about money owed (notices/letters.py, data/letters.toml): each has what it
is and what is needed in every language and an official page; the reader marks them, and a CP12 that
shows an amount due stays a money notice."""

from datetime import date

import pytest

from notices import catalog, letters, words
from notices.reader import read, read_all

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("code", ["CP01A", "CP09", "CP27", "CP12"])
def test_each_letter_says_what_it_is_and_what_is_needed_with_an_official_page(code):
    letter = letters.get(code)
    assert letter is not None
    for lang in words.LANGUAGES:
        assert letters.what(letter, lang) and letters.needed(letter, lang)
        assert catalog.is_official(letter.source_for(lang))
    assert letter.source_for("es").startswith("https://www.irs.gov/es/")


@pytest.mark.parametrize("text,code", [
    ("I got a CP09 for 2024", "CP09"),
    ("Notice CP01A Tax Year 2025 Page 1 of 1", "CP01A"),
    ("cp 27 came today", "CP27"),
    ("recibí un CP12, cambiaron mi reembolso", "CP12"),
])
def test_the_reader_marks_an_irs_letter_that_is_not_about_money(text, code):
    d = read(text, TODAY)
    assert (d.notice, d.not_notice) == (code, "irs_letter")


def test_a_cp12_with_an_amount_due_is_a_money_notice():
    d = read("CP12 for 2025, amount due $410.00, dated November 2, 2026", TODAY)
    assert d.notice == "CP12" and d.not_notice is None and str(d.amount) == "410.00"


def test_a_money_notice_is_never_marked():
    assert read("CP14 for 2024, $300, dated Nov 2, 2026", TODAY).not_notice is None


def test_only_the_letter_section_of_a_message_is_marked():
    drafts = read_all("I got a CP09 for 2024 and a CP14 for 2024 for $500 dated 11/02/2026", TODAY)
    assert [(d.notice, d.not_notice) for d in drafts] == [("CP09", "irs_letter"), ("CP14", None)]


def test_a_letter_that_is_also_a_money_notice_must_say_so(monkeypatch):
    # CP12 is in catalog.toml: without only_without_amount every CP12 would lose its card
    import tomllib

    raw = tomllib.loads('[letters.CP12]\nwhat = {en = "a", es = "b"}\nneeded = {en = "a", es = "b"}\n'
                        'sources = ["https://www.irs.gov/x"]\n')
    monkeypatch.setattr(tomllib, "loads", lambda _text: raw)
    letters._letters.cache_clear()
    try:
        with pytest.raises(ValueError, match="only_without_amount"):
            letters._letters()
    finally:
        monkeypatch.undo()
        letters._letters.cache_clear()
