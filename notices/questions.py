"""What a frightened person asks, in English or Spanish, and the short sourced answer.

``understand(text)`` recognises a question (is it real, what if I ignore it, can I pay monthly, ...),
a question about one notice code ("what does CP504 mean"), or a letter described by its heading
("it says final notice at the top"), which the bot turns into a short multiple-choice question.
It is a small table of patterns, not a language model: each topic lists the ways people ask it.
Answers live in ``data/answers.toml`` with their official sources.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from notices import catalog, words


class Topic(StrEnum):
    SCAM_CHECK = "scam_check"
    IGNORE = "ignore"
    PAY_MONTHLY = "pay_monthly"
    PENALTY_RELIEF = "penalty_relief"
    CANNOT_PAY = "cannot_pay"
    FREE_HELP = "free_help"
    ALREADY_PAID = "already_paid"
    CLOCK_START = "clock_start"
    MISSED_HEARING = "missed_hearing"
    LEVY_WHEN = "levy_when"
    PASSPORT = "passport"
    CODE_MEANING = "code_meaning"  # answered from the catalog entry of the code asked about
    MY_DEADLINE = "my_deadline"  # answered from the person's own notices
    WHAT_TO_DO = "what_to_do"  # "help", "what do I do": the next step for their most urgent notice
    HEADING = "heading"  # a letter described by its heading: ask which code it is


@dataclass(frozen=True)
class Question:
    topic: Topic
    code: str | None = None  # CODE_MEANING: the code asked about
    candidates: tuple[str, ...] = ()  # HEADING: the catalog codes that carry such a heading


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[str, ...]


def normalise(text: str) -> str:
    """Lower case, accents and curly quotes removed, spaces collapsed: 'Qué pasó' -> 'que paso'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.lower()).strip()


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_DONT = r"(?:don'?t|do not|dont|can'?t|cannot|won'?t)"
# Tried in order: the more specific topics first ("I missed the deadline" before "deadline").
_TOPICS: tuple[tuple[Topic, re.Pattern[str]], ...] = (
    (Topic.SCAM_CHECK, _rx(
        r"\b(?:scam|scammer|fraud|fraudulent|phishing|fake|legit|legitimate)\b",
        r"\bis (?:this|it|that)(?: letter| notice| thing)? (?:really |actually )?(?:real|true|from the irs)\b",
        r"\b(?:really|actually) from the irs\b",
        r"\b(?:estafa|fraude|fraudulent[oa]|falso|falsa|enga[nñ]o)\b",
        r"\bes (?:real|verdad|de verdad|autentic[oa]|legitim[oa])\b|\bdel irs de verdad\b",
    )),
    (Topic.MISSED_HEARING, _rx(
        r"\bmissed (?:the |my )?(?:deadline|30 days|hearing|window|date|cdp)\b",
        r"\b(?:deadline|date|30 days) (?:has |have |already )?(?:passed|gone|expired)\b",
        r"\btoo late\b",
        r"\bse me (?:paso|vencio|fue) (?:el|la) (?:plazo|fecha)\b|\b(?:ya )?(?:paso|vencio) el plazo\b",
        r"\b(?:es )?demasiado tarde\b",
    )),
    (Topic.PASSPORT, _rx(r"\bpassport\b", r"\bpasaporte\b")),
    (Topic.LEVY_WHEN, _rx(
        r"\b(?:take|seize|garnish|levy|freeze|empty|drain|grab)\b.{0,20}\b(?:bank|account|wages?|pay ?check"
        r"|salary|paycheck|house|home|car|social security|benefits)\b",
        r"\b(?:garnish|garnishment|levy on|bank levy|wage levy)\b",
        r"\bembarg(?:o|ar|an|aran|uen)\b",
        r"\b(?:quitar|congelar|tomar)(?:me)?\b.{0,15}\b(?:cuenta|sueldo|salario|casa|carro|auto)\b",
    )),
    (Topic.ALREADY_PAID, _rx(
        r"\b(?:already|i've|i have) paid\b",
        r"\bi paid (?:it|this|that|them|in full|the (?:balance|bill|amount|tax))\b",
        r"\bpaid (?:it|this) (?:already|last (?:week|month))\b",
        r"\bya (?:lo |la )?pague\b|\bya (?:hice|realice) el pago\b",
    )),
    (Topic.CANNOT_PAY, _rx(
        r"\b(?:can'?t|cannot|unable to|no way (?:i|we) can) (?:afford|pay)\b|\b(?:don'?t|do not) afford\b",
        r"\bunable to pay\b|\bno money\b|\b(?:don'?t|do not) have (?:the |any |enough )?money\b|\bi'?m broke\b",
        r"\bno (?:puedo|podemos) pagar\b|\bno tengo (?:el |nada de |suficiente )?dinero\b|\bno me alcanza\b",
        r"\bno tengo con que pagar\b",
    )),
    (Topic.PAY_MONTHLY, _rx(
        r"\bpay(?:ing)? (?:it |this |that )?(?:monthly|every month|in (?:monthly )?(?:installments|payments|parts))\b",
        r"\bpayment plan\b|\binstall?ment(?: agreement| plan)?\b|\bmonthly payments?\b|\bpay (?:it )?over time\b",
        r"\bpagar (?:a plazos|por mes|en (?:partes|cuotas|mensualidades))\b|\bplan de pagos?\b",
        r"\bpagos mensuales\b|\bmensualidades\b|\bcuotas\b",
    )),
    (Topic.PENALTY_RELIEF, _rx(
        r"\bpenalt(?:y|ies)\b.{0,25}\b(?:removed?|waived?|abated?|reduced?|forgiven|off|dropped)\b",
        r"\b(?:remove|waive|abate|reduce|forgive|drop|get rid of|get out of)\b.{0,20}\bpenalt(?:y|ies)\b",
        r"\b(?:abatement|first[- ]time abate|reasonable cause)\b",
        r"\b(?:quit|elimin|perdon|condon|reduc|rebaj)\w*\b.{0,15}\b(?:multas?|recargos?|penalidad(?:es)?)\b",
        r"\b(?:multas?|recargos?)\b.{0,20}\b(?:quitar|eliminar|perdon|condon)",
    )),
    (Topic.FREE_HELP, _rx(
        r"\bfree (?:help|advice|lawyer|attorney|legal)\b|\bwho (?:can|could) help\b|\bneed (?:a |an )?(?:lawyer|attorney"
        r"|accountant|cpa|professional)\b|\btaxpayer advocate\b|\blitc\b|\bclinic\b",
        r"\bayuda (?:gratis|gratuita)\b|\bquien (?:me )?(?:puede|podria) ayudar\b|\b(?:abogado|contador|clinica)\b",
        r"\bdefensor del contribuyente\b",
    )),
    (Topic.CLOCK_START, _rx(
        r"\b(?:when|does|do) (?:does |do )?(?:the )?(?:deadline|clock|30 days|90 days|days|time) (?:start|begin|count)",
        r"\bfrom (?:the day|when) i (?:received|got) (?:it|the letter)\b|\bdate (?:on|of) the (?:letter|notice) or\b",
        r"\bdesde (?:cuando|que dia) (?:se )?(?:cuenta|cuentan|empieza|empiezan)\b",
        r"\bdesde que (?:la |lo )?recibi\b",
    )),
    (Topic.IGNORE, _rx(
        rf"\bwhat (?:happens|will happen|if) (?:if )?i (?:ignore|{_DONT} (?:pay|respond|answer|do anything)|do nothing)\b",
        r"\bif i (?:just )?ignore\b|\bcan i (?:just )?ignore\b",
        r"\bque pasa(?:ra)? si (?:no (?:pago|respondo|contesto|hago nada)|lo ignoro|ignoro)\b",
        r"\bpuedo ignorar(?:lo|la)?\b",
    )),
    (Topic.MY_DEADLINE, _rx(
        r"\b(?:what|when) is (?:my|the) (?:deadline|due date|last day)\b",
        r"\bwhen (?:do|must|should) i (?:have to |need to )?(?:pay|respond|answer|reply)\b",
        r"\bhow (?:long|much time|many days) do i have\b",
        r"\bcuando (?:vence|tengo que pagar|debo (?:pagar|responder))\b|\bcuanto tiempo tengo\b",
        r"\bfecha limite\b|\bhasta cuando\b",
    )),
    (Topic.WHAT_TO_DO, _rx(
        r"^(?:help|help me|please help|sos|ayuda|ayudeme|ayudame|auxilio)[.!?]*$",
        r"\bwhat (?:do|should|can|must) i do\b|\bwhat now\b|\bwhat are my options\b|\bwhere do i start\b",
        r"\bi'?m (?:so )?(?:scared|panicking|freaking out|terrified|worried)\b",
        r"\bque (?:hago|debo hacer|puedo hacer|tengo que hacer)\b|\btengo miedo\b|\bestoy (?:asustad|preocupad)[oa]\b",
    )),
)

