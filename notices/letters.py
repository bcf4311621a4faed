"""IRS letters that are not about money owed (CP01A, CP09, CP27, CP12 with no balance due): what each
is, whether anything is needed, and the official page, from ``data/letters.toml``. The reader marks
them (``Draft.not_notice == "irs_letter"``) and the bot answers them without saving anything."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

from notices import catalog, words


@dataclass(frozen=True)
class Letter:
    code: str
    what: Mapping[str, str] = field(hash=False)
    needed: Mapping[str, str] = field(hash=False)
    sources: tuple[str, ...]
    only_without_amount: bool = False  # also a money notice in the catalog: a letter only with no amount due
    dispute_days: int | None = None  # days from the notice date to disagree (CP12: 60)

    def source_for(self, lang: str) -> str:
        """The official page, in the person's language where irs.gov has one."""
        return catalog.page_in(next(s for s in self.sources if catalog.is_official(s)), lang)


@cache
def _letters() -> dict[str, Letter]:
    raw = tomllib.loads(resources.files("notices").joinpath("data/letters.toml").read_text(encoding="utf-8"))
    found = {}
    for code, entry in raw["letters"].items():
        if catalog.canonical_code(code) != code:
            raise ValueError(f"letters.toml: {code!r} is not a canonical notice code")
        for name in ("what", "needed"):
            if not all(entry.get(name, {}).get(lang) for lang in words.LANGUAGES):
                raise ValueError(f"letters.toml: {code}.{name} needs a text in {', '.join(words.LANGUAGES)}")
        if not any(catalog.is_official(s) for s in entry["sources"]):
            raise ValueError(f"letters.toml: {code} needs an official source to show")
        if catalog.is_known(code) and not entry.get("only_without_amount"):
            raise ValueError(f"letters.toml: {code} is a money notice in catalog.toml; set only_without_amount")
        found[code] = Letter(code, entry["what"], entry["needed"], tuple(entry["sources"]),
                             bool(entry.get("only_without_amount")), entry.get("dispute_days"))
    return found


def get(code: str | None) -> Letter | None:
    return _letters().get(code) if code else None


def not_about_money(code: str | None, amount: Decimal | None) -> bool:
    """True when a notice with this code (and the amount read from it) is a letter of this kind."""
    letter = get(code)
    return letter is not None and not (letter.only_without_amount and amount is not None)


def what(letter: Letter, lang: str) -> str:
    return words.pick(letter.what, lang)


def needed(letter: Letter, lang: str) -> str:
    return words.pick(letter.needed, lang)
