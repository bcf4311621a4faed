"""Penalty relief: the first-time abatement conditions, the request letter and phone script (English
and Spanish), and which notices have a penalty to remove at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.i18n import words as translator
from notices import relief

REQ = relief.RequestInput("CP14", date(2026, 11, 3), date(2026, 11, 21), (2024,), Decimal("3412.18"))


@pytest.mark.parametrize(("answers", "outcome", "failing"), [
    ({"clean_history": True, "filed": True, "paid_or_plan": True}, "likely", ()),
    ({"clean_history": False, "filed": True, "paid_or_plan": True}, "no", ("clean_history",)),
    ({"clean_history": True, "filed": False, "paid_or_plan": None}, "no", ("filed",)),
    ({"clean_history": None, "filed": True, "paid_or_plan": True}, "unsure", ()),
])
def test_first_time_abatement_needs_all_three_conditions(answers, outcome, failing) -> None:
    result = relief.check(answers)
    assert result.outcome == outcome and result.failing == failing


def test_the_request_letter_states_the_three_conditions_and_the_plan_when_there_is_one() -> None:
    text = relief.request_text(REQ)
    assert "first-time abatement" in text and "Notice CP14 dated November 3, 2026" in text and "2024" in text
    assert "no penalties in the three tax years" in text and "$3,412.18" in text and "[last four digits only]" in text
    planned = relief.request_text(relief.RequestInput(**{**REQ.__dict__, "in_plan": True}))
    assert "installment agreement, and I am current" in planned


def test_the_spanish_letter_and_script_are_in_spanish() -> None:
    text = relief.request_text(REQ, translator("es"))
    assert "Aviso CP14 con fecha 3 de noviembre de 2026" in text and "Estimados señores" in text
    assert "Llame al número de su aviso CP14" in relief.phone_script(REQ, translator("es"))


def test_the_pdf_is_a_one_page_letter() -> None:
    pdf = relief.request_pdf(REQ, translator("es"))
    assert pdf.startswith(b"%PDF") and b"/Count 1" in pdf


def test_a_proposal_has_no_penalty_to_remove_yet() -> None:
    assert relief.eligible_notice("CP14") and relief.eligible_notice("CP504")
    assert not relief.eligible_notice("CP2000")


def test_the_request_letter_names_a_letter_and_a_notice_saved_without_its_code() -> None:
    # Regression: the relief letter wrote "Notice " + the stored code: "Notice LTR1058" for Letter 1058
    # and "Notice UNKNOWN" for a notice saved before its code was known (the dispute letter did not).
    letter = relief.request_text(relief.RequestInput(**{**REQ.__dict__, "notice_code": "LTR1058"}))
    assert "Re: Request for first-time penalty abatement - Letter 1058 dated" in letter
    unknown = relief.request_text(relief.RequestInput(**{**REQ.__dict__, "notice_code": "UNKNOWN"}), translator("es"))
    assert "UNKNOWN" not in unknown and "Su aviso del IRS con fecha" in unknown


def test_the_phone_script_never_says_unknown() -> None:
    # Regression: the phone script said "Call the number on your UNKNOWN" ("su aviso UNKNOWN") for a
    # notice saved before its code was known, and "your LTR1058" for Letter 1058.
    unknown = relief.RequestInput(**{**REQ.__dict__, "notice_code": "UNKNOWN"})
    assert "Call the number on your IRS notice and say" in relief.phone_script(unknown)
    assert "UNKNOWN" not in relief.phone_script(unknown, translator("es"))
    letter = relief.RequestInput(**{**REQ.__dict__, "notice_code": "LTR1058"})
    assert "Call the number on your Letter 1058 and say" in relief.phone_script(letter)
    assert "Call the number on your CP14 and say" in relief.phone_script(REQ)
