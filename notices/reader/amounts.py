"""The amount owed. Each amount is scored by the words before it, as an expert reads a notice: "Amount
due", "Pay the amount due of" and "you owe" win; a line of the billing summary ("Tax you owed",
"Failure-to-pay penalty"), a refund, a credit or a payment never is the amount owed."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal, InvalidOperation

from notices.reader.text import WordPattern, alternation, split_alternatives

_NUM = r"\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# ``_NUM`` once its first digit is read (``\d{1,3}`` -> ``\d{0,2}``, ``\d+`` -> ``\d*``).
_NUM_REST = r"\d{0,2}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?|\d*(?:[.,]\d{1,2})?"
# An amount with its currency ("$", "us$", "usd", "us dollars") or a bare number not inside another.
# The pattern begins with the class of its first character, so the engine finds candidates with its
# fast loop; it matches what this one does, at the same places and with the same end:
#   (?=[\d$u])(?:(?P<cur>(?:us\s?)?\$|usd|us\s+dollars)\s*|(?<![\w.,$]))(?P<n>NUM)TAIL
# ``n`` is the number after a currency; a bare number is its first digit and ``r``.
_AMOUNT = (
    r"(?:(?<![\w.,$]\d)(?<=\d)(?P<r>" + _NUM_REST + r")"
    r"|(?:(?<=\$)|(?<=u)s(?:\s?\$|d|\s+dollars))\s*(?P<n>" + _NUM + r"))"
    r"(?:\s*(?P<k>k|mil|thousand|grand|g)\b)?(?:\s*(?P<word>dollars?|d[oó]lares|usd|bucks)\b)?(?![\d%])"
)
_AMOUNT_RX = re.compile(r"[$u\d]" + _AMOUNT)
_AMOUNT_ASCII_RX = re.compile(r"[$u0-9]" + _AMOUNT)  # the same in an ASCII text (a plain bitmap: faster)
# Strongest first. A label counts for the amount right after it (same line or the line below).
_LABELS = [
    ("skip", r"refund\w*|reembolso|overpa\w+|credits?|cr[eé]ditos?|payments?\s+and\s+credits|paid|pagu[eé]|"
             r"pagos?\s+y\s+cr[eé]ditos|payments?\s+(?:received|made)|wages|salari\w+|income|ingresos|"
             r"withh[oe]ld\w*|retenci[oó]n|interest\s+(?:charges|paid)|penalt\w+|multas?|recargos?|"
             r"intereses|tax\s+you\s+owed|amount\s+you\s+owed|previous\s+balance|minimum\s+payment|"
             r"box\s+\d+|page\s+\d+|p[aá]gina\s+\d+|caller\s+id|phone|tel[eé]fono|zip"),
    ("due", r"amount\s+due|balance\s+due|total\s+(?:amount\s+)?due|pay\s+the\s+amount\s+due(?:\s+of)?|"
            r"amount\s+you\s+owe|you\s+owe|total\s+you\s+owe|balance\s+of|current\s+balance|"
            r"cantidad\s+adeudada|saldo\s+adeudado|monto\s+adeudado|cantidad\s+que\s+debe|usted\s+debe|"
            r"saldo\s+(?:total|pendiente)|deficiency|deficiencia|proposed\s+amount|"
            r"total\s+amount\s+you\s+owe|unpaid\s+balance|saldo\s+de"),
    ("money", r"owe[sd]?|owing|amount|balance|total|bill(?:ed)?|pay|debo|debe|deber|adeud\w*|cantidad|saldo|"
              r"monto|deuda|pagar|cobr\w*|por"),
]
_LABEL_BODY, _LABEL_KIND = alternation([(k, alt) for k, rx in _LABELS for alt in split_alternatives(rx)])
_LABEL = WordPattern(rf"(?:{_LABEL_BODY})\b")
_SCORE = {"due": 4, "money": 2}
_REACH = 40  # characters between a label and its amount
# What may stand between a label and the number: a few words ("amount due is"), not another number.
_FILLER_RX = re.compile(r"[^\w$]*(?:[a-záéíóúñü]+[^\w$]+){0,4}")
_Y = r"(?:19|20)\d{2}"


_SEPARATORS_RX = re.compile(r"[.,\s]")


def parse_number(raw: str) -> Decimal | None:
    raw = raw.strip()
    i = max(raw.rfind("."), raw.rfind(","), raw.rfind(" "))  # the last separator
    if i >= 0:
        tail = len(raw) - i - 1
        if raw[i] in ".," and tail in (1, 2):  # last separator is the decimal mark
            raw = _SEPARATORS_RX.sub("", raw[:i]) + "." + raw[i + 1:]
        else:
            raw = _SEPARATORS_RX.sub("", raw)
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _label(masked: str, start: int, labels: list[tuple[int, str]], ends: list[int]) -> str | None:
    """The label of the amount at ``start``: the nearest label ending before it, within reach.
    ``ends`` is sorted, so only the few labels in reach are looked at (the reader stays linear)."""
    lo = bisect_left(ends, start - _REACH)
    for i in range(bisect_right(ends, start) - 1, lo - 1, -1):  # the last one that fits wins
        e, kind = labels[i]
        if _FILLER_RX.fullmatch(masked, e, start):
            return kind
    return None


_YEAR_RX = re.compile(_Y)
_SCAN_LINE_RX = re.compile(r"\d\s\d{3}\s\d")


def find(masked: str) -> tuple[Decimal | None, list[tuple[int, int]]]:
    """(amount owed, spans of every amount). Ties go to the first amount."""
    best: tuple[int, Decimal] | None = None
    spans: list[tuple[int, int]] = []
    labels = _LABEL.ends(masked, _LABEL_KIND)
    ends = [e for e, _ in labels]
    scored_ends = [e for e, kind in labels if kind in _SCORE]
    for m in (_AMOUNT_ASCII_RX if masked.isascii() else _AMOUNT_RX).finditer(masked):
        start = m.start()
        if m.lastindex == 1:  # a bare number (group "r" closed last: no currency, "k" or "dollars")
            raw, k, word, cur = m.group(), None, None, False
            # cents ("2,518.40") mark money
            has_currency = len(raw) > 3 and raw[-3] in ".,"
        else:
            num, k, word = m.group("n", "k", "word")
            cur = num is not None  # a currency before the number
            raw = num if num is not None else masked[start:m.end("r")]
            # "$", "dollars", "12.5k", or cents mark money
            has_currency = bool(cur or k or word) or (len(raw) > 3 and raw[-3] in ".,")
        if not has_currency:
            # a bare number counts only right after an amount word ("owe 740"): most numbers in a
            # document (ZIP codes, caller IDs, years) have none in reach, and skip the label look-up
            i = bisect_left(scored_ends, start - _REACH)
            if i == len(scored_ends) or scored_ends[i] > start:
                continue
        label = _label(masked, start, labels, ends) if (has_currency or ends) else None
        if not (has_currency or label in _SCORE):
            continue
        if k == "g" and not cur:
            continue  # "5g" is a network, "$5g" five grand
        if not has_currency and (_YEAR_RX.fullmatch(raw) or len(raw) >= 9 and raw.isdigit()):
            continue  # a bare year or nine-digit run is a year or an identifier, not money
        if " " in raw and _SCAN_LINE_RX.search(raw):
            continue  # "0000 0000000": a scan line, not money
        value = parse_number(raw)
        if value is None or value <= 0:
            continue
        if k:
            value *= 1000
        spans.append(m.span())
        if label == "skip" or masked[start - 1:start] in ("-", "("):
            continue  # a refund, a payment, a summary line, or a negative figure ("-3,328.00")
        score = _SCORE.get(label or "", 0) + has_currency
        if best is None or score > best[0]:
            best = (score, value)
    return (best[1].quantize(Decimal("0.01")) if best else None), spans
