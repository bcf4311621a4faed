"""Remove SSNs, ITINs and EINs from free text before anything else reads, stores, logs or echoes it.

The text is normalised first (NFKC, every dash to "-", format characters such as zero-width spaces
removed, other scripts' digits to ASCII), so a number copied from a PDF (en dashes), split across
lines, spaced out digit by digit or with a zero-width character inside has the same shape as one
typed plainly.

Digits joined by separators (spaces, a dash or a dot, possibly with a line break) form a *chain* of
groups. Inside a chain, nine digits are an identifier when they have an identifier's shape: 3-2-4
(SSN/ITIN), 2-7 with a dash (EIN), nine digits spaced out one by one, or any grouping next to a word
such as SSN, ITIN, EIN, TIN, social or seguro. The separators inside must agree. Other groupings
must also differ from the separators around them, so the middle of a longer number (a phone number,
a list of years) is not taken for one; an SSN or EIN shape is removed even inside a longer run
("123 45 6789 0"): a rare foreign phone number spelled 3-2-4 inside is the price of never missing one.
With ``strict=True`` (fields where nothing else is expected: notes, call log, phone, badge) any
nine digits are removed, except ZIP+4 (5-4 with a dash).

Kept: phone numbers (7, 10 or 11 digits), ZIP+4, dates (at most 8 digits), amounts (a currency sign,
thousands commas or decimals break the chain) and notice numbers (CP14, LT11, Letter 1058).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

PLACEHOLDER = "[REDACTED]"

# ITINs start with 9 and have a middle group of 50-65, 70-88, 90-92 or 94-99.
_ITIN_MIDDLE = re.compile(r"^(?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])$")

_KEYWORD = re.compile(
    r"\b(?:ssn|itin|ein|tin|s\.s\.n\.?|social(?:\s+security)?|seguro(?:\s+social)?|"
    r"tax\s*id|taxpayer\s+id(?:entification)?|employer\s+id(?:entification)?|"
    r"n[uú]mero\s+de\s+identificaci[oó]n)",
    re.IGNORECASE,
)
_KW_BEFORE = 30  # how far (non-digit characters) a keyword may stand before the number ...
_KW_AFTER = 20  # ... or after it

_GROUP = re.compile(r"[0-9]+")
# Between two groups of one chain: spaces, at most one dash or dot, at most one line break.
_SEP = r"[ \t]*(?:[-.][ \t]*)?(?:\n[ \t]*(?:[-.][ \t]*)?)?"
_CHAIN = re.compile(rf"[0-9]+(?:{_SEP}[0-9]+)*")
# A chain that may hold nine digits or more: its first digit (not after another) with eight more
# ahead, apart only by separator characters (the lookahead; a chain beginning inside one that fails
# it fails too), then the whole chain. _chains counts the digits: the chains left are _CHAIN's
# chains of nine digits or more, found from the first digit with the engine's fast loop.
_LONG_CHAIN = re.compile(rf"[0-9](?<![0-9][0-9])(?=(?:[ \t.\n-]*[0-9]){{8}})[0-9]*(?:{_SEP}[0-9]+)*")
_CURRENCY_BEFORE = re.compile(r"[$€£][ \t]*$")
_CURRENCY_AFTER = re.compile(r"^[ \t]*(?:,\d\d(?!\d)|usd\b|dollars?\b|d[oó]lares\b)", re.IGNORECASE)

_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"}
_NEWLINES = {ord(c): "\n" for c in "\r\x0b\x0c\x85\u2028\u2029"}


@dataclass(frozen=True)
class Redaction:
    text: str
    kinds: tuple[str, ...]

    @property
    def redacted(self) -> bool:
        return bool(self.kinds)


_NON_ASCII_RX = re.compile(r"[^\x00-\x7f]")
# _DASHES and _NEWLINES as patterns: str.translate with a dict is slow on a non-ASCII text
_DASHES_RX = re.compile("[" + "".join(map(chr, _DASHES)) + "]")
_NEWLINES_RX = re.compile("[" + "".join(map(chr, _NEWLINES)) + "]")


def _nfkc(text: str) -> str:
    """NFKC, except fractions, superscripts and circled numbers: NFKC turns "¼" into "1⁄4"."""
    if text.isascii():
        return text
    parts, start = [], 0
    for m in _NON_ASCII_RX.finditer(text):  # only non-ASCII characters can be kept out
        if unicodedata.category(ch := m.group()) == "No":
            i = m.start()
            parts += [unicodedata.normalize("NFKC", text[start:i]), ch]
            start = i + 1
    parts.append(unicodedata.normalize("NFKC", text[start:]))
    return "".join(parts)


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def without_controls(text: str) -> str:
    """No NUL or other control characters (PostgreSQL refuses NUL in text); tabs and line breaks stay."""
    return _CONTROLS.sub("", text)


def normalize(text: str) -> str:
    """NFKC, one dash, one line break, no format characters (zero-width etc.), ASCII digits."""
    text = text.replace("\r\n", "\n")
    if text.isascii():  # the common case: already NFKC, ASCII dashes and digits, no format characters
        return text.translate(_NEWLINES)
    text = _NEWLINES_RX.sub("\n", _DASHES_RX.sub("-", _nfkc(text)))
    return _NON_ASCII_RX.sub(_ascii_or_kept, text)


def _ascii_or_kept(m: re.Match) -> str:
    """A non-ASCII character: format characters go, other dashes become "-", digits ASCII."""
    ch = m.group()
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return ""
    if cat == "Pd":
        return "-"
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    return ch


@dataclass
class _Group:
    start: int
    end: int
    digits: str
    spaced: bool = False  # joined from digits typed one by one with spaces


def _sep_kind(sep: str) -> str:
    if "-" in sep:
        return "-"
    if "." in sep:
        return "."
    return "nl" if "\n" in sep else " "


def _chains(text: str) -> list[tuple[list[_Group], list[str]]]:
    """Digit groups joined by separators, as (logical groups, kinds of the separators between).
    Only chains of nine digits or more, and with some run of groups that adds up to nine (every
    identifier is one): most digits in a notice are dates, amounts, phone numbers and ZIP codes, and
    building groups for each of them was most of the time redaction took."""
    chains: list[tuple[list[_Group], list[str]]] = []
    for m in _LONG_CHAIN.finditer(text):
        if not _adds_up_to_nine([len(d) for d in _GROUP.findall(m.group())]):
            continue  # fewer than nine digits, or no run of groups that holds nine
        groups = [_Group(m.start() + g.start(), m.start() + g.end(), g.group()) for g in _GROUP.finditer(m.group())]
        kinds = [_sep_kind(text[a.end:b.start]) for a, b in pairwise(groups)]
        chains.append(_logical(text, groups, kinds))
    return chains


def _adds_up_to_nine(sizes: list[int]) -> bool:
    """Some run of consecutive groups holds exactly nine digits (a logical group, rejoined from spaced
    digits, is such a run too)."""
    total = lo = 0
    for size in sizes:
        total += size
        while total > 9:
            total -= sizes[lo]
            lo += 1
        if total == 9:
            return True
    return False


def _logical(text: str, groups: list[_Group], kinds: list[str]) -> tuple[list[_Group], list[str]]:
    """Rejoin digits spaced out one by one ("9 1 2 7 0 ...")."""
    out, out_kinds = [groups[0]], []
    for g, kind in zip(groups[1:], kinds, strict=True):
        prev = out[-1]
        single = len(g.digits) == 1 and (len(prev.digits) == 1 or prev.spaced)
        if kind == " " and single and text[prev.end:g.start] == " ":
            out[-1] = _Group(prev.start, g.end, prev.digits + g.digits, spaced=True)
        else:
            out.append(g)
            out_kinds.append(kind)
    return out, out_kinds


def _shape(window: list[_Group], kinds: list[str]) -> tuple[int, ...]:
    """Group sizes, with a group broken by a line break counted as one ("07805<br>1120" is 9)."""
    sizes = [len(window[0].digits)]
    for g, kind in zip(window[1:], kinds, strict=True):
        if kind == "nl":
            sizes[-1] += len(g.digits)
        else:
            sizes.append(len(g.digits))
    return tuple(sizes)


def _kind(digits: str, shape: tuple[int, ...], keyword: str | None) -> str:
    kw = (keyword or "").lower()
    if kw.startswith(("ein", "employer")) or (not kw and shape == (2, 7)):
        return "ein"
    if kw.startswith("itin") or (digits[0] == "9" and _ITIN_MIDDLE.match(digits[3:5])):
        return "itin"
    if kw.startswith(("ssn", "s.s.n", "social", "seguro")) or shape == (3, 2, 4):
        return "ssn"
    return "tin"


def _is_identifier(shape: tuple[int, ...], kind: str | None, spaced: bool, strict: bool) -> bool:
    if shape == (3, 2, 4) or (shape == (2, 7) and kind == "-") or (shape == (9,) and spaced):
        return True
    return strict and not (shape == (5, 4) and kind == "-")  # ZIP+4 stays


# Every keyword holds one of these (in lower case): an ASCII text without any has none.
_KEYWORD_PARTS = ("ssn", "itin", "ein", "tin", "s.s.n", "social", "seguro", "tax", "employer", "mero")
# ... and begins with one of these (at most 8 characters long).
_KEYWORD_STARTS = ("ssn", "itin", "ein", "tin", "s.s.n", "social", "seguro", "tax", "employer", "numero",
                   "número")


_DIGIT_RX = re.compile(r"\d")
_UP_TO_LAST_DIGIT_RX = re.compile(r".*\d", re.DOTALL)


def _keyword_near(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    before = text[max(0, start - _KW_BEFORE - 40):start]
    after = text[end:end + _KW_AFTER + 40]
    kw_before = kw_after = None
    near = before + " " + after
    if near.isascii() and not any(p in near.lower() for p in _KEYWORD_PARTS):
        return None, None
    # A keyword before counts with no digit between it and the number. No keyword holds a digit, so
    # none crosses one: the matches after the last digit are the same as from the window's start.
    last_digit = _UP_TO_LAST_DIGIT_RX.match(before)
    for m in _KEYWORD.finditer(before, last_digit.end() if last_digit else 0):
        if len(before) - m.end() <= _KW_BEFORE:
            kw_before = m.group()
    # one after counts when it begins within _KW_AFTER characters: its first letters are in ``head``
    head = after[:_KW_AFTER + 8]
    if head.isascii() and not any(p in head.lower() for p in _KEYWORD_STARTS):
        return kw_before, None
    m_after = _KEYWORD.search(after)
    if m_after and m_after.start() <= _KW_AFTER and not _DIGIT_RX.search(after, 0, m_after.start()):
        kw_after = m_after.group()
    return kw_before, kw_after


def _find(text: str, strict: bool) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for groups, kinds in _chains(text):
        total = sum(len(g.digits) for g in groups)
        if total < 9:
            continue
        first, last = groups[0], groups[-1]
        amount = bool(_CURRENCY_BEFORE.search(text[max(0, first.start - 3):first.start])
                      or _CURRENCY_AFTER.match(text[last.end:last.end + 10]))
        kw_before, kw_after = _keyword_near(text, first.start, last.end)
        n = len(groups)
        for i in range(n):
            size = 0
            for j in range(i, n):
                size += len(groups[j].digits)
                if size > 9:
                    break
                if size < 9:
                    continue
                window = groups[i:j + 1]
                digits = "".join(g.digits for g in window)
                shape = _shape(window, kinds[i:j])
                keyword = (kw_before if i == 0 else None) or (kw_after if j == n - 1 else None)
                inner = set(kinds[i:j]) - {"nl"}
                kind = next(iter(inner)) if len(inner) == 1 else None
                left = kinds[i - 1] if i > 0 else None
                right = kinds[j] if j < n - 1 else None
                if amount and keyword is None and not _is_identifier(shape, kind, False, strict=False):
                    continue  # "$123456789": an amount, but "$ 078-05-1120" or "£ 001010001 is my social" is not
                if keyword is None:
                    if len(inner) > 1:
                        continue  # mixed separators: not one number
                    if kind is not None and kind in (left, right) and not _is_identifier(shape, kind, False, False):
                        continue  # part of a longer number spelled the same way (an SSN shape is never)
                    if kind is None and len(window) > 1 and {left, right} - {None, " "}:
                        continue  # two pieces of dashed numbers on either side of a line break
                    if not _is_identifier(shape, kind, any(g.spaced for g in window), strict):
                        continue
                found.append((window[0].start, window[-1].end, _kind(digits, shape, keyword)))
    return found


def _nine_digits(text: str) -> bool:
    """The text holds nine digits or more (of any script): ASCII digits are counted with str.count
    until there are nine."""
    n = 0
    for d in "0123456789":
        n += text.count(d)
        if n >= 9:
            return True
    if text.isascii():
        return False
    return sum(ch.isdigit() for ch in text) >= 9  # other scripts' digits count too


def redact(text: str, *, strict: bool = False) -> Redaction:
    """Replace identifiers with a placeholder; ``kinds`` lists what was removed (sorted, unique).

    When nothing is removed the text comes back unchanged; otherwise it comes back normalised.
    ``strict`` also removes any other nine digits (for fields where no such number belongs).
    """
    if not _nine_digits(text):  # fast path: too few digits for any identifier
        return Redaction(text, ())
    norm = normalize(text)
    found = _find(norm, strict)
    if not found:
        return Redaction(text, ())
    out, pos = [], 0
    for start, end, _ in sorted(found):
        start = max(start, pos)  # overlapping windows of the same identifier
        if start >= end:
            continue
        out += [norm[pos:start], PLACEHOLDER]
        pos = end
    out.append(norm[pos:])
    return Redaction("".join(out), tuple(sorted({k for _, _, k in found})))