_CODE_QUESTION = re.compile(
    r"\b(?:what(?:'s| is| does)|what does an?|explain|meaning of|que (?:es|significa)|que quiere decir)\b"
    r"(?:\s+(?:an?|the|el|la|un|una|this|este|esta|my|mi))?\s+(?P<code>.{2,20}?)(?:\s+(?:mean|notice|letter|"
    r"aviso|carta))?\s*\??$"
)

# Headings printed at the top of real notices, as people repeat them, and the codes that carry them.
_HEADINGS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b(?:final notice|aviso final|ultimo aviso)\b|\bright to a hearing\b|\bderecho a una audiencia\b"),
     ("LT11", "LTR1058", "CP90", "CP504")),
    (re.compile(r"\bintent to (?:levy|seize)\b|\bintencion de embargo\b|\bnotice of levy\b"),
     ("CP504", "LT11", "LTR1058", "CP90")),
    (re.compile(r"\bnotice of deficiency\b|\baviso de deficiencia\b"), ("CP3219A", "CP3219N")),
    (re.compile(r"\bproposed (?:changes|adjustment)\b|\bunderreport|\bcambios propuestos\b"), ("CP2000",)),
    (re.compile(r"\b(?:we )?changed? (?:to )?your (?:tax )?return\b|\bchanges to your (?:\d{4} )?(?:tax )?return\b"
                r"|\bcambi(?:amos|os) (?:a )?su declaracion\b|\bmath error\b"), ("CP11", "CP12", "CP23")),
    (re.compile(r"\bfederal tax lien\b|\bgravamen\b|\blien\b"), ("LTR3172",)),
    (re.compile(r"\b(?:you have )?(?:a )?balance due\b|\bsaldo (?:adeudado|pendiente)\b|\bunpaid (?:balance|taxes)\b"),
     ("CP14", "CP501", "CP503")),
    (re.compile(r"\breminder\b|\bwe haven'?t heard from you\b|\brecordatorio\b"), ("CP501", "CP503")),
)

