"""Text helpers every extractor shares: Unicode normalisation, lower-casing that keeps positions, masking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property, lru_cache

# Zero-width and direction marks hide inside codes ("CP\u200b14"); NFKC keeps them.
_ZERO_WIDTH_RX = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_DASHES_RX = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# A word that holds a digit and a non-Latin letter ("СР14" in Cyrillic) may be a disguised code.
_MIXED_WORD_RX = re.compile(r"\b(?=\w*\d)(?=\w*[^\W\d_a-zA-Z\u00c0-\u024f])\w+\b")
# Its non-Latin character, looked for first (one fast pass): Spanish or curly quotes have none.
_NON_LATIN_RX = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")


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
    if text.isascii():  # NFKC keeps ASCII as it is, and none of the rest applies
        return text
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH_RX.sub("", text)
    text = _DASHES_RX.sub("-", text)
    if not text.isascii() and _NON_LATIN_RX.search(text):
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


# --- fast scanning -------------------------------------------------------------------------------
# Python's regex engine finds the start of a match quickly only when the pattern begins with a plain
# character or class: it then runs a tight loop over the text. A pattern that begins with ``\b`` or a
# lookbehind is entered at every position instead (~4 ms per pass over 120 KB), and inside an
# alternation it skips cheaply only the branches that begin with a plain character.

# The character before a word (``\b`` then a word character): anything but [0-9A-Za-z_]. The class (a
# negated bitmap: the fast loop; a range up to U+10FFFF instead takes ~9 ms to compile) lets in every
# non-ASCII character, which the lookbehind checks; ``BEFORE_WORD_ASCII`` is enough for an ASCII
# text, and a superset for any text.
BEFORE_WORD_ASCII = r"[^0-9A-Z_a-z]"
BEFORE_WORD = BEFORE_WORD_ASCII + r"(?<!\w)"


def _structure(rx: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of each "(", ")" and "|" of ``rx`` that is not
    escaped and not inside a character class."""
    depth, i, in_class = 0, 0, False
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if rx[i + 1:i + 2] == "^":
                i += 1
            if rx[i + 1:i + 2] == "]":  # "[]...]": a "]" first is a member
                i += 1
        elif c in "()|":
            yield i, c, depth
            depth += {"(": 1, ")": -1, "|": 0}[c]
        i += 1


