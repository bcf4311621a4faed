"""Penalty relief through the real dispatcher, English and Spanish: the three questions with buttons,
the outcome, the request letter as a PDF, the phone script, reasonable cause; a proposal is told there
is nothing to remove yet; someone else's notice is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.callbacks import NoticeAction, NoticeCb
from bot.routers.relief import ReliefCb, ReliefOut
from tests.dispatcher.inproc import dispatcher_stack
from tests.dispatcher.test_calendar import saved
from tests.reliability.support import button, plain

PERSON = 8301
NOTICE = "CP14 for tax year 2024, I owe $3,412.18, dated 11/3/2026"
WORDS = {
    "en": {"save": "Save", "yes": "Yes", "no": "No", "q2": "2/3.", "likely": "You likely qualify",
           "no_fta": "needs all three", "script": "first-time penalty abatement for 2024", "cause": "Lack of money alone"},
    "es": {"save": "Guardar", "yes": "Sí", "no": "No", "q2": "2/3.", "likely": "Probablemente cumple",
           "no_fta": "requiere las tres", "script": "alivio de multas por primera vez (first-time abatement) para 2024",
           "cause": "La falta de dinero por sí sola"},
}


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_first_time_abatement_check_letter_and_phone_script(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        if lang == "es":
            await st.say(PERSON, "/language es")
        nid = await saved(st, PERSON, NOTICE, save=w["save"])
        [carrier] = await st.say(PERSON, "/help")
        _, [_intro, q1] = await st.press(PERSON, carrier, NoticeCb(action=NoticeAction.RELIEF, notice_id=nid).pack())
        _, [q2] = await st.press(PERSON, q1, button(q1, w["yes"]) or "")
        assert w["q2"] in plain(q2)
        _, [q3] = await st.press(PERSON, q2, button(q2, w["yes"]) or "")
        _, [result] = await st.press(PERSON, q3, button(q3, w["yes"]) or "")
        assert w["likely"] in plain(result) and "first-time-abate" in plain(result)
        _, [doc] = await st.press(PERSON, result, ReliefOut(notice_id=nid, what="pdf").pack())
        assert doc["method"] == "sendDocument" and doc["document"]["file_name"] == "penalty-relief-CP14.pdf"
        assert st.emu.file_bytes(doc["document"]["file_id"]).startswith(b"%PDF")
        _, [script] = await st.press(PERSON, result, ReliefOut(notice_id=nid, what="phone").pack())
        assert w["script"] in plain(script)
        _, [no] = await st.press(PERSON, result, ReliefCb(notice_id=nid, answers="ynu").pack())
        assert w["no_fta"] in plain(no) and button(no, "PDF") is None  # no letter when a condition fails
        _, [cause] = await st.press(PERSON, no, ReliefOut(notice_id=nid, what="cause").pack())
        assert w["cause"] in plain(cause) and "penalty-relief-for-reasonable-cause" in plain(cause)
        assert st.errors.records == []


async def test_a_proposal_has_nothing_to_remove_and_forged_answers_are_ignored(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, PERSON, "CP2000 for tax year 2024, proposed $1,200.00, dated 11/3/2026")
        [carrier] = await st.say(PERSON, "/help")
        _, [reply] = await st.press(PERSON, carrier, NoticeCb(action=NoticeAction.RELIEF, notice_id=nid).pack())
        assert "nothing to remove" in plain(reply)
        answer, replies = await st.press(PERSON, carrier, ReliefCb(notice_id=nid, answers="yyyyx").pack())
        assert answer["answered"] and replies == []
        answer, replies = await st.press(PERSON + 1, carrier, ReliefOut(notice_id=nid, what="pdf").pack())
        assert answer.get("show_alert") and replies == []
        assert st.errors.records == []
