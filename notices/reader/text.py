"""Text helpers every extractor shares: Unicode normalisation, lower-casing that keeps positions, masking."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width and direction marks hide inside codes ("CP\u200b14"); NFKC keeps them.
_ZERO_WIDTH_RX = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_DASHES_RX = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# A word that holds a digit and a non-Latin letter ("СР14" in Cyrillic) may be a disguised code.
_MIXED_WORD_RX = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_a-zA-Z\u00c0-\u024f])\w+\b")


@lru_cache(maxsize=512)
def _latin_twin(ch: str) -> str:
    """The ASCII letter or digit a character is confusable with (Unicode confusables data), or itself."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin", "common"]) or []
    for entry in found:
        for glyph in entry.get("homoglyphs", ()):
            c = glyph.get("c", "")
            if len(c) == 1 and c.isascii() and c.isalnum():
                return c
    return ch


def _unconfuse(m: re.Match) -> str:
    word = m.group()
    return "".join(ch if ch.isascii() else _latin_twin(ch) for ch in word)


def normalize(text: str) -> str:
    """NFKC (full-width "ＣＰ１４" -> "CP14"), zero-width characters removed, dashes unified, and look-alike
    letters inside code-like words mapped to Latin ("СР14" in Cyrillic -> "CP14")."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH_RX.sub("", text)
    text = _DASHES_RX.sub("-", text)
    if not text.isascii():
        text = _MIXED_WORD_RX.sub(_unconfuse, text)
    return text


def lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters (e.g. "İ") grow when lower-cased; keep positions aligned with the text
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out recognised spans (same length, so positions stay valid)."""
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        if s >= e:
            continue
        out += (text[pos:s], " " * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)
