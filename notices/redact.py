"""Remove SSNs, ITINs and EINs from free text before anything else reads or stores it.

Only identifier shapes are removed: 3-2-4 digit groups (SSN/ITIN) and 2-7 (EIN) with a separator,
or nine bare digits next to a word such as SSN, ITIN, EIN, TIN, social or seguro. Phone numbers
(3-3-4), ZIP+4 (5-4), dates, amounts and masked forms (XXX-XX-0932) do not have these shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = "[REDACTED]"

# ITINs start with 9 and have a middle group of 50-65, 70-88, 90-92 or 94-99.
_ITIN_MIDDLE = re.compile(r"^(?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])$")

# Shapes must not be part of a longer digit run; separators stay consistent within one number.
_L = r"(?<!\d)"
_R = r"(?!\d)"
_SSN_SHAPE = re.compile(rf"{_L}(\d{{3}})([-. ])(\d{{2}})\2(\d{{4}}){_R}")
_EIN_SHAPE = re.compile(rf"{_L}(\d{{2}})-(\d{{7}}){_R}")

_KEYWORD = (
    r"(?:ssn|itin|ein|tin|s\.s\.n\.?|social(?:\s+security)?|seguro(?:\s+social)?|"
    r"tax\s*id|taxpayer\s+id(?:entification)?|employer\s+id(?:entification)?|"
    r"n[uú]mero\s+de\s+identificaci[oó]n)"
)
# Nine digits in any grouping (bare, 3-2-4, 2-7) close to an identifier word, in either order.
_NINE = r"(?P<num>\d{3}[-. ]?\d{2}[-. ]?\d{4}|\d{2}[-. ]?\d{7})"
_NEAR_BEFORE = re.compile(
    rf"\b(?P<kw>{_KEYWORD})\b[^\d\n]{{0,30}}?(?<!\d){_NINE}(?!\d)", re.IGNORECASE
)
_NEAR_AFTER = re.compile(rf"(?<!\d){_NINE}(?!\d)[^\d\n]{{0,20}}?\b(?P<kw>{_KEYWORD})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Redaction:
    text: str
    kinds: tuple[str, ...]

    @property
    def redacted(self) -> bool:
        return bool(self.kinds)


def _kind_for_digits(digits: str, keyword: str | None = None) -> str:
    kw = (keyword or "").lower()
    if kw.startswith("ein") or kw.startswith("employer"):
        return "ein"
    if kw.startswith("itin") or (digits[0] == "9" and _ITIN_MIDDLE.match(digits[3:5])):
        return "itin"
    if kw.startswith(("tin", "tax", "número", "numero")):
        return "tin"
    return "ssn"


_ANY_NINE = re.compile(r"(?<!\d)" + _NINE + r"(?!\d)")


def redact(text: str) -> Redaction:
    """Replace identifiers with a placeholder; ``kinds`` lists what was removed (sorted, unique)."""
    if not _ANY_NINE.search(text):  # fast path: no nine-digit shape at all
        return Redaction(text, ())
    kinds: set[str] = set()
    spans: list[tuple[int, int]] = []

    for rx in (_NEAR_BEFORE, _NEAR_AFTER):
        for m in rx.finditer(text):
            digits = re.sub(r"\D", "", m.group("num"))
            kinds.add(_kind_for_digits(digits, m.group("kw")))
            spans.append(m.span("num"))
    for m in _SSN_SHAPE.finditer(text):
        kinds.add(_kind_for_digits(m.group(1) + m.group(3) + m.group(4)))
        spans.append(m.span())
    for m in _EIN_SHAPE.finditer(text):
        kinds.add("ein")
        spans.append(m.span())
    if not spans:
        return Redaction(text, ())

    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:  # overlapping matches of the same identifier
            start = pos
            if start >= end:
                continue
        out.append(text[pos:start])
        out.append(PLACEHOLDER)
        pos = end
    out.append(text[pos:])
    return Redaction("".join(out), tuple(sorted(kinds)))
