"""The one way an amount of money is written, in the person's language, by Babel from its locale
data: "$1,234.50" in English, "1.234,50 US$" in Spanish (minus before the number)."""

from __future__ import annotations

import functools
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency

from notices import words


def money(value: Decimal | int | None, *, cents: bool = False, lang: str = "en", whole: bool = False) -> str:
    """``value`` in dollars (or in cents with ``cents=True``); "—" for None. ``whole`` leaves the
    cents out ("$50,000", for thresholds)."""
    if value is None:
        return "—"
    amount = Decimal(value) / 100 if cents else Decimal(value)
    return _written(amount, words.language(lang), whole)


@functools.lru_cache(maxsize=4096)  # Babel takes ~35 µs a call; reminders repeat the same amounts
def _written(amount: Decimal, lang: str, whole: bool) -> str:
    locale = Locale.parse(words.LANGUAGES[lang])
    if not whole:
        return format_currency(amount, "USD", locale=locale)
    pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
    return format_currency(amount, "USD", pattern, locale=locale, currency_digits=False)
