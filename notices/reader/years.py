"""Tax years and periods in any printed form: "Tax year 2024", "tax periods 2021 and 2022", "TY 24",
"2019-2021", "for my 2023 return"; period-end dates come from the date reader."""

from __future__ import annotations

import re
from datetime import date

from notices.reader.text import WordPattern, alternation, branches

_Y = r"(?:19|20)\d{2}"
_LIST_TAIL = rf"(?:\s*(?:,|and|&|y|e|/|-|–|to|through|thru|al|a|hasta)\s*(?:{_Y}))*"
_YEAR_LIST = _Y + _LIST_TAIL
_TAX_YEAR_LABELS = (
    r"(?:tax\s+)?years?|tax\s+periods?|ty|a[nñ]os?(?:\s+(?:fiscal|tributario|gravable|contributivo)(?:es)?)?|"
    r"ejercicios?(?:\s+fiscal(?:es)?)?|per[ií]odos?\s+(?:fiscal|tributario)(?:es)?"
)
_RETURN = r"\s+(?:tax(?:es)?|returns?|tax\s+returns?|declaraci[oó]n|form\s+1040)\b"


def _tax_year_body() -> str:
    r"""``\b`` + this is the pattern
        (?:LABELS)\s*[:#]?\s*(?:del?\s+)?(?:'(?P<short>\d{2})\b|(?P<list>YEARS))|(?P<list2>YEARS)RETURN
    with every branch beginning with a plain character (the engine skips those at once): the labels
    grouped by first letter, each group with its own copy of the tail (groups ``short<i>`` and
    ``list<i>``), and "19..."/"20..." with the first digit before group ``rest<d>``. Same matches;
    ``m.lastgroup`` names the group that holds the years."""
    by_first: dict[str, list[tuple[str, str]]] = {}
    for b in branches(_TAX_YEAR_LABELS):
        by_first.setdefault(b[0], []).append(("", b))
    body = [
        f"(?:{alternation(labels, markers=False)[0]})"
        rf"\s*[:#]?\s*(?:del?\s+|)(?:'(?P<short{i}>\d{{2}})\b|(?P<list{i}>{_YEAR_LIST}))"
        for i, labels in enumerate(by_first.values())
    ]
    body += [rf"1(?P<rest1>9\d{{2}}{_LIST_TAIL}){_RETURN}", rf"2(?P<rest2>0\d{{2}}{_LIST_TAIL}){_RETURN}"]
    return "|".join(body)


_TAX_YEAR = WordPattern(_tax_year_body())
# "\bty" and "(?<![\d$.,])(?:19|20)" with the lookbehind after the first characters, so the engine
# looks for those with its fast loop (same matches)
_TY_SHORT_RX = re.compile(r"ty(?<!\wty)\s*'?(?P<yy>\d{2})\b")
_LONE_YEAR_RX = re.compile(rf"{_Y}(?<![\d$.,]\d{{4}})(?![\d%])")
_YEAR_IN_LIST_RX = re.compile(_Y)
_RANGE_RX = re.compile(rf"({_Y})\s*(?:-|–|to|through|thru|al|hasta)\s*({_Y})")


def find(masked: str, period_years: list[int], today: date, lone_years: bool = True) -> tuple[int, ...]:
    """Tax years; ``lone_years``: with no labelled year, any year left in the text (chat messages only)."""
    years: set[int] = set(period_years)
    for start, m in _TAX_YEAR.finditer(masked):
        group = m.lastgroup or ""
        if group.startswith("short"):
            years.add(2000 + int(m.group(group)))
            continue
        # "rest1" holds the years after their first digit
        chunk = masked[start] + m.group(group) if group.startswith("rest") else m.group(group)
        years.update(int(y) for y in _YEAR_IN_LIST_RX.findall(chunk))
        for a, b in _RANGE_RX.findall(chunk):
            lo, hi = sorted((int(a), int(b)))
            if hi - lo <= 10:
                years.update(range(lo, hi + 1))
    if "ty" in masked:
        years.update(2000 + int(m.group("yy")) for m in _TY_SHORT_RX.finditer(masked))
    if not years and lone_years:  # no explicit label: any year left in the text that is not part of a date
        years.update(int(y) for y in _LONE_YEAR_RX.findall(masked))
    return tuple(sorted(y for y in years if 1990 <= y <= today.year))
