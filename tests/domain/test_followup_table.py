"""Follow-ups and questions in people's own words (English and Spanish): the intent each must be read
as (``notices.intent.classify``, the order the routers try) and, for a correction, the change it must
make to the notice on screen: a CP14 dated Nov 3, 2026, $1,250.00, tax year 2023, read on Nov 21, 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from notices import corrections, facts, intent
from notices.intent import Kind
from notices.questions import Topic

TODAY = date(2026, 11, 21)
ON_SCREEN = facts.NoticeInput("CP14", date(2026, 11, 3), None, None, False, Decimal("1250.00"), (2023,))
C, Q, N, X = Kind.CORRECTION, Kind.QUESTION, Kind.NOTICE, Kind.OTHER
D = date

# (id, text, language, intent, topic for a question / the field changes for a correction)
ROWS: list[tuple[str, str, str, Kind, Any]] = [
    # the notice date; a day alone keeps the month and year on screen
    ("date-day-only", "actually it was dated the 12th", "en", C, {"notice_date": D(2026, 11, 12)}),
    ("date-day-no-cue", "it was dated the 12th", "en", C, {"notice_date": D(2026, 11, 12)}),
    ("date-month-day", "sorry, dated Nov 12", "en", C, {"notice_date": D(2026, 11, 12)}),
    ("date-in-words", "wait, the date on it is November 12, 2026", "en", C, {"notice_date": D(2026, 11, 12)}),
    ("date-numeric", "oops the notice date is 11/12/2026", "en", C, {"notice_date": D(2026, 11, 12)}),
    ("date-first", "actually it's dated the 1st", "en", C, {"notice_date": D(2026, 11, 1)}),
    ("date-future-day-is-last-month", "sorry, it was dated the 25th", "en", C, {"notice_date": D(2026, 10, 25)}),
    ("date-same-as-before", "actually it was dated the 3rd", "en", C, {}),
    ("es-date-day-only", "en realidad la fecha es el 12", "es", C, {"notice_date": D(2026, 11, 12)}),
    ("es-date-words", "perdón, la fecha es el 12 de noviembre", "es", C, {"notice_date": D(2026, 11, 12)}),
    ("es-date-fechada", "fechada el 12, me equivoqué", "es", C, {"notice_date": D(2026, 11, 12)}),
    ("es-date-quise-decir", "quise decir el 12", "es", C, {"notice_date": D(2026, 11, 12)}),
    # the other dates
    ("received-day", "sorry, I received it on the 15th", "en", C, {"received_date": D(2026, 11, 15)}),
    ("received-arrived", "actually it arrived Nov 18", "en", C, {"received_date": D(2026, 11, 18)}),
    ("due-printed", "correction: respond by Dec 20, 2026", "en", C, {"due_date": D(2026, 12, 20)}),
    ("due-day", "actually the deadline is the 28th", "en", C, {"due_date": D(2026, 11, 28)}),
    ("es-received-day", "la recibí el 15", "es", C, {"received_date": D(2026, 11, 15)}),
    # the amount
    ("amount-sorry", "sorry the amount is $2,140", "en", C, {"amount": Decimal("2140.00")}),
    ("amount-cents", "the amount is actually 2,140.55", "en", C, {"amount": Decimal("2140.55")}),
    ("amount-not-old", "I owe $2,140 not $1,250", "en", C, {"amount": Decimal("2140.00")}),
    ("amount-my-bad", "my bad, it's $980", "en", C, {"amount": Decimal("980.00")}),
    ("amount-oops-swapped", "oops, $2,140 not $2,410", "en", C, {"amount": Decimal("2140.00")}),
    ("es-amount-son", "perdón, son $2,140", "es", C, {"amount": Decimal("2140.00")}),
    ("es-amount-debo", "en realidad debo $2,140", "es", C, {"amount": Decimal("2140.00")}),
    ("es-amount-monto", "el monto es $980", "es", C, {"amount": Decimal("980.00")}),
    # the code
    ("code-no-wait", "no wait it's a CP501", "en", C, {"code": "CP501"}),
    ("code-actually", "actually it's an LT11", "en", C, {"code": "LT11"}),
    ("code-not-old", "sorry, it is a CP504 not a CP14", "en", C, {"code": "CP504"}),
    ("code-wrong", "wrong code, it's CP2000", "en", C, {"code": "CP2000"}),
    ("code-letter", "it's a letter 1058", "en", C, {"code": "LTR1058"}),
    ("code-same", "actually it's a CP14", "en", C, {}),
    ("es-code", "es un CP501", "es", C, {"code": "CP501"}),
    ("es-code-not-old", "no es CP14, es CP501", "es", C, {"code": "CP501"}),
    ("es-code-perdon", "perdón, es una LT11", "es", C, {"code": "LT11"}),
    # tax years: a wrong year named is taken out, others replace the list
    ("years-not", "tax year 2022 not 2023", "en", C, {"tax_years": (2022,)}),
    ("years-sorry", "sorry, the tax year is 2022", "en", C, {"tax_years": (2022,)}),
    ("years-two", "it's for 2021 and 2022", "en", C, {"tax_years": (2021, 2022)}),
    ("years-keeps-right-one", "actually tax years 2022 and 2023", "en", C, {"tax_years": (2022, 2023)}),
    ("es-years", "el año fiscal es 2022", "es", C, {"tax_years": (2022,)}),
    ("es-years-not", "perdón, el año es 2022, no 2023", "es", C, {"tax_years": (2022,)}),
    # two fields with a correction word
    ("two-fields", "the amount is 2140 and it is for 2022, sorry", "en", C,
     {"amount": Decimal("2140.00"), "tax_years": (2022,)}),
    # where the person lives
    ("place-texas", "I live in Texas", "en", C, {"place": "texas"}),
    ("place-im-in", "I'm in California", "en", C, {"place": "california"}),
    ("place-new-york", "we live in new york", "en", C, {"place": "new york"}),
    ("es-place-texas", "vivo en Texas", "es", C, {"place": "texas"}),
    ("es-place-nueva-york", "vivo en Nueva York", "es", C, {"place": "nueva york"}),
    # questions
    ("q-real", "is this letter real?", "en", Q, Topic.SCAM_CHECK),
    ("q-ignore", "what happens if I ignore it", "en", Q, Topic.IGNORE),
    ("q-monthly", "can I pay monthly?", "en", Q, Topic.PAY_MONTHLY),
    ("q-penalties", "can I get the penalties removed", "en", Q, Topic.PENALTY_RELIEF),
    ("q-cannot-pay", "I can't pay anything", "en", Q, Topic.CANNOT_PAY),
    ("q-free-help", "who can help me for free", "en", Q, Topic.FREE_HELP),
    ("q-code", "what does CP504 mean?", "en", Q, Topic.CODE_MEANING),
    ("q-deadline", "what is my deadline", "en", Q, Topic.MY_DEADLINE),
    ("q-help", "help", "en", Q, Topic.WHAT_TO_DO),
    ("q-heading-final", "it says final notice at the top", "en", Q, Topic.HEADING),
    ("q-heading-levy", "the letter says intent to levy", "en", Q, Topic.HEADING),
    ("q-heading-deficiency", "it says notice of deficiency", "en", Q, Topic.HEADING),
    ("q-heading-changed", "it says we changed your return", "en", Q, Topic.HEADING),
    ("es-q-real", "¿Es real esta carta?", "es", Q, Topic.SCAM_CHECK),
    ("es-q-monthly", "¿Puedo pagar a plazos?", "es", Q, Topic.PAY_MONTHLY),
    ("es-q-ignore", "¿Qué pasa si no pago?", "es", Q, Topic.IGNORE),
    ("es-q-deadline", "¿Cuándo vence?", "es", Q, Topic.MY_DEADLINE),
    ("es-q-heading-final", "dice aviso final arriba", "es", Q, Topic.HEADING),
    ("es-q-heading-deficiency", "dice aviso de deficiencia", "es", Q, Topic.HEADING),
    # new notices: never a correction
    ("notice-got-code", "I got a CP501", "en", N, None),
    ("notice-also", "I also got a CP501 dated the 12th", "en", N, None),
    ("notice-full", "CP14 for 2024, $500, dated Nov 3", "en", N, None),
    ("notice-another", "another one: LT11 for 2022, $15,000", "en", N, None),
    ("es-notice-otra", "me llegó otra carta, CP501 por $700", "es", N, None),
    ("es-notice-full", "CP2000 del año 2023 por $1,200", "es", N, None),
    ("notice-with-heading", "I got a CP14 for 2024, balance due $1,250.00", "en", N, None),
    # neither: the fallback answers (a question about a value is not a correction)
    ("other-asks-amount", "is the amount $2,140?", "en", X, None),
    ("other-thanks", "thanks", "en", X, None),
    ("other-bare-year", "2024", "en", X, None),
    ("other-bare-amount", "$2,140", "en", X, None),
    ("es-other-hola", "hola", "es", X, None),
]


@pytest.mark.parametrize(("text", "lang", "kind", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_sentence_has_its_intent_and_change(text: str, lang: str, kind: Kind, expected: Any) -> None:
    found = intent.classify(text, TODAY, lang)
    assert found.kind is kind
    if kind is Kind.QUESTION:
        assert found.topic is expected
    if kind is Kind.CORRECTION:
        assert found.correction is not None
        assert corrections.changes(found.correction, ON_SCREEN, TODAY) == expected
    else:
        assert found.correction is None


def test_the_table_is_large_and_ids_are_unique() -> None:
    ids = [r[0] for r in ROWS]
    assert len(ids) >= 60 and len(set(ids)) == len(ids)
    assert sum(r[2] == "es" for r in ROWS) >= 20


def test_a_day_alone_without_a_date_on_screen_is_this_month_or_last() -> None:
    blank = facts.NoticeInput("CP14")
    c = corrections.understand("actually it was dated the 12th", TODAY, "en")
    assert c is not None and corrections.changes(c, blank, TODAY) == {"notice_date": D(2026, 11, 12)}
    c = corrections.understand("sorry, dated the 30th", TODAY, "en")
    assert c is not None and corrections.changes(c, blank, TODAY) == {"notice_date": D(2026, 10, 30)}


def test_a_day_that_no_month_has_changes_nothing() -> None:
    c = corrections.understand("actually it was dated the 31st", D(2026, 11, 21), "en")
    assert c is not None
    assert corrections.changes(c, facts.NoticeInput("CP14", D(2026, 11, 3)), TODAY) == {}  # no Nov 31


@pytest.mark.parametrize(("code", "notice_date", "years", "unknown", "asked"), [
    ("LT11", None, (), (), ("notice_date", "tax_years")),  # hard: the date a right is lost counts from it
    ("CP504", None, (2024,), (), ()),  # CP504 gives no hearing right: not hard
    ("CP14", None, (), (), ("tax_years",)),
    ("LT11", None, (), ("notice_date", "tax_years"), ()),  # "I don't know" answered: Save goes through
    ("CP3219A", D(2026, 11, 3), (2024,), (), ()),
], ids=["hard-no-date", "not-hard", "soft-no-year", "dont-know", "complete"])
def test_what_is_asked_before_saving(code: str, notice_date: date | None, years: tuple[int, ...],
                                     unknown: tuple[str, ...], asked: tuple[str, ...]) -> None:
    assert facts.before_saving(code, notice_date, years, unknown) == asked
