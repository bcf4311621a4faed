"""Several cards open at once, each its own draft, saved in any order; repeated taps; what Save asks
first (a hard notice's date, the tax year) with "I don't know" always there; a letter known only by
its heading identified by a short choice. English and Spanish, through the whole dispatcher."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from notices import facts
from tests.dispatcher.inproc import dispatcher_stack
from tests.dispatcher.test_corrections import cards, rows, say
from tests.reliability.support import button, plain

EN, ES = 8201, 8202
THREE = ("CP14 for tax year 2024, I owe $1,250.00, dated November 3, 2026",
         "CP501 for tax year 2023, I owe $700.00, dated November 9, 2026",
         "CP2000 for tax year 2022, proposed $2,300.00, dated November 10, 2026")


async def test_three_notices_in_a_row_are_saved_in_any_order(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        shown = [cards(await say(st, EN, text))[0] for text in THREE]
        for i in (1, 2, 0):  # the middle one, the last, then the first
            answer, replies = await st.press(EN, shown[i], button(shown[i], "Save") or "")
            assert answer["text"] == "Saved." and any(THREE[i][:5] in plain(m) and "Saved." in plain(m) for m in replies)
        assert sorted(rows(st, "SELECT code, amount_cents FROM notices")) == [
            ("CP14", 125000), ("CP2000", 230000), ("CP501", 70000)]
        answer, replies = await st.press(EN, shown[1], button(shown[1], "Save") or "")  # a second tap
        assert answer["text"] == "Saved." and not answer["show_alert"] and replies == []
        answer, _ = await st.press(EN, shown[0], button(shown[0], "Fix a field") or "")  # saved: out of date
        assert answer["show_alert"] and "out of date" in answer["text"]
        assert rows(st, "SELECT count(*) FROM notices") == [(3,)] and not st.errors.records


async def test_cancel_one_card_keeps_the_others_and_a_second_cancel_is_calm(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        first, second = [cards(await say(st, EN, text))[0] for text in THREE[:2]]
        answer, replies = await st.press(EN, first, button(first, "Cancel") or "")
        assert "Nothing was saved" in plain(replies[-1])
        answer, replies = await st.press(EN, first, button(first, "Cancel") or "")
        assert answer["text"] == "Cancelled. Nothing was saved." and not answer["show_alert"] and replies == []
        answer, _ = await st.press(EN, first, button(first, "Save") or "")
        assert answer["show_alert"] and "out of date" in answer["text"]
        answer, _ = await st.press(EN, second, button(second, "Save") or "")
        assert answer["text"] == "Saved."
        assert rows(st, "SELECT code FROM notices") == [("CP501",)]


async def test_two_spanish_cards_saved_in_reverse_order(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        first = cards(await say(st, ES, "CP14 del año 2024, debo $1,250.00, fechada el 3 de noviembre de 2026", "es"),
                      "Guardar")[0]
        second = cards(await say(st, ES, "CP501 del año 2023, debo $700.00, fechada el 9 de noviembre de 2026", "es"),
                       "Guardar")[0]
        for card in (second, first):
            answer, _ = await st.press(ES, card, button(card, "Guardar") or "")
            assert answer["text"] == "Guardado."
        answer, _ = await st.press(ES, second, button(second, "Guardar") or "")
        assert answer["text"] == "Guardado."
        assert sorted(rows(st, "SELECT code FROM notices")) == [("CP14",), ("CP501",)]


async def test_save_asks_the_tax_year_first_and_saves_once_it_is_answered(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, "CP14, I owe $1,250.00, dated November 3, 2026"))
        answer, [question] = await st.press(EN, card, button(card, "Save") or "")
        assert answer["text"] == "One question first." and "Which tax year" in plain(question)
        assert button(question, "I don't know") and rows(st, "SELECT count(*) FROM notices") == [(0,)]
        answer, replies = await st.press(EN, card, button(card, "Save") or "")  # tapped again: asked once
        assert "answer the question above" in answer["text"] and replies == []
        replies = await say(st, EN, "2024")
        assert any("Saved." in plain(m) for m in replies)
        assert rows(st, "SELECT code, tax_years FROM notices") == [("CP14", "[2024]")]
        answer, _ = await st.press(EN, card, button(card, "Save") or "")
        assert answer["text"] == "Saved." and rows(st, "SELECT count(*) FROM notices") == [(1,)]


async def test_hard_notice_without_a_date_asks_it_and_i_dont_know_saves_the_safe_date(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, "LT11 for 2023, I owe $15,000.00"))
        _, [question] = await st.press(EN, card, button(card, "Save") or "")
        assert "What date is printed on the notice?" in plain(question)
        answer, replies = await st.press(EN, question, button(question, "I don't know") or "")
        assert answer["text"] == "Saved." and any("Saved." in plain(m) for m in replies)
        [(notice_date, respond_by, estimated)] = rows(
            st, "SELECT notice_date, respond_by, respond_by_estimated FROM notices")
        today = datetime.now(ZoneInfo("America/New_York")).date()  # the person's day (the default zone)
        safe = facts.derive(facts.NoticeInput("LT11"), today)  # received today, dated 21 days before at the latest
        assert notice_date is None and estimated == 1 and "at_the_latest" in safe.notes
        assert safe.respond_by is not None and respond_by == safe.respond_by.isoformat(), (respond_by, safe)  # the safe date


async def test_spanish_save_asks_the_tax_year_and_no_se_saves(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, ES, "CP14, debo $1,250.00, fechada el 3 de noviembre de 2026", "es"), "Guardar")
        answer, [question] = await st.press(ES, card, button(card, "Guardar") or "")
        assert answer["text"] == "Antes, una pregunta." and "Una pregunta antes de guardarlo" in plain(question)
        answer, _ = await st.press(ES, question, button(question, "No sé") or "")
        assert answer["text"] == "Guardado."
        assert rows(st, "SELECT code, tax_years FROM notices") == [("CP14", "[]")]


async def test_spanish_heading_gets_a_choice_of_notices(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [ask] = await say(st, ES, "arriba dice aviso de intención de embargo", "es")
        assert button(ask, "CP504") is not None and button(ask, "LT11") is not None
        _, replies = await st.press(ES, ask, button(ask, "CP504") or "")
        [card] = cards(replies, "Guardar")
        assert "CP504" in plain(card)
        [ask] = await say(st, EN, "the letter says we changed your return")
        assert button(ask, "CP11") is not None and "None of these" in str(ask["reply_markup"])