def split_alternatives(rx: str) -> list[str]:
    """The top-level branches of a regular expression ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    cuts = [i for i, c, depth in _structure(rx) if c == "|" and depth == 0]
    return [rx[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(rx)], strict=True)]


def _group_end(rx: str, start: int) -> int:
    """The index of the ")" that closes the group opened at ``rx[start]``."""
    for i, c, depth in _structure(rx[start:]):
        if c == ")" and depth == 1:
            return start + i
    raise ValueError(f"unbalanced: {rx!r}")


def branches(rx: str) -> list[str]:
    """The top-level branches of ``rx``, a leading group spread out so that each begins with a plain
    character: "(?:a|b)c" -> ["ac", "bc"], "(?:a|b)?c" -> ["ac", "bc", "c"] (the same tries, in the
    same order)."""
    out: list[str] = []
    for branch in split_alternatives(rx):
        if branch.startswith("(?:"):
            end = _group_end(branch, 0)
            inner, rest = branch[3:end], branch[end + 1:]
            if rest[:1] in ("*", "+", "{") or rest[:2] == "??":
                raise ValueError(f"cannot spread {branch!r}")
            optional = rest[:1] == "?"
            rest = rest[1:] if optional else rest
            for b in split_alternatives(inner):
                out += branches(b + rest)
            if optional:
                out += branches(rest)
        else:
            out.append(branch)
    return out


def _plain_first(rx: str) -> bool:
    """``rx`` begins with a plain character (no class, group, escape or quantifier on it)."""
    return rx[:1].isalnum() and rx[1:2] not in ("?", "*", "+", "{")


def _tree(branches: list[str]) -> str:
    """An alternation of ``branches`` with the branches that begin with the same plain character
    merged, recursively ("ab|ac|d" -> "a(?:b|c)|d"). Branches that begin with different characters
    never match at the same place, so their order does not matter; a branch that does not begin with a
    plain character keeps its place, and no branch moves across it."""
    out: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        for c, rests in run.items():
            merged = _tree(rests)
            out.append(c + (merged if len(split_alternatives(merged)) == 1 else f"(?:{merged})"))
        run.clear()

    for b in branches:
        if _plain_first(b):
            run.setdefault(b[0], []).append(b[1:])
        else:
            flush()
            out.append(b)
    flush()
    return "|".join(out)


def alternation(named: list[tuple[str, str]], markers: bool = True) -> tuple[str, dict[str, str]]:
    """``(name, regex)`` branches as one alternation the engine tries fast (it skips at once a branch
    that begins with a plain character that is not the text's, and enters any other): branches merged
    by their first characters (``_tree``). Each branch must begin with a plain letter or digit; with
    ``markers`` it gets an empty group at its end: returns the pattern and marker -> name, so
    ``names[m.lastgroup]`` names the branch that matched (when branches hold no other group)."""
    names: dict[str, str] = {}
    rests: list[str] = []
    for i, (name, rx) in enumerate(named):
        if not _plain_first(rx) or len(split_alternatives(rx)) != 1:
            raise ValueError(f"not one branch that begins with a plain character: {rx!r}")
        marker = f"_b{i}"
        names[marker] = name
        rests.append(f"{rx}(?P<{marker}>)" if markers else rx)
    return _tree(rests), names


def scan(locator: re.Pattern, pattern: re.Pattern, text: str) -> list[re.Match]:
    """``list(pattern.finditer(text))``, fast: ``pattern`` is tried only one character after where
    ``locator`` matches (a cheap pattern that begins with a class, e.g. ``BEFORE_WORD``, and matches
    at least before every place where ``pattern`` can begin, maybe more). ``pattern`` never matches
    an empty string."""
    out: list[re.Match] = []
    m = pattern.match(text)
    if m:
        out.append(m)
    pos = m.end() if m else 0  # where pattern.finditer would search next
    search, match = locator.search, pattern.match
    while found := search(text, max(pos - 1, 0)):
        start = found.start() + 1
        if m := match(text, start):
            out.append(m)
            pos = m.end()
        else:
            pos = start + 1
    return out


class WordPattern:
    r"""Finds what ``\b(?:body)`` finds, fast. ``body`` must begin with a word character and end with
    one (or otherwise never end right before another match's first character): then each match
    starts after a character that no match includes, and ``BEFORE_WORD + body`` finds the same
    matches one character earlier, at the engine's fast pace. ``finditer`` yields (start, match),
    ``start`` where the word begins; the match's groups are those of ``body``."""

    def __init__(self, body: str):
        self.body = body
        self.at_start = re.compile(f"(?:{body})")  # a match at position 0 has no character before it
        self.fast_ascii = re.compile(f"{BEFORE_WORD_ASCII}(?:{body})")

    @cached_property
    def fast(self) -> re.Pattern:
        """For a non-ASCII text (compiled when one comes: a large pattern takes milliseconds)."""
        return re.compile(f"{BEFORE_WORD}(?:{self.body})")

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match]]:
        pos = 0
        if m := self.at_start.match(text):
            yield 0, m
            pos = m.end()
        for m in (self.fast_ascii if text.isascii() else self.fast).finditer(text, pos):
            yield m.start() + 1, m

    def ends(self, text: str, names: dict[str, str]) -> list[tuple[int, str]]:
        """(end, ``names[m.lastgroup]``) of each match, in order (no generator: a label pass)."""
        first = self.at_start.match(text)
        fast = self.fast_ascii if text.isascii() else self.fast
        out = [(first.end(), names[first.lastgroup or ""])] if first else []
        out += [(m.end(), names[m.lastgroup or ""]) for m in fast.finditer(text, first.end() if first else 0)]
        return out

    def search(self, text: str) -> re.Match | None:
        """A match (of ``body`` at 0, else one character early), or None."""
        return self.at_start.match(text) or (self.fast_ascii if text.isascii() else self.fast).search(text)
