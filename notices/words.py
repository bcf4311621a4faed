"""How the domain speaks a language, without knowing where translations come from.

- Sentences the domain writes (risk reasons, letters, the calendar's phrases, Form 12153's glosses)
  are gettext messages: the caller passes a ``Words`` translator for the person's language
  (``bot.i18n.words``), and ``make i18n`` extracts the messages into the catalogs in bot/locales.
- Dates are read in the order the language writes them (``day_first``, from Babel's date formats).
- Per-notice texts are data with one column per language (catalog.toml, instruments.toml, data/*.toml),
  read through ``pick``.
- Dates (here) and amounts (``notices.money``) are written by Babel from its locale data (CLDR),
  never from our own tables.

Adding a language: a catalog in bot/locales, a column in the data, and an entry in ``LANGUAGES`` (the
one place that names languages; tests/dispatcher/test_i18n.py fails on any other).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, time
from typing import Protocol, TypeVar

from babel import Locale
from babel.dates import format_date, format_time, get_date_format

# language -> the Babel locale its dates and amounts are written in. US English; Spanish as
# Spanish is written ("16 de diciembre de 2026", "1.250,00 US$"), for readers of either form.
LANGUAGES: Mapping[str, str] = {"en": "en_US", "es": "es"}
DEFAULT = "en"

T = TypeVar("T")


class Words(Protocol):
    """A gettext translator for one language (``bot.i18n.Words`` is the one the product passes)."""

    @property
    def language(self) -> str: ...

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def __hash__(self) -> int: ...  # renderers cache their fixed texts per translator


class SourceText:
    """The messages as written in the code (English): for tests and callers without catalogs."""

    language = DEFAULT

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


ENGLISH: Words = SourceText()


def language(lang: str | None) -> str:
    """``lang`` when we speak it, else English."""
    return lang if lang is not None and lang in LANGUAGES else DEFAULT


def pick(texts: Mapping[str, T], lang: str) -> T:
    """The one way per-notice data is read in a language: its column, else the English one."""
    return texts.get(language(lang), texts[DEFAULT])


def language_name(lang: str) -> str:
    """The language's name in itself, as Babel's locale data writes it: "English", "español"."""
    return Locale.parse(lang).get_display_name(lang) or lang


@functools.lru_cache(maxsize=4096)  # Babel takes ~10 µs a call; reminders repeat the same dates
def long_date(day: date, lang: str) -> str:
    """A date in words: "December 16, 2026" / "16 de diciembre de 2026"."""
    return format_date(day, "long", locale=LANGUAGES[language(lang)])


@functools.lru_cache(maxsize=4096)
def short_date(day: date, lang: str) -> str:
    """A date in words with a short month, where room is tight: "Sep 16, 2026" / "16 sept 2026"."""
    return format_date(day, "medium", locale=LANGUAGES[language(lang)])


def short_time(at: time, lang: str) -> str:
    """A time of day as the language says it: "9:00 AM" (12-hour US English) / "9:00"."""
    return format_time(at, "short", locale=LANGUAGES[language(lang)])


@functools.cache
def day_first(lang: str) -> bool:
    """Whether people writing ``lang`` put the day before the month ("13/11/2026"), from the order of
    the locale's short date in Babel's data ("M/d/yy" in US English, "d/M/yy" in Spanish)."""
    pattern = get_date_format("short", locale=LANGUAGES[language(lang)]).pattern
    return pattern.index("d") < pattern.index("M")
