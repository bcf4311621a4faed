"""notices.language.written_in: real sentences people send, in Spanish and English; codes and
numbers alone (and one ambiguous word) say nothing."""

from __future__ import annotations

import pytest

from notices.language import written_in

SPANISH = [
    "Recibí una carta del IRS que dice que debo $2,140",
    "hola, me llegó un aviso CP14 del año 2024",
    "¿Qué hago? Tengo miedo",
    "no puedo pagar todo, ¿hay un plan de pagos?",
    "la fecha del aviso es el 3 de marzo",
    "ayuda por favor",
    "gracias",
    "es el CP501 de 2023",
    "me cobran multas, ¿me las pueden quitar?",
    "¿esta carta es real o es una estafa?",
]
ENGLISH = [
    "I got a letter from the IRS saying I owe $2,140",
    "got a CP14 for 2024, owe $3,412.18, dated Nov 3",
    "what do I do",
    "is this letter real?",
    "can I pay monthly?",
    "the notice is dated March 3",
    "thanks",
    "it says final notice at the top",
    "please help",
    "sorry the amount is $2,140",
]
NEITHER = ["CP14 2024 $500", "3/1/2026", "CP501", "", "  ", "$1,250.00", "no", "ok", "Texas", "12345"]


@pytest.mark.parametrize("text", SPANISH)
def test_spanish_sentences_are_spanish(text: str) -> None:
    assert written_in(text) == "es"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_sentences_are_english(text: str) -> None:
    assert written_in(text) == "en"


@pytest.mark.parametrize("text", NEITHER)
def test_codes_numbers_and_one_ambiguous_word_say_nothing(text: str) -> None:
    assert written_in(text) is None


@pytest.mark.parametrize(("text", "expect"), [
    ("CP14 for tax year 2024, amount due $300.00, dated November 3, 2026", None),  # pasted from a notice
    ("I got a letter from the IRS, a CP14 for 2024, I owe $980", "en"),  # the person's own words
    ("recibí una carta del IRS, debo $980", "es"),
])
def test_language_to_follow_ignores_english_pasted_from_a_notice(text: str, expect: str | None) -> None:
    from notices.language import language_to_follow

    assert language_to_follow(text) == expect
