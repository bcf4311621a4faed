"""The one way the product translates: gettext catalogs in bot/locales (``make i18n`` extracts every
``_()``, ``gettext`` and ``ngettext`` string of bot/, services/, web/, app/ and notices/ (babel.cfg),
then compiles them).

The catalogs are read here once, and everything translates through them: aiogram's I18n in the
handlers (``bot.dispatcher.make_i18n`` hands it these catalogs), and ``words(language)`` where
there is no Telegram update (the reminder worker, the calendar feed, the domain's sentences).
Nothing here imports aiogram, so the worker stays light and the use cases (the calendar) translate
without a Telegram update. ``bot.i18n`` re-exports it for the handlers.

Adding a language is a catalog (``pybabel init -l xx``, then ``make i18n``) and an ``xx`` column in
the per-notice data (notices/catalog.toml, notices/instruments.toml, notices/data/*.toml; see
notices/words.py).
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "bot" / "locales"
DOMAIN = "messages"


@functools.cache
def catalogs(path: Path = LOCALES, domain: str = DOMAIN) -> dict[str, gettext.GNUTranslations]:
    """The compiled catalog of each language under ``path``, read once."""
    found: dict[str, gettext.GNUTranslations] = {}
    for folder in sorted(path.iterdir()):
        mo = folder / "LC_MESSAGES" / f"{domain}.mo"
        if mo.is_file():
            with mo.open("rb") as fp:
                found[folder.name] = gettext.GNUTranslations(fp)
    return found


@dataclass(frozen=True, slots=True)
class Words:
    """A gettext translator for one language (``notices.words.Words``): what the domain and the
    reminder texts are given. A language without a catalog gets the English source text."""

    language: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


@functools.cache
def words(language: str) -> Words:
    found = catalogs()
    if language in found:
        return Words(language, found[language])
    return Words("en", gettext.NullTranslations())
