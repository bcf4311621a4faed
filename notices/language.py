"""Which language a short message is written in: Spanish, English, or "cannot tell".

People write a line or two ("recibí una carta del IRS", "got a CP14 for 2024"), far too short for a
statistical detector to be reliable, so this counts the small words each language cannot do without,
plus Spanish punctuation and letters. Codes, numbers, amounts and dates count for neither: a message
of only "CP14 2024 $500" says nothing about the language, and then nothing changes.
"""

from __future__ import annotations

import re
import unicodedata

# Frequent words of one language only (accents removed). "a", "no", "me" are in both: left out.
_SPANISH = frozenset("""
de la el que y en los las un una por con para es mi mis del al se lo su sus este esta esto estos eso
hacer puedo puede necesito quiero tengo tiene debo debe recibi llego carta cartas aviso avisos
ano anos impuestos impuesto pagar pago pagos fecha ayuda hola gracias que como cuanto cuando donde dice
dijo decia pero porque esta estoy estan son hay muy ya tambien si senor senora usted ustedes nosotros
dinero deuda multa multas cobrar cobran embargo plazo fue fui era tenia hoy ayer manana semana mes dia
dias mucho poco nada algo todo todos quien cual sobre entre hasta desde otra otro mas menos le les nos
""".split())
_ENGLISH = frozenset("""
the and to of my is it for you that this what do have got owe owed letter notice says said with on from
year tax taxes pay paid can how help dated amount due they was are be not i i'm im it's its we our your
just about will would should could did does been get if or but at by an there their them when where who
why which received today yesterday week month day days please thanks thank hi hello need want know
""".split())
# Words that alone say which language it is.
_STRONG_SPANISH = frozenset({"hola", "gracias", "tengo", "debo", "recibi", "necesito", "quiero", "puedo",
                             "impuestos", "carta", "usted", "ayuda", "senor", "senora", "ano"})
_STRONG_ENGLISH = frozenset({"the", "hello", "thanks", "owe", "received", "please", "what", "got"})
_WORD = re.compile(r"[a-z']+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def written_in(text: str) -> str | None:
    """'es' or 'en' when the words say so clearly; None when they do not (codes, numbers, one
    ambiguous word, a mix)."""
    if not text:
        return None
    spanish = 3.0 * bool(re.search(r"[¿¡ñ]", text.lower())) + 0.5 * len(re.findall(r"[áéíóú]", text.lower()))
    english = 0.0
    for word in _WORD.findall(_plain(text)):
        if word in _SPANISH:
            spanish += 2.0 if word in _STRONG_SPANISH else 1.0
        if word in _ENGLISH:
            english += 2.0 if word in _STRONG_ENGLISH else 1.0
    if spanish >= 2 and spanish >= 2 * english:
        return "es"
    if english >= 2 and english >= 2 * spanish:
        return "en"
    return None


NOTICES_PRINTED_IN = "en"  # the IRS prints its notices in English
# Words a person uses about themselves; a text pasted from a letter rarely has them.
_IN_OWN_WORDS = re.compile(r"\b(?:i|i'm|im|my|me|we|our|got|owe|please|hello|hi|thanks|help)\b")


def language_to_follow(text: str) -> str | None:
    """The language the replies should follow, or None. IRS notices are printed in English, so English
    switches only when written in the person's own words ("I got...", "please help"): a Spanish speaker
    pasting a notice keeps Spanish replies."""
    written = written_in(text)
    if written == NOTICES_PRINTED_IN and not _IN_OWN_WORDS.search(text.lower()):
        return None
    return written
