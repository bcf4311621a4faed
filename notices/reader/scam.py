"""Scam signals (what the IRS says it never does: gift cards, crypto, wire, threats, calls demanding
payment now). A real notice's own words ("Your caller ID", "call us immediately") are not signals."""

from __future__ import annotations

import re

from notices.reader.text import WordPattern, alternation, branches

ABROAD_RX = re.compile(
    r"abroad|overseas|outside\s+(?:of\s+)?(?:the\s+)?(?:u\.?s\.?a?\.?|united\s+states|country)|"
    r"fuera\s+de\s+(?:los\s+)?(?:ee\.?\s?uu\.?|estados\s+unidos|usa|pa[ií]s)|en\s+el\s+extranjero",
)
# Every match of ABROAD_RX holds one of these words.
_ABROAD_WORDS = ("abroad", "overseas", "outside", "fuera", "extranjero")


def abroad(text: str) -> bool:
    """The text says the person lives abroad (a cheap look for the words first)."""
    return any(w in text for w in _ABROAD_WORDS) and bool(ABROAD_RX.search(text))


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
    # an incoming call (not "I called the IRS", not a notice's "Your caller ID") ...
    "inbound_call": r"caller(?!\s+id)|call(?:ed|s)?\s+(?:me|saying|claiming)|someone\s+call\w*|they\s+call\w*|"
                    r"(?:got|received|get|getting)\s+(?:a|an|this|these)\s+(?:\w+\s+)?calls?|phone\s+calls?\s+from|"
                    r"voicemail|robocall|me\s+llam\w+|llamaron|(?:una|la|recib[ií]\s+una)\s+llamada|buz[oó]n\s+de\s+voz",
}
# One pass over the text collects every signal word.
_SIGNAL_BODY, _SIGNAL_KIND = alternation([(k, b) for k, rx in _SIGNALS.items() for b in branches(rx)])
_SIGNAL = WordPattern(rf"(?:{_SIGNAL_BODY})\b")
# ... plus a demand to pay now gives immediate_phone_payment (its own pass: it overlaps "wire" etc.)
_URGENT_PAY_RX = re.compile(rf"\b(?:{_PAY}\W+(?:\w+\W+){{0,4}}?{_URGENT}|{_URGENT}\W+(?:\w+\W+){{0,4}}?{_PAY})")
# Crypto is a scam signal only as a way to pay (a CP2000 about crypto sales is not).
_CRYPTO_PAY_RX = re.compile(
    r"(?:pay|paid|send|sent|deposit|buy|transfer|atm|wallet|pag\w*|env[ií]\w*|deposit\w*|compr\w*|cajero)"
    r"\W+(?:\w+\W+){0,5}?(?:bitcoins?|btc|crypto\w*|ethereum|usdt|tether|cripto\w*)|"
    r"(?:bitcoins?|btc|crypto\w*|cripto\w*)\s+(?:atm|wallet|cajero|billetera)",
)
# Words a genuine notice prints (how to pay, how to call us, what a levy takes): never signals in one.
_NOTICE_WORDS = frozenset({"inbound_call", "immediate_phone_payment", "wire", "license", "payment_app"})


def signals(text: str, real_notice: bool = False) -> tuple[str, ...]:
    """Signals in lower-cased ``text``; ``real_notice``: the text has a real notice's structure."""
    seen = {_SIGNAL_KIND[m.lastgroup or ""] for _, m in _SIGNAL.finditer(text)}
    found = seen - {"crypto_word", "inbound_call"}
    if "crypto_word" in seen and _CRYPTO_PAY_RX.search(text):
        found.add("crypto")
    if "inbound_call" in seen and _URGENT_PAY_RX.search(text):
        found.add("immediate_phone_payment")
    if real_notice:
        found -= _NOTICE_WORDS
    return tuple(sorted(found))
