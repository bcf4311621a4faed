"""Notice codes as the IRS prints them (CP14, CP 504B, CP05, LT11, Letter 1058, LTR 3172) and as people
write them; a code after "after/ignored/next..." names another notice, not the one in hand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from notices import catalog
from notices.reader.text import WordPattern, scan

_Y = r"(?:19|20)\d{2}"
_CODE_RX = re.compile(rf"(?<![a-z0-9]){catalog.CODE_PATTERN}(?![a-z0-9])")
# Where a code may begin, one character early: the first letters of each branch, or a number with a
# letter's suffix or followed by "letter" (``scan`` tries _CODE_RX only there). The number is taken
# whole (possessive): a shorter take is followed by a digit, which no branch allows.
_CODE_AT = re.compile(r"[^a-z0-9](?:c(?:p|arta)|l(?:t|ett(?:er|re))|\d{2,4}+(?:-?[cj]|\s+(?:letter|carta)))")
_NOTICE_NUMBER = WordPattern(r"(?:notice|aviso|notificaci[oó]n)\s+(?:no\.?\s*|#\s*)?(?P<num>\d{2,4}[a-z]?)\b")
# A code after these words is a past or future notice, not the one in hand.
_DEMOTE_RX = re.compile(
    r"(?:after|before|ignor\w*|previous|prior|earlier|instead\s+of|then\s+(?:a|an|the)|will\s+(?:i\s+)?get|"
    r"next|followed\s+by|despu[eé]s\s+del?|antes\s+del?|anterior|luego\s+(?:un|el))\W+(?:\w+\W+){0,2}$",
)


# OCR reads the digits of a code as look-alike letters ("CPO5", "CPI1", "CP1l"); same length, so
# positions stay valid. Only runs with at least one real digit are changed ("cpo" stays a word).
_OCR_DIGITS_RX = re.compile(r"(?<![a-z0-9])(cp|lt)([0-9oil]*[0-9][0-9oil]*)(?=[a-z]?(?![a-z0-9]))")
_OCR_TO_DIGIT = str.maketrans("oil", "011")
# A "cp"/"lt" followed by digits and look-alike letters: without one, the fix changes nothing.
_OCR_CP_RX = re.compile(r"cp(?:[0-9]+[oil]|[oil]+[0-9])")
_OCR_LT_RX = re.compile(r"lt(?:[0-9]+[oil]|[oil]+[0-9])")


def _ocr_digits(m: re.Match) -> str:
    return m.group(1) + m.group(2).translate(_OCR_TO_DIGIT)


# After the word "Notice" in a header, OCR sometimes adds a letter to the prefix ("CcP11").
_OCR_HEADER = WordPattern(r"notice\s+[a-z]{0,2}(?P<prefix>cp|lt)(?P<num>\d{2,4}[a-z]?)\b")


@dataclass(frozen=True)
class CodeHit:
    code: str
    start: int
    end: int
    demoted: bool


def find(text: str) -> list[CodeHit]:
    """Every code in ``text`` (lower case), in order."""
    hits: list[CodeHit] = []
    if _OCR_CP_RX.search(text) or _OCR_LT_RX.search(text):
        text = _OCR_DIGITS_RX.sub(_ocr_digits, text)
    for m in scan(_CODE_AT, _CODE_RX, text):
        code = catalog.code_from_match(m)
        known = catalog.is_known(code)
        if (m.group("bare_num") or m.group("rev_num")) and not known:
            continue  # "30c" or "a 500 letter" are not letters unless we know the code
        if m.group("ltr_num") and not m.group("ltr_suf") and not known and (
            len(m.group("ltr_num")) < 3 or re.match(_Y, m.group("ltr_num"))
        ):
            continue  # "letter 2 days ago", "letter 2024": a count or a year, not a letter number
        hits.append(CodeHit(code, m.start(), m.end(), False))
    if not hits:  # "notice 504", "aviso 1058": a number alone, if it names a known notice
        for _, m in _NOTICE_NUMBER.finditer(text):
            num = m.group("num").upper()
            found = next((c for c in (f"CP{num}", f"LTR{num}", f"LT{num}") if catalog.is_known(c)), None)
            if found:
                hits.append(CodeHit(found, m.start("num"), m.end("num"), False))
    if not hits:  # "Notice\nCcP11" read by OCR: a code prefix with a stray letter before it
        for _, m in _OCR_HEADER.finditer(text):
            ocr_code = catalog.canonical_code(m.group("prefix") + m.group("num"))
            if ocr_code:
                hits.append(CodeHit(ocr_code, m.start("prefix"), m.end("num"), False))
    if len({h.code for h in hits}) > 1:
        hits = [CodeHit(h.code, h.start, h.end, bool(_DEMOTE_RX.search(text, max(0, h.start - 30), h.start)))
                for h in hits]
    return hits


def primary(hits: list[CodeHit]) -> list[str]:
    """Distinct codes in hand, in order of first mention (all of them when every one is demoted)."""
    kept = [h.code for h in hits if not h.demoted] or [h.code for h in hits]
    return list(dict.fromkeys(kept))
