"""Dates and their roles (notice date, respond-by date, received date, tax period, payment date).

The role comes from the label before a date ("Notice date", "Pay by", "received", "Tax period");
a date without a year resolves by role: a notice, received or payment date is in the past; a printed
respond-by date lies near the notice date (an overdue deadline stays overdue). Numeric dates are
day-first for Spanish and whenever a first number above 12 shows the writer's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from notices import catalog, words
from notices.reader.text import WordPattern, alternation, branches, scan

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9, "set": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12, "dic": 12,
}
_MONTH_RX = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "couple": 2, "couple of": 2, "few": 3, "un": 1, "una": 1, "uno": 1,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "par de": 2, "unos": 3, "unas": 3,
}
_NUM_WORD_RX = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))

_ORD = r"(?:st|nd|rd|th|º|°|ª|ro|do|er|o|a)?"  # NFKC turns "1º" into "1o"
_YEAR_TAIL = r"(?:\s*,?\s*(?:de(?:l)?\s+|of\s+)?(?P<{y}>\d{{4}}|'\d{{2}})(?![\d,.]\d))?"
_DATE_RX = re.compile(
    r"\b(?<![\w/.-])(?:"  # \b first: the engine skips positions inside words quickly
    # ISO 2026-11-02 or 2026/11/02
    r"(?P<iso_y>(?:19|20)\d{2})[-/.](?P<iso_m>\d{1,2})[-/.](?P<iso_d>\d{1,2})(?![\d/-])"
    # numeric 11/02/2026, 11-02-26, 11/02 (month or day first: decided later)
    r"|(?P<us_m>\d{1,2})(?P<sep>[/.-])(?P<us_d>\d{1,2})(?:(?P=sep)(?P<us_y>\d{4}|\d{2}))?(?![\d/])"
    # November 2, 2026 / Nov. 3rd / noviembre 12 de 2026 ("ago" is a month only before a day)
    rf"|(?P<md_m>{_MONTH_RX})\.?\s+(?:the\s+)?(?P<md_d>\d{{1,2}}){_ORD}(?!\d)"
    + _YEAR_TAIL.format(y="md_y")
    # 12 de noviembre de 2026 / 3rd of November / 2 Nov 2026 / 15 ago 2026 / 1º de diciembre
    + rf"|(?:the\s+)?(?P<dm_d>\d{{1,2}}){_ORD}\s*(?:de\s+|of\s+)?(?P<dm_m>{_MONTH_RX})\b\.?"
    + _YEAR_TAIL.format(y="dm_y")
    # November 2026 (no day): masked so its year is not taken for a tax year, but no date
    + rf"|(?P<my_m>{_MONTH_RX})\.?\s+(?:de(?:l)?\s+)?(?P<my_y>(?:19|20)\d{{2}})"
    # "the 12th", "el día 12": a day of a month near today
    + r"|(?:the\s+|el\s+(?:d[ií]a\s+)?)(?P<do_d>\d{1,2})(?:st|nd|rd|th|º)"
    # weekdays: the past one for notice/received dates, the next one for a due date
    + r"|(?:last\s+|this\s+|next\s+|el\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)(?:\s+pasado)?"
    + r"|(?P<rel_day>today|tonight|this\s+morning|hoy(?:\s+mismo)?|day\s+before\s+yesterday|"
    r"yesterday|anteayer|antier|antes\s+de\s+ayer|ayer|tomorrow|pasado\s+ma[nñ]ana|ma[nñ]ana)"
    rf"|(?P<ago_n>\d{{1,2}}|{_NUM_WORD_RX})\s+(?P<ago_u>days?|weeks?)\s+ago"
    rf"|hace\s+(?:(?P<hace_n>\d{{1,2}}|{_NUM_WORD_RX})\s+)?(?P<hace_u>d[ií]as?|semanas?)"
    r"|(?P<last_week>last\s+week|la\s+semana\s+pasada)"
    rf"|(?:in|en)\s+(?P<in_n>\d{{1,3}}|{_NUM_WORD_RX})\s+(?P<in_u>days?|weeks?|d[ií]as?|semanas?)"
    r")(?![\w])",
)
# Where a date may begin, one character early (after no letter, digit, "/", "." or "-"): a superset of
# the branches above, each cut to its first words, so ``scan`` tries ``_DATE_RX`` only there (the
# engine finds these with its fast loop; ``_DATE_RX`` alone is tried at every position).
_MONTH_WORDS = sorted(_MONTHS, key=len, reverse=True)
_NUM_WORDS = [re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)]
_WEEKDAY_RX = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[eé]rcoles|jueves|" \
    r"viernes|s[aá]bado|domingo"
_DATE_WORDS, _ = alternation([("", rx) for rx in [
    *(rf"{m}\.?\s+(?:the\s+|del?\s+)?\d" for m in _MONTH_WORDS),  # November 2 / November 2026
    r"the\s+\d", r"el\s+",  # the 3rd (of November), el día 12, el lunes
    *(rf"{w}\s+(?:{_WEEKDAY_RX})" for w in ("last", "this", "next")), *branches(_WEEKDAY_RX),
    *branches(r"today|tonight|this\s+morning|hoy|day\s+before\s+yesterday|yesterday|anteayer|antier|"
              r"antes\s+de\s+ayer|ayer|tomorrow|pasado\s+ma[nñ]ana|ma[nñ]ana"),
    *(rf"{w}\s+(?:days?|weeks?)\s+ago" for w in _NUM_WORDS), r"hace\s", r"last\s+week", r"la\s+semana\s+pasada",
    *(rf"{w}\s+(?:\d{{1,3}}|{_NUM_WORD_RX})\s+(?:day|week|d[ií]a|semana)" for w in ("in", "en")),
]], markers=False)
_MONTH_TREE, _ = alternation([("", m) for m in _MONTH_WORDS], markers=False)
_DATE_AT = re.compile(
    r"[^-./0-9A-Z_a-z](?:"  # not a word character, "/", "." or "-" (or any non-ASCII one)
    # a digit: ISO 19xx/20xx-m, numeric d/m (never followed by a digit), "3rd of November" (the ordinal:
    # any two letters), "2 days ago"
    rf"\d(?:(?<=1)9\d\d[-/.]\d|(?<=2)0\d\d[-/.]\d|\d?(?:[/.-]\d\d?(?!\d)"
    rf"|[a-zº°ª]{{0,2}}\s*(?:de\s+|of\s+|)(?:{_MONTH_TREE})|\s+(?:days?|weeks?)\s+ago))"
    rf"|{_DATE_WORDS})"
)
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miercoles": 2, "miércoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "sábado": 5,
    "domingo": 6,
}
_REL_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "hoy": 0, "hoy mismo": 0, "yesterday": -1, "ayer": -1,
    "day before yesterday": -2, "anteayer": -2, "antier": -2, "antes de ayer": -2, "tomorrow": 1,
    "mañana": 1, "manana": 1, "pasado mañana": 2, "pasado manana": 2,
}

# Labels before a date tell its role; the nearest one wins. Longer phrases come first so "due date"
# is not read as "date"; neutral phrases ("amount due") block a stale label; "ignore" labels (a date
# of birth, a "last updated" line) keep a date out of every role; "paid" is a payment, in the past.
_LABELS = [
    ("ignore", r"date\s+of\s+birth|birth\s*date|born(?:\s+on)?|d\.?o\.?b\.?|fecha\s+de\s+nacimiento|"
               r"naci(?:d[oa]|miento)?(?:\s+el)?|as\s+of|updated|actualizad[oa]|revised|rev\.|"
               r"transactions\s+after|previously\s+sent|we\s+sent\s+you|le\s+enviamos"),
    ("paid", r"(?:i\s+|we\s+)?paid(?:\s+\$?[\d,.]+)?(?:\s+on)?|payment\s+(?:received|made|posted|of\s+\$?[\d,.]+\s+on)|"
             r"pagu[eé](?:\s+\$?[\d,.]+)?(?:\s+el)?|pago\s+(?:recibido|hecho)(?:\s+el)?"),
    ("neutral", r"amount\s+due|balance\s+due|total\s+due|cantidad\s+adeudada|saldo\s+adeudado|"
                r"monto\s+adeudado|amount\s+owed"),
    ("tax_period", r"tax\s+periods?(?:\s+end(?:ing|ed))?|periods?\s+end(?:ing|ed)|per[ií]odos?(?:\s+tributarios?)?"
                   r"(?:\s+que\s+termin(?:a|an|ó))?|tax\s+years?\s+end(?:ing|ed)|for\s+the\s+period\s+ending"),
    ("received", r"received(?:\s+(?:it|the\s+\w+))?(?:\s+on)?|date\s+received|got\s+it(?:\s+on)?|"
                 r"arrived(?:\s+on)?|came(?:\s+in\s+the\s+mail)?(?:\s+on)?|in\s+the\s+mail(?:\s+on)?|"
                 r"delivered(?:\s+on)?|(?:me\s+)?lleg[oó](?:\s+el)?|lo\s+recib[ií]|la\s+recib[ií]|"
                 r"recib[ií](?:do|da)?(?:\s+el)?|\bgot\b"),
    ("due", r"due\s+date|payment\s+due|pay(?:ment)?\s+(?:it\s+)?by|pay\s+before|respond\s+by|"
            r"reply\s+by|response\s+due|respond\s+before|must\s+(?:pay|respond|reply)\s+by|due\s+(?:by|on)|"
            r"deadline(?:\s+is)?|no\s+later\s+than|last\s+(?:day|date)\b|until|\bdue\b|\bby\b|\bbefore\b|"
            r"fecha\s+l[ií]mite|fecha\s+de\s+vencimiento|fecha\s+de\s+pago|vencimiento|vence(?:n)?(?:\s+el)?|"
            r"(?:pagar|pague|paga|responder|responda|contestar|conteste)\s+(?:antes\s+del?|para\s+el|el)|"
            r"antes\s+del?|a\s+m[aá]s\s+tardar(?:\s+el)?|hasta\s+el|tengo\s+hasta(?:\s+el)?|plazo(?:\s+hasta)?"),
    ("notice", r"notice\s+date|date\s+of\s+(?:the\s+)?(?:notice|letter)|letter\s+date|dated|issued(?:\s+on)?|"
               r"mailed(?:\s+on)?|sent(?:\s+on)?|\bdate\b|fecha\s+del?\s+(?:aviso|la\s+carta|carta|notificaci[oó]n)|"
               r"fechad[oa](?:\s+el)?|con\s+fecha(?:\s+del?)?|emitid[oa](?:\s+el)?|enviad[oa](?:\s+el)?|\bfecha\b|"
               r"\bfrom\s*$|\bes\s+del\s*$"),  # "it's from Nov 2" (only right before the date)
]
# One alternation grouped by first letter (the engine skips the other letters' branches at once); a
# "\b" that begins a branch is the one before the whole pattern.
_LABEL_BODY, _LABEL_KIND = alternation([(k, b.removeprefix(r"\b")) for k, rx in _LABELS for b in branches(rx)])
_LABEL_RX = re.compile(rf"\b(?:{_LABEL_BODY})")
_LABEL_REACH = 45  # characters before a date searched for its label
# Only a conjunction between two dates: the second one shares the first one's label ("December 31,
# 2021 and December 31, 2022" after "Tax periods").
_JOIN_RX = re.compile(r"\s*(?:,|;|&|and|y|e|/|-|to|through|al|hasta)?\s*")


@dataclass
class DateHit:
    start: int
    end: int
    y: int | None
    m: int
    d: int
    absolute: date | None = None  # relative dates resolve immediately
    weekday: int | None = None  # a weekday name: resolved once we know past or future
    mask_only: bool = False  # "November 2026": hide the year, but it is not a date
    day_only: bool = False  # "the 12th"
    ambiguous: bool = False  # a numeric date both of whose first numbers could be the month


@dataclass
class Dates:
    """What the dates in a text say: one date per role, tax-period years, spans to mask."""

    found: dict[str, date] = field(default_factory=dict)
    period_years: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)  # roles whose date was an ambiguous numeric one


@cache
def longest_window() -> int:
    """The longest response window in the catalog: how far after a notice date a printed date may be."""
    days = [n.window_days_abroad or n.window_days or 0 for n in catalog.all_notices()]
    return max([*days, 150])


def _num_word(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else NUMBER_WORDS.get(re.sub(r"\s+", " ", s), 1)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    raw = raw.lstrip("'")
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _hit(m: re.Match, today: date, day_first: bool) -> DateHit | None:
    g = m.group  # groupdict() would build a 25-key dict per date
    s, e = m.span()
    if g("iso_y"):
        return DateHit(s, e, int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("us_m"):
        a, b = int(g("us_m")), int(g("us_d"))
        year = _year(g("us_y"))
        if g("sep") == "." and year is None:  # "3.5" is a number, not a date
            return None
        if a > 12 or (day_first and b <= 12):
            a, b = b, a
        return DateHit(s, e, year, a, b, ambiguous=a <= 12 and b <= 12 and a != b)
    if g("md_m"):
        return DateHit(s, e, _year(g("md_y")), _MONTHS[g("md_m").lower()], int(g("md_d")))
    if g("dm_m"):
        return DateHit(s, e, _year(g("dm_y")), _MONTHS[g("dm_m").lower()], int(g("dm_d")))
    if g("my_m"):
        return DateHit(s, e, int(g("my_y")), 1, 1, mask_only=True)
    if g("do_d"):
        return DateHit(s, e, None, today.month, int(g("do_d")), day_only=True)
    if g("wd"):
        return DateHit(s, e, None, 1, 1, weekday=_WEEKDAYS[g("wd")])
    if g("rel_day"):
        delta = _REL_DAYS[re.sub(r"\s+", " ", g("rel_day").lower())]
    elif g("ago_n"):
        delta = -_num_word(g("ago_n")) * (7 if g("ago_u").lower().startswith("week") else 1)
    elif g("hace_u"):
        n = _num_word(g("hace_n")) if g("hace_n") else 1
        delta = -n * (7 if g("hace_u").lower().startswith("semana") else 1)
    elif g("last_week"):
        delta = -7
    else:
        unit = g("in_u").lower()
        delta = _num_word(g("in_n")) * (7 if unit.startswith(("week", "semana")) else 1)
    d = today + timedelta(days=delta)
    return DateHit(s, e, d.year, d.month, d.day, absolute=d)


def _candidates(hit: DateHit, today: date) -> list[date]:
    if hit.day_only:  # "the 12th": this month, last month or next month
        firsts = [(today.replace(day=1) + timedelta(days=32 * k)).replace(day=1) for k in (0, 1)]
        firsts.append((today.replace(day=1) - timedelta(days=1)).replace(day=1))
        return [d for f in firsts if (d := _mk(f.year, f.month, hit.d))]
    return [d for y in (today.year - 1, today.year, today.year + 1) if (d := _mk(y, hit.m, hit.d))]


def resolve(hit: DateHit, today: date, role: str, anchor: date | None = None) -> date | None:
    """The date a hit means in ``role``: "past" (notice, received, paid) or "due" (near ``anchor``,
    the notice date, when there is one; otherwise the nearest to today, an earlier one on a tie)."""
    if hit.absolute:
        return hit.absolute
    if hit.weekday is not None:
        ahead = (hit.weekday - today.weekday()) % 7
        return today + timedelta(days=ahead) if role == "due" else today - timedelta(days=(7 - ahead) % 7)
    if hit.y is not None:
        return _mk(hit.y, hit.m, hit.d)
    options = _candidates(hit, today)
    if not options:
        return None
    if role != "due":
        past = [d for d in options if d <= today]
        return max(past) if past else min(options)
    if anchor is not None:
        near = [d for d in options if anchor <= d <= anchor + timedelta(days=longest_window())]
        if near:
            return min(near)
    return min(options, key=lambda d: (abs((d - today).days), d))


def _label_before(text: str, start: int, floor: int) -> str | None:
    reach = max(floor, start - _LABEL_REACH)  # every search stays in reach: the reader is linear
    line_start = text.rfind("\n", reach, start) + 1 or reach
    # a date that opens its line takes its label from the lines above ("Notice date\n\nOctober 7, 2026")
    window_start = reach if not text[line_start:start].strip(" \t:,.-") else line_start
    last = None
    for m in _LABEL_RX.finditer(text, window_start, start):
        last = m.lastgroup
    return _LABEL_KIND[last] if last else None


# Words that show a message is written in Spanish.
_SPANISH = WordPattern(
    r"(?:" + alternation([("", b) for b in branches(
        r"fechad[oa]|fecha|aviso|carta|pague|pagar|vence|venc\w+|recib[ií]\w*|lleg[oó]|a[nñ]o|debo|adeudad[oa]|"
        r"cantidad|tengo|el\s+d[ií]a|del?\s+irs")], markers=False)[0] + r")\b"
)
# Every match of _SPANISH holds one of these words, or is one of the last three branches: looked for
# one by one from their first letters (the engine's fast search for a literal), the lookbehind being
# the "\b" before them. A long English notice has none of the words.
_SPANISH_WORDS = ("fecha", "aviso", "carta", "pague", "pagar", "venc", "recib", "lleg", "debo", "adeudad",
                  "cantidad", "tengo")
_SPANISH_SHORT_RX = [re.compile(r"ano(?<!\wano)\b"), re.compile(r"año(?<!\waño)\b"),
                     re.compile(r"el(?<!\wel)\s+d[ií]a\b"), re.compile(r"de(?<!\wde)l?\s+irs\b")]


def _spanish(text: str) -> bool:
    if any(w in text for w in _SPANISH_WORDS):
        return bool(_SPANISH.search(text))
    return any(rx.search(text) for rx in _SPANISH_SHORT_RX)


def _day_first(text: str, matches: list[re.Match], lang: str) -> bool:
    """Writers of a day-first language (Spanish) put the day first; so does anyone who writes 13/11 or
    25/12. Decided from the numeric dates already found, so it costs no pass over the text unless one
    is ambiguous."""
    if words.day_first(lang):
        return True
    numeric = [(int(m.group("us_m")), int(m.group("us_d"))) for m in matches if m.group("us_m")]
    if any(a > 12 >= b for a, b in numeric):
        return True
    return any(a <= 12 and b <= 12 for a, b in numeric) and _spanish(text)


def find(text: str, today: date, lang: str = "en", strict: bool = False) -> Dates:
    """Dates by role. ``strict`` (the text of a real notice): an unlabelled date never becomes a due date."""
    out = Dates()
    unlabeled: list[DateHit] = []
    pending_due: list[DateHit] = []
    prev_end, prev_label = 0, None
    matches = scan(_DATE_AT, _DATE_RX, text)
    day_first = _day_first(text, matches, lang)
    for m in matches:
        hit = _hit(m, today, day_first)
        if hit is None:
            continue
        label = _label_before(text, hit.start, prev_end)
        if label is None and prev_end and _JOIN_RX.fullmatch(text, prev_end, hit.start):
            label = prev_label
        if hit.y is None and label in (None, "neutral", "tax_period") and (
            (m.group("us_m") and "/" not in m.group()) or hit.weekday is not None or hit.day_only
        ):
            continue  # an unlabeled "11-02", "Monday" or "the 12th" is too weak to be a date
        out.spans.append((hit.start, hit.end))
        prev_end, prev_label = hit.end, label
        if hit.mask_only or label == "ignore":
            continue
        if label == "tax_period":
            if hit.y and hit.weekday is None:
                out.period_years.append(hit.y)
            continue
        if label == "due":
            pending_due.append(hit)  # resolved once the notice date is known
        elif label in ("notice", "received", "paid"):
            d = resolve(hit, today, "past")
            if d and label not in out.found:
                out.found[label] = d
                if hit.ambiguous:
                    out.ambiguous.add(label)
        elif hit.absolute is not None:
            # "in 10 days" is a deadline; an unlabeled "yesterday" is when the letter came.
            if hit.absolute > today:
                pending_due.append(hit)
            else:
                out.found.setdefault("received", hit.absolute)
        else:
            unlabeled.append(hit)
    for hit in unlabeled:
        past = resolve(hit, today, "past")
        if past is None:
            continue
        if "notice" not in out.found and (hit.y is None or past <= today):
            out.found["notice"] = past
            if hit.ambiguous:
                out.ambiguous.add("notice")
        elif not strict and not pending_due:
            pending_due.append(hit)
    for hit in pending_due:
        d = resolve(hit, today, "due", out.found.get("notice"))
        if d and (out.found.get("notice") is None or d >= out.found["notice"]):
            out.found["due"] = d
            if hit.ambiguous:
                out.ambiguous.add("due")
            break
    out.found.pop("paid", None)  # a payment date is never a notice's date
    return out
