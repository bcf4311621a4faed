"""notices.words and notices.money: dates, times and amounts in the person's language from Babel's
locale data, and per-notice data read through one function."""

from datetime import date, time
from decimal import Decimal

import pytest

from notices import catalog, words
from notices.money import money

DAY = date(2026, 12, 16)


@pytest.mark.parametrize(("lang", "long", "short"), [
    ("en", "December 16, 2026", "Dec 16, 2026"),
    ("es", "16 de diciembre de 2026", "16 dic 2026"),
    ("fr", "December 16, 2026", "Dec 16, 2026"),  # a language we do not speak: English
])
def test_dates_in_words(lang: str, long: str, short: str) -> None:
    assert words.long_date(DAY, lang) == long
    assert words.short_date(DAY, lang) == short


def test_times_twelve_hour_for_us_english() -> None:
    assert words.short_time(time(21, 5), "en") == "9:05\u202fPM"
    assert words.short_time(time(21, 5), "es") == "21:05"


@pytest.mark.parametrize(("value", "kw", "en", "es"), [
    (Decimal("3210.5"), {}, "$3,210.50", "3.210,50\xa0US$"),
    (341218, {"cents": True}, "$3,412.18", "3.412,18\xa0US$"),
    (-5, {"cents": True}, "-$0.05", "-0,05\xa0US$"),
    (50000, {"whole": True}, "$50,000", "50.000\xa0US$"),
])
def test_amounts_in_the_persons_form(value: Decimal | int, kw: dict, en: str, es: str) -> None:
    assert money(value, **kw) == money(value, lang="en", **kw) == en
    assert money(value, lang="es", **kw) == es


def test_per_notice_data_read_through_pick_with_english_for_an_unknown_language() -> None:
    cp14 = catalog.get("CP14")
    assert cp14 is not None
    assert cp14.title.get("es") == words.pick(cp14.title.by_lang, "es") != cp14.title.get("en")
    assert cp14.title.get("fr") == cp14.title.get("en")
    assert words.pick({"en": "a", "es": "b"}, None) == "a"  # type: ignore[arg-type]


def test_language_names_are_babels() -> None:
    assert [words.language_name(lang) for lang in words.LANGUAGES] == ["English", "español"]


def test_source_text_is_english_with_plural_forms() -> None:
    assert words.ENGLISH.language == "en"
    assert words.ENGLISH.ngettext("{n} day", "{n} days", 1) == "{n} day"
    assert words.ENGLISH.ngettext("{n} day", "{n} days", 2) == "{n} days"


def test_which_languages_write_the_day_first_comes_from_babels_date_formats() -> None:
    """The reader reads 10/11 as 10 November for a Spanish speaker, 11 October otherwise."""
    assert words.day_first("es") and not words.day_first("en")
    assert not words.day_first("fr")  # a language we do not speak reads as English
