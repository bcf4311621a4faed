"""Issue 14, in process on the whole dispatcher, in English and Spanish: the card's button leads to
the instrument that keeps the notice's right.

- CDP (LT11, Letter 3172): the Form 12153 helper (a Scene), the filled PDF read back, then logging
  the certified-mail number and the follow-up reminder;
- a notice of deficiency (CP3219A): the Tax Court petition guide, never a dispute letter;
- a math-error notice (CP11): the 60-day abatement request letter and its PDF;
- any other notice (CP14): the dispute letter as before;
- "Disputed" on a hard notice keeps its reminders and asks whether the instrument was sent;
- bad answers get a friendly retry, an SSN typed into the helper is never kept, and old or forged
  buttons are refused.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from aiogram.types import Update

from bot.callbacks import NoticeAction, NoticeCb
from bot.routers.form12153 import InstrumentCb
from bot.routers.reminders import ReminderAction
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain

SSN = "123-45-6789"
TRACKING = "9407 1118 9876 5432 1098 76"


def today() -> date:
    return datetime.now(ZoneInfo("America/New_York")).date()  # the default zone: the person's today


def notice_day(days_ago: int) -> str:
    d = today() - timedelta(days=days_ago)
    return f"{d.month}/{d.day}/{d.year}"


async def say(st: Stack, uid: int, text: str, lang: str) -> list[dict[str, Any]]:
    """A message from ``uid`` whose Telegram client is in ``lang`` (a new person gets that language)."""
    since = st.emu.cursor
    raw = st.emu.inject_message(uid, text=text, language_code=lang)["message"]
    st.emu.pending.clear()
    await st.feed(Update(update_id=uid * 1000 + st.emu.cursor, message=raw))
    return st.emu.sent(uid, since)


async def saved_card(st: Stack, uid: int, text: str, lang: str) -> tuple[int, dict[str, Any]]:
    """Save the notice described by ``text`` and return its id and its card (with the buttons)."""
    if lang == "es":  # the notice is typed in English ("I owe..."): a chosen language does not follow it
        await say(st, uid, "/language es", lang)
    [draft] = [m for m in await say(st, uid, text, lang) if any(d.startswith("dr:save") for _, d in _buttons(m))]
    _, replies = await st.press(uid, draft, next(d for _, d in _buttons(draft) if d.startswith("dr:save")))
    with sqlite3.connect(st.db) as conn:
        nid = int(conn.execute("SELECT max(id) FROM notices WHERE user_id = ?", (uid,)).fetchone()[0])
    [card] = [m for m in replies if any(d == NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack()
                                        for _, d in _buttons(m))] or [None]
    if card is None:  # some flows show the card on /notices only
        _, [card] = await st.press(uid, replies[-1], NoticeCb(action=NoticeAction.VIEW, notice_id=nid).pack())
    return nid, card


def _buttons(m: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (m.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def label_of(m: dict[str, Any], data: str) -> str:
    return next(t for t, d in _buttons(m) if d == data)


def pdf_text(st: Stack, m: dict[str, Any]) -> str:
    data = st.emu.file_bytes(m["document"]["file_id"])
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def one_line(text: str) -> str:
    return " ".join(text.split())


def rows(st: Stack, sql: str, *args: Any) -> list[Any]:
    with sqlite3.connect(st.db) as conn:
        return conn.execute(sql, args).fetchall()


WORDS = {
    "en": {"button": "Request a hearing (Form 12153)", "fill": "Fill in Form 12153", "income": "Income",
           "notice": "use 2024", "done": "Done", "installment": "Installment agreement", "mailed": "I mailed it",
           "today": "Today", "postmark": "Postmark deadline", "logged": "Form 12153 mailed on",
           "removed": "Social Security", "court": "Tax Court petition guide", "abate": "60-day request letter"},
    "es": {"button": "Solicitar una audiencia (Formulario 12153)", "fill": "Llenar el Formulario 12153",
           "income": "Ingresos", "notice": "usar 2024", "done": "Listo", "installment": "Plan de pagos",
           "mailed": "Ya lo envié", "today": "Hoy", "postmark": "Fecha límite del matasellos",
           "logged": "Formulario 12153 enviado el", "removed": "Seguro Social",
           "court": "Guía de la petición al Tribunal Tributario", "abate": "Carta de solicitud de 60 días"},
}


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_form_12153_helper_from_the_card_to_the_logged_certified_mail(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    uid = 5101
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"LT11 for tax year 2024, I owe $7,777.77, dated {notice_day(10)}", lang)
        letter = NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack()
        assert w["button"] in label_of(card, letter)
        _, [guide] = await st.press(uid, card, letter)
        assert w["postmark"] in plain(guide) and "irs.gov" in (guide["text"] or "")
        assert "dispute letter" not in plain(guide).lower()

        # the helper: five questions, buttons and typed answers
        _, msgs = await st.press(uid, guide, button(guide, w["fill"]) or "")
        q1 = msgs[-1]
        _, [q2] = await st.press(uid, q1, button(q1, w["income"]) or "")
        [again] = await st.say(uid, "form abc!!")  # not a form number: asked again, nothing kept
        assert "1040" in plain(again)
        [q3] = await st.say(uid, "1040")
        _, [q4] = await st.press(uid, q3, button(q3, w["notice"]) or "")
        answer, edited = await st.press(uid, q4, button(q4, w["installment"]) or "")
        assert answer["answered"] and not edited  # the same question, its buttons ticked
        _, [q5] = await st.press(uid, q4, button(q4, w["done"]) or "")
        done = await st.say(uid, f"I can pay $300 a month. My SSN is {SSN}")
        assert any(w["removed"] in plain(m) for m in done)
        [doc] = [m for m in done if m["document"]]
        text = one_line(pdf_text(st, doc))
        assert "Form 12153" in text and "Income" in text and "1040" in text and "[X] Installment Agreement" in text
        assert "2024" in text and "[X] Proposed Levy or Actual Levy" in text and SSN not in text
        assert "I can pay $300 a month." in text
        after = [m for m in done if button(m, w["mailed"])][-1]

        # logging the sending: date, certified-mail number, then a follow-up reminder
        _, [ask_date] = await st.press(uid, after, button(after, w["mailed"]) or "")
        _, [ask_number] = await st.press(uid, ask_date, button(ask_date, w["today"]) or "")
        [bad] = await st.say(uid, SSN)
        assert SSN not in plain(bad)
        [logged] = await st.say(uid, TRACKING)
        assert w["logged"] in plain(logged) and TRACKING in plain(logged)
        [(status,)] = rows(st, "SELECT status FROM notices WHERE id = ?", nid)
        assert status == "disputed"
        kinds = [k for (k,) in rows(st, "SELECT kind FROM reminders WHERE notice_id = ? AND status = 'pending'", nid)]
        assert "followup:hearing" in kinds and "day" in kinds  # the hard date's reminders go on
        dump = "\n".join(map(str, rows(st, "SELECT data FROM notice_events WHERE notice_id = ?", nid)))
        assert TRACKING in dump and SSN not in dump and "123456789" not in dump
        assert st.errors.summary() == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_lien_notice_gets_form_12153_with_the_lien_box(tmp_path: Path, lang: str) -> None:
    uid = 5111
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"Letter 3172 for 2023, $12,000.00, dated {notice_day(5)}", lang)
        _, [guide] = await st.press(uid, card, NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack())
        _, msgs = await st.press(uid, guide, button(guide, WORDS[lang]["fill"]) or "")
        q = msgs[-1]
        for _ in range(5):  # "I don't know" / "Skip" to every question
            skip = next(d for _, d in _buttons(q) if d.startswith("in:skip:"))
            _, out = await st.press(uid, q, skip)
            q = out[-1]
        [doc] = [m for m in out if m["document"]]
        text = one_line(pdf_text(st, doc))
        assert "[X] Filed Notice of Federal Tax Lien" in text and "[ ] Proposed Levy" in text.replace("[  ]", "[ ]")
        assert "[X] Installment" not in text and "Income" not in text.split("Civil Penalty)")[1][:40]
        assert st.errors.summary() == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_notice_of_deficiency_gets_the_tax_court_guide_not_a_dispute_letter(tmp_path: Path, lang: str) -> None:
    uid = 5121
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"CP3219A for 2023, $4,000.00, dated {notice_day(20)}", lang)
        letter = NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack()
        assert WORDS[lang]["court"] in label_of(card, letter)
        _, msgs = await st.press(uid, card, letter)
        assert not any(m["document"] for m in msgs)  # no letter to mail: only a petition stops the clock
        text = one_line(plain(msgs[-1]))
        assert "$50,000" in text and "$60" in text and "DAWSON" in text and "1-877-777-4778" in text
        assert ("does not extend" if lang == "en" else "no lo extiende") in text
        via_command = await st.say(uid, "/letter")
        assert one_line(plain(via_command[-1])) == text  # /letter gives the same guide
        assert st.errors.summary() == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_math_error_notice_gets_the_60_day_request_letter(tmp_path: Path, lang: str) -> None:
    uid = 5131
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"CP11 for 2025, I owe $1,234.50, dated {notice_day(3)}", lang)
        letter = NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack()
        assert WORDS[lang]["abate"] in label_of(card, letter)
        _, msgs = await st.press(uid, card, letter)
        [doc] = [m for m in msgs if m["document"]]
        pdf = one_line(pdf_text(st, doc))
        assert "6213(b)(2)(A)" in pdf and "1,234.50" in pdf and "2025" in pdf
        guide = one_line(plain(msgs[0]))
        assert ("60 days" if lang == "en" else "60 días") in guide
        assert "💵" in guide and "🛡" in guide  # the payment date next to the 60-day request's last day
        assert st.errors.summary() == []


@pytest.mark.parametrize("lang,label,subject", [("en", "✉️ Dispute letter", "Re: Notice CP14"),
                                               ("es", "✉️ Carta de disputa", "Asunto: Aviso CP14")])
async def test_other_notices_keep_the_dispute_letter(tmp_path: Path, lang: str, label: str, subject: str) -> None:
    uid = 5141
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"CP14 for 2024, I owe $900.00, dated {notice_day(3)}", lang)
        letter = NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack()
        assert label_of(card, letter) == label
        _, msgs = await st.press(uid, card, letter)
        assert subject in plain(msgs[0]) and msgs[-1]["document"]
        assert not any("🛡" in plain(m) for m in msgs)  # no right to keep: no instrument line


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_disputed_stopped_the_reminders_of_a_hard_notice_and_asks_if_the_form_was_sent(
        tmp_path: Path, lang: str) -> None:
    uid = 5151
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"LT11 for 2024, I owe $2,000.00, dated {notice_day(5)}", lang)
        before = rows(st, "SELECT kind, due_at FROM reminders WHERE notice_id = ? AND status = 'pending' "
                          "AND (kind = 'day' OR kind LIKE 'before:%') ORDER BY due_at", nid)
        _, msgs = await st.press(uid, card, NoticeCb(action=NoticeAction.DISPUTED, notice_id=nid).pack())
        ask = msgs[-1]
        assert ("Did you already send it?" if lang == "en" else "¿Ya lo envió?") in plain(ask)
        assert button(ask, WORDS[lang]["mailed"]) and button(ask, "Not yet" if lang == "en" else "Todavía no")
        after = rows(st, "SELECT kind, due_at FROM reminders WHERE notice_id = ? AND status = 'pending' "
                         "ORDER BY due_at", nid)
        assert before and after == before
        # the reminder's Disputed button says the same
        answer, out = await st.press(uid, card, ReminderAction(action="disputed", notice_id=nid).pack())
        assert button(out[-1], WORDS[lang]["mailed"]) and plain(out[-1]) == plain(ask)
        # the card still shows the hard date and the instrument while disputed, and /notices lists it
        _, [view] = await st.press(uid, card, NoticeCb(action=NoticeAction.VIEW, notice_id=nid).pack())
        assert ("Form 12153" if lang == "en" else "Formulario 12153") in plain(view) and "📅" in plain(view)
        [listing] = await st.say(uid, "/notices")
        assert "LT11" in plain(listing) and button(listing, "LT11")
        assert st.errors.summary() == []


async def test_disputed_on_a_hard_notice_whose_instrument_is_a_letter_says_the_reminders_go_on(
        tmp_path: Path) -> None:
    """Letter 1153 (a trust fund recovery penalty: 60 days to protest, hard) keeps the dispute letter, and
    "Disputed" must not say the reminders stopped: they go on to the date."""
    uid = 5191
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"Letter 1153 for 2023, $8,000.00, dated {notice_day(5)}", "en")
        _, letter = await st.press(uid, card, NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack())
        assert letter[-1]["document"] and button(letter[-1], "I mailed it")  # the letter is what keeps it
        _, msgs = await st.press(uid, card, NoticeCb(action=NoticeAction.DISPUTED, notice_id=nid).pack())
        assert "only a dispute letter does" in plain(msgs[-1]) and "stopped" not in plain(msgs[-1])
        _, [ask_date] = await st.press(uid, msgs[-1], button(msgs[-1], "I mailed it") or "")
        _, [ask_number] = await st.press(uid, ask_date, button(ask_date, "Today") or "")
        [logged] = await st.say(uid, TRACKING)
        assert "Logged: letter mailed on" in plain(logged)
        assert rows(st, "SELECT count(*) FROM reminders WHERE notice_id = ? AND status = 'pending'", nid)[0][0] > 0
        assert st.errors.summary() == []


@pytest.mark.parametrize("lang,title", [("en", "Petition the U.S. Tax Court"),
                                        ("es", "Presentar una petición al Tribunal Tributario")])
async def test_reminder_instrument_button_opens_the_guide(tmp_path: Path, lang: str, title: str) -> None:
    uid = 5161
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"CP3219A for 2023, $4,000.00, dated {notice_day(20)}", lang)
        _, msgs = await st.press(uid, card, ReminderAction(action="tool", notice_id=nid).pack())
        assert title in plain(msgs[-1]) and "DAWSON" in plain(msgs[-1])


async def test_old_and_forged_helper_buttons_are_refused(tmp_path: Path) -> None:
    uid, other = 5171, 5172
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"LT11 for 2024, I owe $2,000.00, dated {notice_day(5)}", "en")
        _, [guide] = await st.press(uid, card, NoticeCb(action=NoticeAction.LETTER, notice_id=nid).pack())
        _, msgs = await st.press(uid, guide, button(guide, "Fill in") or "")
        q1 = msgs[-1]
        [cancelled] = await st.say(uid, "/cancel")
        answer, out = await st.press(uid, q1, button(q1, "Income") or "")  # a button of a closed helper
        assert answer.get("show_alert") and "expired" in answer.get("text", "") and not out
        [own] = await st.say(other, "/help")
        for action in ("fill", "sent", "guide"):
            answer, out = await st.press(other, own, InstrumentCb(action=action, notice_id=nid).pack())
            assert answer.get("show_alert") and not out, action
        answer, out = await st.press(other, own, ReminderAction(action="tool", notice_id=nid).pack())
        assert answer.get("show_alert") and not out
        assert st.errors.summary() == []


async def test_log_sent_refuses_a_future_date_and_a_non_number(tmp_path: Path) -> None:
    uid = 5181
    async with dispatcher_stack(tmp_path) as st:
        nid, card = await saved_card(st, uid, f"LT11 for 2024, I owe $2,000.00, dated {notice_day(5)}", "en")
        _, [ask_date] = await st.press(uid, card, InstrumentCb(action="sent", notice_id=nid).pack())
        future = today() + timedelta(days=40)
        [bad] = await st.say(uid, f"{future.month}/{future.day}/{future.year}")
        assert "already come" in plain(bad)
        [ask_number] = await st.say(uid, "today")
        [bad] = await st.say(uid, "no idea, lost it")
        assert "does not look like" in plain(bad)
        _, [logged] = await st.press(uid, ask_number, button(ask_number, "Skip") or "")
        assert "Form 12153 mailed on" in plain(logged)
        assert st.errors.summary() == []
