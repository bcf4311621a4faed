"""The parts of a document: is it a printed IRS notice, is it a notice at all (a W-2, a 1099, a bank
statement, a state letter), where does each notice start, and what is page furniture (page headers,
scan lines) that no field may come from."""

from __future__ import annotations

import re

from notices.reader.codes import CodeHit
from notices.reader.text import WordPattern

# Marks of a printed IRS notice; two or more make a text a notice's own words.
_PRINTED_MARKS = [
    r"department\s+of\s+the\s+treasury|departamento\s+del\s+tesoro",
    r"internal\s+revenue\s+service|servicio\s+de\s+impuestos\s+internos",
    r"notice\s+date|fecha\s+del\s+aviso|letter\s+date",
    r"\bpage\s+\d+\s+of\s+\d+|p[aá]gina\s+\d+\s+de\s+\d+",
    r"your\s+caller\s+id|su\s+identificaci[oó]n\s+de\s+llamada|to\s+contact\s+us|para\s+comunicarse",
    r"billing\s+summary|resumen\s+de\s+(?:la\s+)?facturaci[oó]n|account\s+summary",
    r"payment\s+stub|payable\s+to\s+(?:the\s+)?united\s+states\s+treasury|pagadero\s+al",
    r"what\s+you\s+need\s+to\s+do|lo\s+que\s+tiene\s+que\s+hacer|continued\s+on\s+back",
]
_PRINTED_RX = [re.compile(rx) for rx in _PRINTED_MARKS]
# Page headers and the scan line of a payment stub: their numbers are no year and no amount.
_FURNITURE = WordPattern(
    r"p(?:age\s+\d+\s+of\s+\d+|[aá]gina\s+\d+\s+de\s+\d+)|\d(?<![$.,]\d)\d{3,}(?:\s+\d{4,}){2,}(?![\d.,])"
)

# Documents that are not notices about money owed. Checked only when no IRS notice code is found.
_NOT_NOTICES = [
    ("w2", r"\bw-?2\b|wage\s+and\s+tax\s+statement|comprobante\s+de\s+salarios"),
    ("1099", r"\b1099(?:-?[a-z]{1,3})?\b"),
    ("1098", r"\b1098(?:-?[a-z])?\b|mortgage\s+interest\s+statement"),
    ("statement", r"statement\s+period|beginning\s+balance|ending\s+balance|minimum\s+payment\s+due|"
                  r"credit\s+limit|available\s+credit|estado\s+de\s+cuenta|saldo\s+(?:inicial|final)"),
    ("state", r"franchise\s+tax\s+board|department\s+of\s+(?:taxation|revenue|finance)|comptroller|"
              r"state\s+tax\s+(?:board|commission)|tax\s+commissioner|departamento\s+de\s+hacienda"),
]
_NOT_NOTICE_RX = [(k, re.compile(rx)) for k, rx in _NOT_NOTICES]
_IRS_RX = re.compile(r"\birs\b|internal\s+revenue\s+service|servicio\s+de\s+impuestos\s+internos")
# Where a clause ends: a second notice in a message starts after one of these.
_CLAUSE_REACH = 200  # how far back from a new code its clause or line may start
_BREAK_RX = re.compile(r"\n|[.;!?](?:\s|$)|,\s|\s(?:and|also|plus|y|tambi[eé]n|adem[aá]s)\s")


def printed(low: str) -> bool:
    """True when the text has a printed notice's structure (not a chat message)."""
    return sum(1 for rx in _PRINTED_RX if rx.search(low)) >= 2


def furniture(low: str) -> list[tuple[int, int]]:
    return [(start, m.end()) for start, m in _FURNITURE.finditer(low)]


def not_a_notice(low: str, has_code: bool) -> str | None:
    """The kind of document when it is not an IRS notice about money owed ("w2", "1099", "1098",
    "statement", "state"), else None."""
    if has_code:
        return None
    for kind, rx in _NOT_NOTICE_RX:
        if rx.search(low):
            if kind == "state" and _IRS_RX.search(low) and not re.search(r"\bstate\b", low):
                continue
            return kind
    return None


def sections(low: str, hits: list[CodeHit]) -> list[tuple[int, int]]:
    """One (start, end) span per notice: a new section starts at the clause or line that brings a code
    not seen before; repeats of a code (page headers, the payment stub) stay in their notice."""
    starts: list[int] = [0]
    seen: set[str] = set()
    for h in hits:
        if h.demoted or h.code in seen:
            continue
        if seen:
            floor = starts[-1]
            cut = floor
            for m in _BREAK_RX.finditer(low, max(floor, h.start - _CLAUSE_REACH), h.start):
                cut = m.start() if m.group().strip() in ("and", "also", "plus", "y", "también", "además") \
                    else m.end()
            starts.append(max(cut, floor + 1) if cut > floor else h.start)
        seen.add(h.code)
    ends = [*starts[1:], len(low)]
    return list(zip(starts, ends, strict=True))
