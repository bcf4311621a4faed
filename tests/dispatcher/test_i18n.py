"""One way to translate: every message the code writes and every per-notice text exists in every
language we speak (``untranslated`` lists what does not), and the compiled .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
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


REGISTRY = "notices/words.py"  # LANGUAGES: the one place that names the languages we speak


def _is_code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in words.LANGUAGES


def _names_a_language(node: ast.AST) -> bool:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_code(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(k is not None and _is_code(k) for k in node.keys)
    return _is_code(node)


def by_hand(source: str) -> list[tuple[int, str]]:
    """(line, what) for every place that picks a language by hand: compares with a language code
    (``lang == "es"``, ``"x" if lang != "es" else "y"``, ``lang in ("en", "es")``), a dict keyed by
    language, an index by a language code (``TEXTS["es"]``), ``.startswith("es")``, or a hand-written
    list of two or more languages."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(map(_names_a_language, [node.left, *node.comparators])):
            found.append((node.lineno, "compares with a language code"))
        elif isinstance(node, ast.Dict) and _names_a_language(node):
            found.append((node.lineno, "a dict keyed by language"))
        elif isinstance(node, ast.Subscript) and _is_code(node.slice):
            found.append((node.lineno, "indexes by a language code"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("startswith", "endswith") and any(map(_names_a_language, node.args))):
            found.append((node.lineno, "tests a prefix against a language code"))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and sum(map(_is_code, node.elts)) >= 2:
            found.append((node.lineno, "a hand-written list of languages"))
    return found


def test_no_module_picks_a_language_by_hand() -> None:
    """Text in a language comes from the catalogs or from a data column (``notices.words.pick``);
    languages are named once, in ``notices.words.LANGUAGES``: a third language is a catalog and a
    data column, no code."""
    offenders = [f"{p.relative_to(ROOT)}:{line}: {what}"
                 for folder in (*SOURCES, "scheduler", "storage", "documents")
                 for p in sorted((ROOT / folder).rglob("*.py")) if p.relative_to(ROOT).as_posix() != REGISTRY
                 for line, what in by_hand(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("source", [
    'x = "Aviso" if lang == "es" else "Notice"',
    'if lang != "es":\n    pass',
    'TEXTS = {"en": {}, "es": {}}',
    't = _T["es"]',
    'ok = lang.startswith("es")',
    'LANGUAGES = ("en", "es")',
    'ok = lang in {"en", "es"}',
])
def test_the_by_hand_check_catches_each_way_back(source: str) -> None:
    assert by_hand(source), source


def test_the_by_hand_check_lets_catalogs_and_data_columns_through() -> None:
    source = ('_ = tr.gettext\nx = _("Notice {code}")\ny = words.pick(entry, lang)\n'
              'z = long_date(day, tr.language)\nif lang == DEFAULT:\n    pass')
    assert by_hand(source) == []


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
    for m in _catalog("es"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(re.findall(r"\{\w+\}", ids[-1]))
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == want, f"placeholders differ in {ids[0][:60]!r}"
            assert s.count("<b>") == s.count("</b>") and s.count("<i>") == s.count("</i>"), ids[0][:60]
