"""One way to translate: every message the code writes and every per-notice text exists in every
language we speak (``untranslated`` lists what does not), and the compiled .mo matches the .po."""

from __future__ import annotations

import gettext
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from notices import words

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "bot" / "locales"
SOURCES = ("bot", "services", "web", "app", "notices")  # what babel.cfg extracts
KEYWORDS = {**DEFAULT_KEYWORDS, "__": None, "lazy_gettext": None}  # as `make i18n`
DATA = (ROOT / "notices").rglob("*.toml")  # per-notice texts: one column per language


def _in_code() -> set[str]:
    """The msgids the code writes today (what `make i18n` would extract)."""
    found = set()
    for folder in SOURCES:
        for *_, message, _comments, _context in extract_from_dir(ROOT / folder, [("**.py", "python")],
                                                                 keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _data_texts(node: Any, where: str) -> Iterator[tuple[str, dict]]:
    """Every table of the data that holds a text per language (it has an ``en`` key)."""
    if isinstance(node, dict):
        if "en" in node:
            yield where, node
        for key, value in node.items():
            yield from _data_texts(value, f"{where}.{key}" if where else key)


def untranslated() -> list[str]:
    """Everything a person could be shown untranslated, in each language we speak besides English."""
    gaps = []
    wanted = _in_code()
    texts = [(f"{path.relative_to(ROOT)}:{where}", table) for path in DATA
             for where, table in _data_texts(tomllib.loads(path.read_text(encoding="utf-8")), "")]
    for lang in sorted(set(words.LANGUAGES) - {words.DEFAULT}):
        po = _catalog(lang)
        for msgid in sorted(wanted):
            m = po.get(msgid)
            strings = () if m is None else m.string if isinstance(m.string, tuple) else (m.string,)
            if m is None or m.fuzzy or not all(strings):
                gaps.append(f"{lang}: message {msgid[:70]!r}" + (" (run `make i18n`)" if m is None else ""))
        for where, table in texts:
            value = table.get(lang)
            if not value or (isinstance(value, list) and len(value) != len(table["en"])):
                gaps.append(f"{lang}: {where}")
    return gaps


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def test_nothing_is_untranslated() -> None:
    gaps = untranslated()
    assert not gaps, f"{len(gaps)} untranslated:\n" + "\n".join(gaps)


def test_untranslated_finds_a_missing_message_and_a_missing_data_column(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The list above can fail: a new _() string and a catalog text without `es` both show up."""
    monkeypatch.setattr(f"{__name__}._in_code", lambda: {"A sentence nobody translated yet."})
    monkeypatch.setattr(f"{__name__}.DATA", [ROOT / "notices" / "catalog.toml"])
    monkeypatch.setattr(f"{__name__}._data_texts", lambda node, where: iter([("CP14.title", {"en": "x"})]))
    assert untranslated() == ["es: message 'A sentence nobody translated yet.' (run `make i18n`)",
                              "es: notices/catalog.toml:CP14.title"]


def test_every_language_has_a_catalog_and_every_catalog_a_language() -> None:
    compiled = {p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.mo")}
    assert compiled == set(words.LANGUAGES)


def test_aiogram_and_the_worker_translate_with_the_same_catalogs() -> None:
    from bot import i18n
    from bot.dispatcher import make_i18n

    assert make_i18n().locales["es"] is i18n.catalogs()["es"] is i18n.words("es").translations


def test_no_module_picks_a_language_by_hand() -> None:
    """Text in a language comes from the catalogs or from a data column (``notices.words.pick``),
    never from an if/else on the language code or a dict keyed by it."""
    by_hand = re.compile(r"""==\s*["']es["']|["']es["'][ \t]+if\b|^\s*["']es["']\s*:""", re.M)
    known = {
        "notices/ics.py", "notices/ics_texts.py",  # the calendar's phrases (issue 17's branch): still a dict
        "notices/catalog.py",  # source_for: irs.gov's Spanish pages live under /es/ (a URL, not a text)
        # Known debt, listed so it cannot grow: the 60-day request and first-time-abatement letters
        # (issues 14 and 16, written in parallel with the catalogs' move) still pick by hand.
        "notices/instruments.py", "notices/relief.py", "bot/routers/relief.py",
    }
    offenders = sorted(str(p.relative_to(ROOT)) for folder in (*SOURCES, "scheduler", "storage")
                       for p in (ROOT / folder).rglob("*.py") if by_hand.search(p.read_text(encoding="utf-8")))
    assert [o for o in offenders if o not in known] == []


def test_every_message_has_a_spanish_translation() -> None:
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("es") if m.id}
    with (LOCALES / "messages.pot").open("rb") as f:
        pot_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert pot_ids <= template, f"run `make i18n`: not in es catalog: {sorted(pot_ids - template)[:5]}"
    missing = [m.id for m in _catalog("es") if m.id and not m.fuzzy and not all(
        m.string if isinstance(m.string, tuple) else (m.string,))]
    assert not missing, f"{len(missing)} message(s) lack a Spanish translation, e.g. {missing[:3]}"
    assert not [m.id for m in _catalog("es") if m.id and m.fuzzy], "fuzzy translations are not used at run time"


def test_compiled_catalog_matches_the_po() -> None:
    with (LOCALES / "es" / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for m in _catalog("es"):
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            assert compiled.ngettext(m.id[0], m.id[1], 1) == m.string[0], f"stale .mo: {m.id[0]!r}; run make i18n"
        else:
            assert compiled.gettext(m.id) == m.string, f"stale .mo for {m.id[:60]!r}; run `make i18n`"


def test_placeholders_survive_translation() -> None:
    import re

    for m in _catalog("es"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(re.findall(r"\{\w+\}", ids[-1]))
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == want, f"placeholders differ in {ids[0][:60]!r}"
            assert s.count("<b>") == s.count("</b>") and s.count("<i>") == s.count("</i>"), ids[0][:60]
