"""Read what people write (English or Spanish) into a draft notice.

Pipeline: redact identifiers -> find codes, dates (with the label before each) and amounts ->
mask what was recognised -> tax years from what remains. Everything is precompiled regular
expressions; no dateparser on this path (it is ~1000x slower).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from notices import catalog, deadlines, facts
from notices.redact import redact

# All patterns are lower case and run on a lower-cased copy of the text: case-insensitive
# matching is several times slower in the re engine.

# --- months and numbers ----------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "ago.": 8, "septiembre": 9, "setiembre": 9, "set": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12, "dic": 12,
}
_MONTH_RX = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "couple": 2, "couple of": 2, "few": 3, "un": 1, "una": 1, "uno": 1,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "par de": 2, "unos": 3, "unas": 3,
}
_NUM_WORD_RX = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))

# --- date expressions (each alternative is a named group set) ---------------------------------

_ORD = r"(?:st|nd|rd|th|º|°|ro|do|er)?"
_YEAR_TAIL = r"(?:,?\s*(?:de(?:l)?\s+|of\s+)?(?P<{y}>\d{{4}}|'\d{{2}}))?"
_DATE_RX = re.compile(
    r"(?<![\w/.-])(?:"
    # ISO 2026-11-02 or 2026/11/02
    r"(?P<iso_y>(?:19|20)\d{2})[-/.](?P<iso_m>\d{1,2})[-/.](?P<iso_d>\d{1,2})(?![\d/-])"
    # US numeric 11/02/2026, 11-02-26, 11/02
    r"|(?P<us_m>\d{1,2})(?P<sep>[/.-])(?P<us_d>\d{1,2})(?:(?P=sep)(?P<us_y>\d{4}|\d{2}))?(?![\d/])"
    # November 2, 2026 / Nov. 3rd / noviembre 12 de 2026
    rf"|(?P<md_m>{_MONTH_RX})\.?\s+(?:the\s+)?(?P<md_d>\d{{1,2}}){_ORD}(?!\d)"
    + _YEAR_TAIL.format(y="md_y")
    # 12 de noviembre de 2026 / 3rd of November / 2 Nov 2026
    + rf"|(?:the\s+)?(?P<dm_d>\d{{1,2}}){_ORD}\s*(?:de\s+|of\s+)?(?P<dm_m>{_MONTH_RX})\b\.?"
    + _YEAR_TAIL.format(y="dm_y")
    # relative
    # November 2026 (no day): masked so its year is not taken for a tax year, but no date
    + rf"|(?P<my_m>{_MONTH_RX})\.?\s+(?:de(?:l)?\s+)?(?P<my_y>(?:19|20)\d{{2}})"
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

# Labels before a date tell what it is; the nearest one wins. Longer phrases come first so
# "due date" is not read as "date", and neutral phrases ("amount due") block a stale label.
_LABELS = [
    ("neutral", r"amount\s+due|balance\s+due|total\s+due|cantidad\s+adeudada|saldo\s+adeudado|"
                r"monto\s+adeudado|amount\s+owed"),
    ("tax_period", r"tax\s+period(?:\s+end(?:ing|ed))?|period\s+end(?:ing|ed)|per[ií]odo(?:\s+tributario)?"
                   r"(?:\s+que\s+termina)?|tax\s+year\s+end(?:ing|ed)"),
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
_LABEL_RX = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{rx})" for k, rx in _LABELS) + ")")
_LABEL_REACH = 45  # characters before a date searched for its label

# --- notice codes ----------------------------------------------------------------------------

_CODE_RX = re.compile(rf"(?<![a-z0-9]){catalog.CODE_PATTERN}(?![a-z0-9])")
_NOTICE_NUMBER_RX = re.compile(r"\b(?:notice|aviso|notificaci[oó]n)\s+(?:no\.?\s*|#\s*)?(?P<num>\d{2,4}[a-z]?)\b")
# A code after these words is a past or future notice, not the one in hand.
_DEMOTE_RX = re.compile(
    r"(?:after|before|ignor\w*|previous|prior|earlier|instead\s+of|then\s+(?:a|an|the)|will\s+(?:i\s+)?get|"
    r"next|followed\s+by|despu[eé]s\s+del?|antes\s+del?|anterior|luego\s+(?:un|el))\W+(?:\w+\W+){0,2}$",
)

# --- amounts ---------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT_RX = re.compile(
    r"(?=[\d$u])(?:(?P<cur>(?:us\s?)?\$|usd|us\s+dollars)\s*|(?<![\w.,$]))(?P<n>" + _NUM + r")"
    r"(?:\s*(?P<k>k|mil|thousand)\b)?(?:\s*(?P<word>dollars?|d[oó]lares|usd|bucks)\b)?(?![\d%])"
)
_AMOUNT_LABEL_RX = re.compile(
    r"\b(?:owe[sd]?|owing|amount|balance|total|bill(?:ed)?|pay|debo|debe|deber|adeud\w*|cantidad|saldo|monto|"
    r"deuda|pagar|cobr\w*|por)\b",
)
# What may stand between an amount word and the number ("amount due is", "cantidad adeudada de").
_AMOUNT_FILLER_RX = re.compile(r"\W{0,3}(?:[a-záéíóúñü]+\W{1,3}){0,3}")

# --- tax years -------------------------------------------------------------------------------

_Y = r"(?:19|20)\d{2}"
_YEAR_LIST = rf"{_Y}(?:\s*(?:,|and|&|y|e|/|-|–|to|through|thru|al|a|hasta)\s*(?:{_Y}))*"
_TAX_YEAR_RX = re.compile(
    r"\b(?:(?:tax\s+)?years?|tax\s+periods?|\bty|a[nñ]os?(?:\s+(?:fiscal|tributario|gravable|contributivo)(?:es)?)?|"
    r"ejercicios?(?:\s+fiscal(?:es)?)?|per[ií]odos?\s+(?:fiscal|tributario)(?:es)?)"
    rf"\s*[:#]?\s*(?:del?\s+)?(?:'(?P<short>\d{{2}})\b|(?P<list>{_YEAR_LIST}))"
    rf"|(?<!\d)(?P<list2>{_YEAR_LIST})\s+(?:tax(?:es)?|returns?|tax\s+returns?|declaraci[oó]n)\b",
)
_TY_SHORT_RX = re.compile(r"\bty\s*'?(?P<yy>\d{2})\b")
_LONE_YEAR_RX = re.compile(rf"(?<![\d$.,]){_Y}(?![\d%])")
_YEAR_IN_LIST_RX = re.compile(_Y)
_RANGE_RX = re.compile(rf"({_Y})\s*(?:-|–|to|through|thru|al|hasta)\s*({_Y})")

# --- scam signals ----------------------------------------------------------------------------

_ABROAD_RX = re.compile(
    r"abroad|overseas|outside\s+(?:of\s+)?(?:the\s+)?(?:u\.?s\.?a?\.?|united\s+states|country)|"
    r"fuera\s+de\s+(?:los\s+)?(?:ee\.?\s?uu\.?|estados\s+unidos|usa|pa[ií]s)|en\s+el\s+extranjero",
)

_URGENT = (
    r"(?:immediately|right\s+(?:now|away)|within\s+(?:the\s+|an?\s+)?hour|today|de\s+inmediato|inmediatamente|"
    r"ahora\s+mismo|hoy\s+mismo|en\s+(?:una\s+)?hora)"
)
_PAY = r"(?:pay|payment|send|wire|transfer|pag\w*|env[ií]\w*|transferencia)"
_SIGNALS = {
    "gift_card": r"gift\s*cards?|itunes\s+cards?|google\s+play\s+cards?|steam\s+cards?|tarjetas?\s+de\s+regalo",
    "prepaid_card": r"prepaid(?:\s+debit)?\s+cards?|green\s*dot\s+cards?|tarjetas?\s+(?:prepagadas?|de\s+prepago)",
    "crypto_word": r"bitcoins?|btc|crypto\w*|ethereum|usdt|tether|cripto\w*",
    "wire": r"wire\s+(?:transfer|the\s+money)|western\s+union|money\s*gram|transferencia\s+(?:bancaria|electr[oó]nica)|"
            r"giro\s+(?:bancario|postal)",
    "payment_app": r"zelle|venmo|cash\s*app|paypal",
    "arrest": r"arrest\w*|police|jail|warrant|c[aá]rcel|prisi[oó]n|polic[ií]a|orden\s+de\s+(?:arresto|captura)",
    "deportation": r"deport\w*|immigration\s+status|inmigraci[oó]n|estatus\s+migratorio",
    "license": r"(?:suspend|revok|cancel|take|lose|suspender|revocar|quitar|cancelar)\w*\W+(?:\w+\W+){0,3}?"
               r"licen[cs]e|licen[cs]e\W+(?:\w+\W+){0,3}?(?:suspend|revok)\w*|licencia",
    "unsolicited_contact": (
        r"(?:text|sms|e-?mail|message|whatsapp|dm|call)\w*\s+(?:from|claiming|saying)\s+(?:to\s+be\s+)?(?:the\s+)?irs|"
        r"irs\s+(?:texted|e-?mailed|sent\s+(?:me\s+)?(?:a|an)\s+(?:text|e-?mail|sms|message))|"
        r"(?:mensaje|correo|texto|whatsapp)\w*\s+(?:del|de)\s+(?:el\s+)?irs"
    ),
    # an incoming call (not "I called the IRS") ...
    "inbound_call": r"caller|call(?:ed|s)?\s+(?:me|saying|claiming)|someone\s+call\w*|they\s+call\w*|"
                    r"(?:got|received|get|getting)\s+(?:a|an|this|these)\s+(?:\w+\s+)?calls?|phone\s+calls?\s+from|"
                    r"voicemail|robocall|me\s+llam\w+|llamaron|(?:una|la|recib[ií]\s+una)\s+llamada|buz[oó]n\s+de\s+voz",
}
# One pass over the text collects every signal word.
_SIGNAL_RX = re.compile(r"\b(?=\w)(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _SIGNALS.items()) + r")\b")
# ... plus a demand to pay now gives immediate_phone_payment (its own pass: it overlaps "wire" etc.)
_URGENT_PAY_RX = re.compile(rf"\b(?:{_PAY}\W+(?:\w+\W+){{0,4}}?{_URGENT}|{_URGENT}\W+(?:\w+\W+){{0,4}}?{_PAY})")
# Every signal pattern contains one of these substrings; a cheap test before the regex pass.
_SIGNAL_HINTS = (
    "gift", "itunes", "google play", "steam", "regalo", "prepa", "green", "bitcoin", "btc", "crypt", "cripto",
    "ethereum", "usdt", "tether", "wire", "western", "gram", "transferencia", "giro", "zelle", "venmo", "cash",
    "paypal", "arrest", "police", "jail", "warrant", "rcel", "prisi", "polic", "orden", "deport", "immigration",
    "inmigra", "migratorio", "licen", "text", "sms", "mail", "message", "whatsapp", "dm", "call", "mensaje",
    "correo", "texto",
)
# Crypto is a scam signal only as a way to pay (a CP2000 about crypto sales is not).
_CRYPTO_PAY_RX = re.compile(
    r"(?:pay|paid|send|sent|deposit|buy|transfer|atm|wallet|pag\w*|env[ií]\w*|deposit\w*|compr\w*|cajero)"
    r"\W+(?:\w+\W+){0,5}?(?:bitcoins?|btc|crypto\w*|ethereum|usdt|tether|cripto\w*)|"
    r"(?:bitcoins?|btc|crypto\w*|cripto\w*)\s+(?:atm|wallet|cajero|billetera)",
)


# --- the draft -------------------------------------------------------------------------------

# What the bot still asks, in this order (``notices.facts.ASK_ORDER``; "code" is "notice" here).
MISSING_ORDER = tuple("notice" if name == "code" else name for name in facts.ASK_ORDER)


@dataclass(frozen=True)
class Draft:
    notice: str | None = None
    tax_years: tuple[int, ...] = ()
    amount: Decimal | None = None
    notice_date: date | None = None
    due_date: date | None = None
    received_date: date | None = None
    redacted: bool = False
    redacted_kinds: tuple[str, ...] = ()
    scam_signals: tuple[str, ...] = ()
    text: str = ""
    notice_mentions: tuple[str, ...] = field(default=())
    abroad: bool = False

    @property
    def known_notice(self) -> bool:
        return self.notice is not None and catalog.get(self.notice) is not None

    @property
    def missing(self) -> list[str]:
        """What the bot still asks (``notices.facts.missing``; "code" is called "notice" here)."""
        left = facts.missing(self.notice, self.notice_date, self.due_date, self.amount, self.tax_years)
        return ["notice" if name == "code" else name for name in left]

    def respond_by(self) -> date | None:
        if self.notice is None:
            return self.due_date
        try:
            return deadlines.respond_by(self.notice, self.notice_date, self.due_date, amount=self.amount)[0]
        except ValueError:  # a due date before the notice date is a misread: fall back to the window
            return deadlines.respond_by(self.notice, self.notice_date, amount=self.amount)[0]

    def to_json(self, today: date | None = None) -> dict:
        """The ``noticebot parse`` object. ``today`` is accepted for symmetry with ``read``."""
        iso = _iso
        return {
            "notice": self.notice,
            "known_notice": self.known_notice,
            "tax_years": list(self.tax_years),
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "notice_date": iso(self.notice_date),
            "due_date": iso(self.due_date),
            "received_date": iso(self.received_date),
            "respond_by": iso(self.respond_by()),
            "abroad": self.abroad,
            "redacted": self.redacted,
            "redacted_kinds": list(self.redacted_kinds),
            "scam_signals": list(self.scam_signals),
            "missing": self.missing,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --- helpers ---------------------------------------------------------------------------------


def _num_word(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMBER_WORDS.get(re.sub(r"\s+", " ", s), 1)


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


@dataclass
class _DateHit:
    start: int
    end: int
    y: int | None
    m: int
    d: int
    absolute: date | None = None  # relative dates resolve immediately
    weekday: int | None = None  # a weekday name: resolved once we know past or future
    mask_only: bool = False  # "November 2026": hide the year, but it is not a date


def _date_hit(m: re.Match, today: date) -> _DateHit | None:
    g = m.group  # groupdict() would build a 25-key dict per date
    s, e = m.span()
    if g("iso_y"):
        return _DateHit(s, e, int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("us_m"):
        a, b = int(g("us_m")), int(g("us_d"))
        year = _year(g("us_y"))
        if g("sep") == "." and year is None:  # "3.5" is a number, not a date
            return None
        if a > 12 and b <= 12:  # day first (13/11/2026), common in Spanish
            a, b = b, a
        return _DateHit(s, e, year, a, b)
    if g("md_m"):
        return _DateHit(s, e, _year(g("md_y")), _MONTHS[g("md_m").lower()], int(g("md_d")))
    if g("dm_m"):
        return _DateHit(s, e, _year(g("dm_y")), _MONTHS[g("dm_m").lower()], int(g("dm_d")))
    if g("my_m"):
        return _DateHit(s, e, int(g("my_y")), 1, 1, mask_only=True)
    if g("wd"):
        return _DateHit(s, e, None, 1, 1, weekday=_WEEKDAYS[g("wd")])
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
    return _DateHit(s, e, d.year, d.month, d.day, absolute=d)


def _resolve(hit: _DateHit, today: date, future: bool) -> date | None:
    if hit.absolute:
        return hit.absolute
    if hit.weekday is not None:
        ahead = (hit.weekday - today.weekday()) % 7
        return today + timedelta(days=ahead) if future else today - timedelta(days=(7 - ahead) % 7)
    if hit.y is not None:
        return _mk(hit.y, hit.m, hit.d)
    # No year: the past for notice/received dates, the future for a due date.
    d = _mk(today.year, hit.m, hit.d)
    if d is None:  # Feb 29 in a non-leap year
        d = _mk(today.year + (1 if future else -1), hit.m, hit.d)
        return d
    if future and d < today:
        return _mk(today.year + 1, hit.m, hit.d)
    if not future and d > today:
        return _mk(today.year - 1, hit.m, hit.d)
    return d


def _label_before(text: str, start: int, floor: int) -> str | None:
    window_start = max(floor, start - _LABEL_REACH, text.rfind("\n", 0, start) + 1)
    last = None
    for m in _LABEL_RX.finditer(text, window_start, start):
        last = m.lastgroup
    return last


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
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


def _parse_number(raw: str) -> Decimal | None:
    raw = raw.strip()
    seps = [(i, c) for i, c in enumerate(raw) if c in ".,  "]
    if seps:
        i, c = seps[-1]
        tail = len(raw) - i - 1
        if c in ".," and tail in (1, 2):  # last separator is the decimal mark
            raw = re.sub(r"[.,\s]", "", raw[:i]) + "." + raw[i + 1:]
        else:
            raw = re.sub(r"[.,\s]", "", raw)
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


# --- the reader ------------------------------------------------------------------------------


def _find_codes(text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """(codes in hand, all codes mentioned, spans); codes after "after/ignored/next..." are demoted."""
    codes: list[str] = []
    spans: list[tuple[int, int]] = []
    primary: list[tuple[str, int]] = []
    for m in _CODE_RX.finditer(text):
        code = catalog.code_from_match(m)
        known = catalog.is_known(code)
        if (m.group("bare_num") or m.group("rev_num")) and not known:
            continue  # "30c" or "a 500 letter" are not letters unless we know the code
        if m.group("ltr_num") and not m.group("ltr_suf") and not known and (
            len(m.group("ltr_num")) < 3 or re.match(_Y, m.group("ltr_num"))
        ):
            continue  # "letter 2 days ago", "letter 2024": a count or a year, not a letter number
        spans.append(m.span())
        if code not in codes:
            codes.append(code)
            primary.append((code, m.start()))
    if not codes:  # "notice 504", "aviso 1058": a number alone, if it names a known notice
        for m in _NOTICE_NUMBER_RX.finditer(text):
            num = m.group("num").upper()
            found = next((c for c in (f"CP{num}", f"LTR{num}", f"LT{num}") if catalog.is_known(c)), None)
            if found and found not in codes:
                codes.append(found)
                spans.append(m.span("num"))
                primary.append((found, m.start()))
    if len(codes) > 1:
        primary = [(c, at) for c, at in primary if not _DEMOTE_RX.search(text, max(0, at - 30), at)]
    return ([c for c, _ in primary] or codes), codes, spans


def _find_dates(text: str, today: date) -> tuple[dict[str, date], list[int], list[tuple[int, int]]]:
    found: dict[str, date] = {}
    period_years: list[int] = []
    spans: list[tuple[int, int]] = []
    unlabeled: list[_DateHit] = []
    prev_end = 0
    for m in _DATE_RX.finditer(text):
        hit = _date_hit(m, today)
        if hit is None:
            continue
        label = _label_before(text, hit.start, prev_end)
        if hit.y is None and label in (None, "neutral", "tax_period") and (
            (m.group("us_m") and "/" not in m.group()) or hit.weekday is not None
        ):
            continue  # an unlabeled "11-02" or "Monday" is too weak to be a date
        spans.append((hit.start, hit.end))
        prev_end = hit.end
        if hit.mask_only:
            continue
        if label == "tax_period":
            if hit.y and hit.weekday is None:
                period_years.append(hit.y)
            continue
        if label in ("notice", "due", "received"):
            d = _resolve(hit, today, future=(label == "due"))
            if d and label not in found:
                found[label] = d
        elif hit.absolute is not None:
            # "in 10 days" is a deadline; an unlabeled "yesterday" is when the letter came.
            found.setdefault("due" if hit.absolute > today else "received", hit.absolute)
        else:
            unlabeled.append(hit)
    for hit in unlabeled:
        past = _resolve(hit, today, future=False)
        if past is None:
            continue
        if "notice" not in found and (hit.y is None or past <= today):
            found["notice"] = past
        elif "due" not in found:
            d = _resolve(hit, today, future=True)
            if d and (found.get("notice") is None or d >= found["notice"]):
                found["due"] = d
    return found, period_years, spans


def _find_amount(masked: str) -> tuple[Decimal | None, list[tuple[int, int]]]:
    """The amount owed: a labelled amount beats a bare "$" amount; ties go to the first one."""
    best: tuple[int, int, Decimal] | None = None  # (score, -position, value)
    spans = []
    label_ends: list[int] | None = None
    for m in _AMOUNT_RX.finditer(masked):
        raw, k = m.group("n"), m.group("k")
        # "$", "dollars", "12.5k", or cents ("2,518.40") mark money
        has_currency = bool(m.group("cur") or m.group("word") or k or re.search(r"[.,]\d\d$", raw))
        if not has_currency and (re.fullmatch(_Y, raw) or len(raw) >= 9 and raw.isdigit()):
            continue  # a bare year or nine-digit run is a year or an identifier, not money
        if label_ends is None:
            label_ends = [e.end() for e in _AMOUNT_LABEL_RX.finditer(masked)]
        start = m.start()
        labelled = any(
            0 <= start - e <= 30 and _AMOUNT_FILLER_RX.fullmatch(masked, e, start) for e in label_ends
        )
        if not (has_currency or labelled):
            continue  # a bare number counts only right after an amount word ("owe 740")
        value = _parse_number(raw)
        if value is None or value <= 0:
            continue
        if k:
            value *= 1000
        spans.append(m.span())
        score = 2 * labelled + has_currency
        if best is None or score > best[0]:
            best = (score, -start, value)
    return (best[2].quantize(Decimal("0.01")) if best else None), spans


def _find_tax_years(masked: str, period_years: list[int], today: date) -> tuple[int, ...]:
    years: set[int] = set(period_years)
    for m in _TAX_YEAR_RX.finditer(masked):
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
    if not years:  # no explicit label: any year left in the text that is not part of a date
        years.update(int(y) for y in _LONE_YEAR_RX.findall(masked))
    return tuple(sorted(y for y in years if 1990 <= y <= today.year))


def _scam_signals(text: str) -> tuple[str, ...]:
    if not any(h in text for h in _SIGNAL_HINTS):  # most messages: skip the regex pass
        return ()
    seen = {m.lastgroup or "" for m in _SIGNAL_RX.finditer(text)}
    found = seen - {"crypto_word", "inbound_call"}
    if "crypto_word" in seen and _CRYPTO_PAY_RX.search(text):
        found.add("crypto")
    if "inbound_call" in seen and _URGENT_PAY_RX.search(text):
        found.add("immediate_phone_payment")
    return tuple(sorted(found))


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters (e.g. "İ") grow when lower-cased; keep positions aligned with the text
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def read(text: str, today: date) -> Draft:
    """Read a chat message or text copied from a notice into a Draft (identifiers removed first)."""
    red = redact(text or "")
    clean = red.text
    low = _lower(clean)
    codes, mentions, code_spans = _find_codes(low)
    dates, period_years, date_spans = _find_dates(_mask(low, code_spans), today)
    masked = _mask(low, code_spans + date_spans)
    amount, amount_spans = _find_amount(masked)
    years = _find_tax_years(_mask(masked, amount_spans), period_years, today)
    return Draft(
        notice=codes[0] if codes else None,
        tax_years=years,
        amount=amount,
        notice_date=dates.get("notice"),
        due_date=dates.get("due"),
        received_date=dates.get("received"),
        redacted=red.redacted,
        redacted_kinds=red.kinds,
        scam_signals=_scam_signals(low),
        text=clean,
        notice_mentions=tuple(mentions),
        abroad=bool(_ABROAD_RX.search(low)),
    )