_DESCRIBES_LETTER = re.compile(r"\b(?:says?|said|reads|titled|heading|at the top|on top|printed|dice|pone|titulo"
                               r"|encabezado|arriba)\b")

_QUESTION_SHAPE = re.compile(r"\?|^(?:what|how|when|can|could|is|are|do|does|will|should|who|why|where|que|como"
                             r"|cuando|puedo|es|hay|quien|por que|donde)\b")


def understand(text: str) -> Question | None:
    """The question in ``text``, or None when it asks nothing we recognise."""
    t = normalise(text)
    if not t:
        return None
    code = _asked_code(t)
    if code is not None:
        return Question(Topic.CODE_MEANING, code=code)
    candidates = heading_candidates(t)
    if candidates and _DESCRIBES_LETTER.search(t):  # "it says final notice": the letter, not a question
        return Question(Topic.HEADING, candidates=candidates)
    for topic, pattern in _TOPICS:
        if pattern.search(t):
            return Question(topic)
    if candidates:
        return Question(Topic.HEADING, candidates=candidates)
    return None


def heading_candidates(text: str) -> tuple[str, ...]:
    """Catalog codes whose printed heading the text repeats ("it says final notice at the top")."""
    t = normalise(text)
    for pattern, codes in _HEADINGS:
        if pattern.search(t):
            return tuple(c for c in codes if catalog.get(c) is not None)
    return ()


def _asked_code(t: str) -> str | None:
    m = _CODE_QUESTION.search(t)
    if not m:
        return None
    code = catalog.canonical_code(m.group("code").strip(" ?.!"))
    return code if code and catalog.get(code) is not None else None


def looks_like_question(text: str) -> bool:
    return bool(_QUESTION_SHAPE.search(normalise(text)))


@cache
def _answers() -> dict[str, dict]:
    raw = resources.files("notices").joinpath("data/answers.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    for key, entry in data.items():
        if not all(entry.get(lang) for lang in words.LANGUAGES) or not entry.get("sources"):
            raise ValueError(f"answers.toml: {key!r} needs {', '.join(words.LANGUAGES)} and sources")
    return data


def answer(topic: Topic, lang: str = "en") -> Answer | None:
    """The fixed answer to a general question; None for topics answered from the person's notices."""
    entry = _answers().get(topic.value)
    if entry is None:
        return None
    return Answer(words.pick(entry, lang), tuple(entry["sources"]))


def code_answer(code: str, lang: str = "en") -> Answer | None:
    """What a notice code means, from its catalog entry (with the sources a person sees)."""
    info = catalog.get(code)
    if info is None:
        return None
    text = f"{info.title.get(lang)}\n{info.meaning.get(lang)}"
    return Answer(text, tuple(s for s in info.sources if "irs.gov" in s))
