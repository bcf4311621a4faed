"""Every message id has a Spanish translation, and the compiled .mo matches the .po."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


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
