"""The case summary for a professional through the real dispatcher, in English and Spanish: the button
on a case sends the PDF (twice is harmless), /summary sends it at once for one case and asks which
case when there are several, a person without notices gets a friendly answer, and someone else's
case is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from bot.callbacks import CaseAction, CaseCb
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_cases import ME, OTHER, ago, save, three_notices
from tests.reliability.support import button, plain

WORDS = {
    "en": {"button": "Summary for a tax professional", "title": "Case summary for a tax professional",
           "caption": "for a tax professional", "which": "Which case should the summary be about?",
           "none": "You have no notices yet", "open": "Open questions", "notes": "Your notes are not in it"},
    "es": {"button": "Resumen para un profesional de impuestos",
           "title": "Resumen del caso para un profesional de impuestos", "caption": "para un profesional de impuestos",
           "which": "¿De qué caso quiere el resumen?", "none": "Todavía no tiene avisos",
           "open": "Preguntas pendientes", "notes": "Sus notas no van incluidas"},
}


def pdf_text(st: Stack, message: dict) -> str:
    data = st.emu.file_bytes(message["document"]["file_id"])
    return " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_the_case_button_sends_the_summary_pdf_and_twice_is_harmless(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, lt11 = await three_notices(st, lang)
        [listing] = await st.say(ME, "/notices")
        _, [view] = await st.press(ME, listing, CaseCb(action=CaseAction.OPEN, case_id=cp14.case_id).pack())
        data = button(view, w["button"])
        assert data == CaseCb(action=CaseAction.SUMMARY, case_id=cp14.case_id).pack()
        for _ in range(2):
            _, [doc] = await st.press(ME, view, data)
            assert doc["document"]["file_name"] == "case-summary-2024.pdf"
            assert w["caption"] in doc["caption"] and w["notes"] in doc["caption"]
            text = pdf_text(st, doc)
            assert w["title"] in text and "CP14" in text and "CP501" in text and w["open"] in text
            assert "LT11" not in text  # another case
            assert str(ME) not in text  # never the person's Telegram id
        assert st.errors.records == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_summary_asks_which_case_when_there_are_several(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, lt11 = await three_notices(st, lang)
        [question] = await st.say(ME, "/summary")
        assert w["which"] in plain(question)
        lt11_button = button(question, "LT11")
        assert lt11_button == CaseCb(action=CaseAction.SUMMARY, case_id=lt11.case_id).pack()
        assert button(question, "CP14, CP501") == CaseCb(action=CaseAction.SUMMARY, case_id=cp14.case_id).pack()
        _, [doc] = await st.press(ME, question, lt11_button)
        text = pdf_text(st, doc)
        assert "LT11" in text and "CP14" not in text and w["title"] in text
        assert st.errors.records == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_summary_with_one_case_sends_it_and_without_notices_answers_kindly(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        if lang == "es":
            await st.say(ME, "/language es")
        [answer] = await st.say(ME, "/summary")
        assert w["none"] in plain(answer) and not answer.get("document")
        await save(st, ME, lang, "CP14", 2024, ago(15))
        [doc] = await st.say(ME, "/summary")
        assert "CP14" in pdf_text(st, doc) and w["caption"] in doc["caption"]
        assert st.errors.records == []


async def test_someone_elses_case_summary_is_refused(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        cp14, _, _ = await three_notices(st, "en")
        [mine] = await st.say(OTHER, "/help")
        answer, replies = await st.press(OTHER, mine, CaseCb(action=CaseAction.SUMMARY, case_id=cp14.case_id).pack())
        assert answer["show_alert"] and "not yours" in answer["text"] and replies == []
        assert st.errors.records == []

