"""Questions people ask, in their own words (English and Spanish), and what each must be understood as."""

from __future__ import annotations

import re

import pytest

from notices import questions
from notices.questions import Topic

T = Topic
QUESTIONS = [
    # is it real?
    ("is this letter real?", T.SCAM_CHECK),
    ("Is this a scam??", T.SCAM_CHECK),
    ("how do I know this is legit", T.SCAM_CHECK),
    ("is it really from the IRS", T.SCAM_CHECK),
    ("could this be fake", T.SCAM_CHECK),
    ("¿Es real esta carta?", T.SCAM_CHECK),
    ("creo que es una estafa", T.SCAM_CHECK),
    ("¿esto es fraude?", T.SCAM_CHECK),
    # ignoring it
    ("what happens if I ignore it", T.IGNORE),
    ("what happens if i don't pay", T.IGNORE),
    ("what if I do nothing", T.IGNORE),
    ("can I just ignore this?", T.IGNORE),
    ("¿Qué pasa si no pago?", T.IGNORE),
    ("que pasara si lo ignoro", T.IGNORE),
    # monthly payments
    ("can I pay monthly?", T.PAY_MONTHLY),
    ("can i set up a payment plan", T.PAY_MONTHLY),
    ("Is there an installment agreement option", T.PAY_MONTHLY),
    ("can I pay it over time", T.PAY_MONTHLY),
    ("¿Puedo pagar a plazos?", T.PAY_MONTHLY),
    ("quiero un plan de pagos", T.PAY_MONTHLY),
    ("se puede pagar en mensualidades", T.PAY_MONTHLY),
    # penalties
    ("can I get the penalties removed", T.PENALTY_RELIEF),
    ("how do I get rid of the penalty", T.PENALTY_RELIEF),
    ("can they waive the penalties?", T.PENALTY_RELIEF),
    ("what is first time abatement", T.PENALTY_RELIEF),
    ("¿Me pueden quitar las multas?", T.PENALTY_RELIEF),
    ("quiero que me eliminen los recargos", T.PENALTY_RELIEF),
    # cannot pay
    ("I can't pay anything", T.CANNOT_PAY),
    ("i cannot afford this", T.CANNOT_PAY),
    ("I don't have the money", T.CANNOT_PAY),
    ("No puedo pagar nada", T.CANNOT_PAY),
    ("no tengo dinero para esto", T.CANNOT_PAY),
    # free help
    ("who can help me for free", T.FREE_HELP),
    ("do I need a lawyer?", T.FREE_HELP),
    ("is there free help", T.FREE_HELP),
    ("¿Quién me puede ayudar?", T.FREE_HELP),
    ("necesito ayuda gratuita", T.FREE_HELP),
    # already paid
    ("I already paid this!", T.ALREADY_PAID),
    ("i paid it last month why did I get this", T.ALREADY_PAID),
    ("Ya lo pagué", T.ALREADY_PAID),
    # the clock
    ("does the deadline start when I received it?", T.CLOCK_START),
    ("when does the 30 days start", T.CLOCK_START),
    ("¿Desde cuándo se cuentan los días?", T.CLOCK_START),
    # missed it
    ("I missed the deadline", T.MISSED_HEARING),
    ("the 30 days already passed, is it too late?", T.MISSED_HEARING),
    ("se me pasó el plazo", T.MISSED_HEARING),
    # levy
    ("when can they take my bank account", T.LEVY_WHEN),
    ("will they garnish my wages", T.LEVY_WHEN),
    ("¿Me van a embargar la cuenta?", T.LEVY_WHEN),
    # passport
    ("will I lose my passport", T.PASSPORT),
    ("¿Me quitan el pasaporte?", T.PASSPORT),
    # my deadline
    ("what is my deadline", T.MY_DEADLINE),
    ("when do I have to pay?", T.MY_DEADLINE),
    ("how long do I have", T.MY_DEADLINE),
    ("¿Cuándo vence?", T.MY_DEADLINE),
    ("cuanto tiempo tengo", T.MY_DEADLINE),
    # what to do
    ("help", T.WHAT_TO_DO),
    ("what do I do", T.WHAT_TO_DO),
    ("I'm scared, what now", T.WHAT_TO_DO),
    ("Ayuda", T.WHAT_TO_DO),
    ("¿Qué hago?", T.WHAT_TO_DO),
    ("tengo miedo", T.WHAT_TO_DO),
]


@pytest.mark.parametrize(("text", "topic"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_question_is_understood(text: str, topic: Topic) -> None:
    q = questions.understand(text)
    assert q is not None and q.topic is topic


CODES = [
    ("what does CP504 mean?", "CP504"),
    ("What is a CP14", "CP14"),
    ("what's an LT11", "LT11"),
    ("¿Qué significa CP2000?", "CP2000"),
    ("que es la carta 1058", "LTR1058"),
]


@pytest.mark.parametrize(("text", "code"), CODES, ids=[c for c, _ in CODES])
def test_question_about_a_code_names_the_code(text: str, code: str) -> None:
    assert questions.understand(text) == questions.Question(Topic.CODE_MEANING, code=code)


HEADINGS = [
    ("it says final notice at the top", "LT11"),
    ("the letter says notice of intent to levy", "CP504"),
    ("dice aviso de intención de embargo", "CP504"),
    ("it says notice of deficiency", "CP3219A"),
    ("it says we changed your return", "CP11"),
    ("the top says proposed changes to your 2024 tax return", "CP2000"),
]


@pytest.mark.parametrize(("text", "code"), HEADINGS, ids=[h for h, _ in HEADINGS])
def test_letter_described_by_heading_gets_choices(text: str, code: str) -> None:
    q = questions.understand(text)
    assert q is not None and q.topic is Topic.HEADING and code in q.candidates


@pytest.mark.parametrize("text", [
    "CP14 for 2024, owe $3,412.18, dated Nov 3",  # a notice, not a question: intake reads it
    "hello",
    "thanks!",
    "I live in Texas",
    "my real estate taxes",  # "real" alone is not a scam question
])
def test_not_a_question(text: str) -> None:
    assert questions.understand(text) is None


@pytest.mark.parametrize("topic", [t for t in Topic if questions.answer(t) is not None])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_fixed_answer_is_sourced_officially_in_both_languages(topic: Topic, lang: str) -> None:
    a = questions.answer(topic, lang)
    assert a is not None and len(a.text) < 1000  # short enough for one chat message
    assert a.sources and all(re.match(r"https://(www\.)?(irs\.gov|taxpayeradvocate\.irs\.gov|law\.cornell\.edu)/", s)
                             for s in a.sources)


def test_answers_agree_on_figures_across_languages() -> None:
    """Amounts, percentages and day counts must be the same in the English and the Spanish answer."""
    def figures(s: str) -> list[str]:
        return sorted(re.sub(r"[.,]", "", f) for f in re.findall(r"\$?\d[\d,.]*", s))

    for topic in Topic:
        en, es = questions.answer(topic, "en"), questions.answer(topic, "es")
        if en is not None and es is not None:
            assert figures(en.text) == figures(es.text), topic


def test_answers_exist_for_every_general_topic() -> None:
    answered_elsewhere = {Topic.CODE_MEANING, Topic.MY_DEADLINE, Topic.WHAT_TO_DO, Topic.HEADING}
    assert {t for t in Topic if questions.answer(t) is None} == answered_elsewhere


def test_code_answer_comes_from_the_catalog_with_official_sources() -> None:
    a = questions.code_answer("CP504", "es")
    assert a is not None and a.sources and all("irs.gov" in s for s in a.sources)
    assert questions.code_answer("CP9999") is None
