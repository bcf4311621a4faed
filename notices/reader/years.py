"""Tax years and periods in any printed form: "Tax year 2024", "tax periods 2021 and 2022", "TY 24",
"2019-2021", "for my 2023 return"; period-end dates come from the date reader."""

from __future__ import annotations

import re
from datetime import date

from notices.reader.text import WordPattern, alternation, branches

_Y = r"(?:19|20)\d{2}"
_YEAR_LIST = rf"{_Y}(?:\s*(?:,|and|&|y|e|/|-|–|to|through|thru|al|a|hasta)\s*(?:{_Y}))*"
_TAX_YEAR_LABELS = (
    r"(?:tax\s+)?years?|tax\s+periods?|ty|a[nñ]os?(?:\s+(?:fiscal|tributario|gravable|contributivo)(?:es)?)?|"
    r"ejercicios?(?:\s+fiscal(?:es)?)?|per[ií]odos?\s+(?:fiscal|tributario)(?:es)?"
)
# "\b" + this is the pattern; the labels are one alternation grouped by first letters (same matches)
_TAX_YEAR = WordPattern(
    "(?:" + alternation([("", b) for b in branches(_TAX_YEAR_LABELS)], markers=False)[0] + ")"
    rf"\s*[:#]?\s*(?:del?\s+|)(?:'(?P<short>\d{{2}})\b|(?P<list>{_YEAR_LIST}))"
    rf"|(?P<list2>{_YEAR_LIST})\s+(?:tax(?:es)?|returns?|tax\s+returns?|declaraci[oó]n|form\s+1040)\b",
)
# "\bty" and "(?<![\d$.,])(?:19|20)" with the lookbehind after the first characters, so the engine
# looks for those with its fast loop (same matches)
_TY_SHORT_RX = re.compile(r"ty(?<!\wty)\s*'?(?P<yy>\d{2})\b")
_LONE_YEAR_RX = re.compile(rf"{_Y}(?<![\d$.,]\d{{4}})(?![\d%])")
_YEAR_IN_LIST_RX = re.compile(_Y)
_RANGE_RX = re.compile(rf"({_Y})\s*(?:-|–|to|through|thru|al|hasta)\s*({_Y})")


def find(masked: str, period_years: list[int], today: date, lone_years: bool = True) -> tuple[int, ...]:
    """Tax years; ``lone_years``: with no labelled year, any year left in the text (chat messages only)."""
    years: set[int] = set(period_years)
    for _, m in _TAX_YEAR.finditer(masked):
        if m.group("short"):
            years.add(2000 + int(m.group("short")))
            continue
        chunk = m.group("list") or m.group("list2")
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
