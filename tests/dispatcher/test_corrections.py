"""Corrections in plain words, through the whole dispatcher in process, in English and Spanish: the
open card changes (old -> new shown, Save stores the corrected values), or with no card open the
latest saved notice changes through the edit use case (the respond-by date worked out again by
notices.facts.derive, reminders re-planned); a new notice still starts its own card."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram.types import Update

from notices import facts
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain

EN, ES = 8101, 8102
CP14 = "CP14 for tax year 2024, I owe $1,250.00, dated November 3, 2026"
CP14_ES = "CP14 del año 2024, debo $1,250.00, fechada el 3 de noviembre de 2026"


async def say(st: Stack, uid: int, text: str, lang: str = "en") -> list[dict[str, Any]]:
    raw = st.emu.inject_message(uid, text, language_code=lang)["message"]
    st.emu.pending.clear()
    since = st.emu.cursor
    await st.feed(Update(update_id=next(st._ids) + 10**6, message=raw))
    return st.emu.sent(uid, since)


def rows(st: Stack, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(st.db) as conn:
        return conn.execute(query, args).fetchall()


def cards(replies: list[dict[str, Any]], save: str = "Save") -> list[dict[str, Any]]:
    return [m for m in replies if button(m, save)]


async def save_card(st: Stack, uid: int, card: dict[str, Any], save: str = "Save") -> list[dict[str, Any]]:
    answer, replies = await st.press(uid, card, button(card, save) or "")
    assert answer["text"] in ("Saved.", "Guardado."), answer
    return replies


async def test_corrections_on_the_open_card_show_old_and_new_and_are_saved(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, CP14))
        [changed] = await say(st, EN, "actually it was dated the 12th")
        text = plain(changed)
        assert "Changed (CP14)" in text and "Notice date: November 3, 2026 → November 12, 2026" in text
        assert "Respond by: November 24, 2026 → December 3, 2026" in text  # 21 days, worked out again
        assert "Is this right?" in text and button(changed, "Save")  # the card, with its own buttons
        [changed] = await say(st, EN, "sorry the amount is $2,140")
        assert "Amount: $1,250.00 → $2,140.00" in plain(changed)
        [changed] = await say(st, EN, "tax year 2022 not 2024")
        assert "Tax years: 2024 → 2022" in plain(changed)
        [changed] = await say(st, EN, "no wait it's a CP501")
        assert "Notice code: CP14 → CP501" in plain(changed)
        [same] = await say(st, EN, "actually it's a CP501")
        assert "nothing changed" in plain(same)
        await save_card(st, EN, changed)
        assert rows(st, "SELECT code, notice_date, amount_cents, tax_years FROM notices") == [
            ("CP501", "2026-11-12", 214000, "[2022]")]
        await save_card(st, EN, card)  # the first sight of the same card: the one draft, saved once
        assert rows(st, "SELECT count(*) FROM notices") == [(1,)]
        assert not st.errors.records


async def test_corrections_in_spanish_on_the_open_card(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        cards(await say(st, ES, CP14_ES, "es"))
        [changed] = await say(st, ES, "en realidad la fecha es el 12", "es")
        text = plain(changed)
        assert "Cambiado (CP14)" in text and "Fecha del aviso: 3 de noviembre de 2026 → 12 de noviembre de 2026" in text
        assert "Responda a más tardar: 24 de noviembre de 2026 → 3 de diciembre de 2026" in text
        [changed] = await say(st, ES, "perdón, son $2,140", "es")
        assert "Cantidad: 1.250,00\xa0US$ → 2.140,00\xa0US$" in plain(changed)
        [changed] = await say(st, ES, "el año fiscal es 2022", "es")
        assert "2024 → 2022" in plain(changed)
        [changed] = await say(st, ES, "es un CP501", "es")
        assert "CP14 → CP501" in plain(changed)
        await save_card(st, ES, changed, "Guardar")
        assert rows(st, "SELECT code, notice_date, amount_cents, tax_years FROM notices") == [
            ("CP501", "2026-11-12", 214000, "[2022]")]
        assert not st.errors.records


async def test_a_correction_after_save_changes_the_saved_hard_notice_and_replans(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, "LT11 for 2023, $15,000.00, dated November 20, 2026"))
        await save_card(st, EN, card)
        before = rows(st, "SELECT kind, due_at FROM reminders WHERE status = 'pending' ORDER BY due_at")
        assert rows(st, "SELECT respond_by FROM notices") == [("2026-12-21",)]  # 30 days (Dec 20 is a Sunday)
        replies = await say(st, EN, "actually it was dated the 12th")
        text = plain(replies[0])
        assert "Notice date: November 20, 2026 → November 12, 2026" in text
        # the one derived-facts function decides the new hard date (no "I confirmed it" date kept)
        derived = facts.derive(facts.NoticeInput("LT11", date(2026, 11, 12), amount=None), date(2026, 12, 2))
        assert derived.respond_by == date(2026, 12, 14)  # 30 days is Saturday Dec 12: the next business day
        assert "Respond by: December 21, 2026 → December 14, 2026" in text
        assert "Reminders follow the new details." in text and button(replies[1], "Mark paid")
        assert rows(st, "SELECT notice_date, respond_by FROM notices") == [("2026-11-12", "2026-12-14")]
        after = rows(st, "SELECT kind, due_at FROM reminders WHERE status = 'pending' ORDER BY due_at")
        assert after != before and any(kind == "day" and due.startswith("2026-12-14") for kind, due in after), after
        assert not any(due.startswith("2026-12-21") for _, due in after)
        assert rows(st, "SELECT count(*) FROM notices") == [(1,)]


async def test_a_code_corrected_after_save_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, ES, CP14_ES, "es"), "Guardar")
        await save_card(st, ES, card, "Guardar")
        replies = await say(st, ES, "no es CP14, es CP501", "es")
        assert "CP14 → CP501" in plain(replies[0]) and button(replies[1], "Marcar pagado") is not None
        assert rows(st, "SELECT code FROM notices") == [("CP501",)]


async def test_a_new_notice_while_a_card_is_open_starts_its_own_card(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [first] = cards(await say(st, EN, CP14))
        replies = await say(st, EN, "I also got a CP501 for 2023, $700.00, dated November 9, 2026")
        [second] = cards(replies)
        assert "CP501" in plain(second) and not any("Changed" in plain(m) for m in replies)
        assert "CP14" in plain(first) and button(first, "Save") != button(second, "Save")


async def test_nothing_to_correct_gets_a_friendly_answer(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [reply] = await say(st, EN, "sorry the amount is $2,140")
        assert "no notice to correct yet" in plain(reply)
        [reply] = await say(st, ES, "perdón, son $2,140", "es")
        assert "ningún aviso que corregir" in plain(reply)
        assert not st.errors.records


async def test_a_notice_date_after_today_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, CP14))
        await save_card(st, EN, card)
        [reply] = await say(st, EN, "actually it was dated January 5, 2030")
        assert "after today" in plain(reply)
        assert rows(st, "SELECT notice_date FROM notices") == [("2026-11-03",)]


async def test_i_live_in_texas_sets_the_time_zone_and_replans(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, CP14))
        await save_card(st, EN, card)
        before = rows(st, "SELECT due_at FROM reminders WHERE status = 'pending' ORDER BY due_at")
        replies = await say(st, EN, "I live in Texas")
        assert "Time zone: New York" in plain(replies[0]) and "→ Chicago" in plain(replies[0])
        assert rows(st, "SELECT timezone FROM users WHERE id = ?", EN) == [("America/Chicago",)]
        after = rows(st, "SELECT due_at FROM reminders WHERE status = 'pending' ORDER BY due_at")
        shift = [datetime.fromisoformat(a[0]) - datetime.fromisoformat(b[0]) for a, b in zip(after, before, strict=True)]
        assert after and all(s == timedelta(hours=1) for s in shift)  # 9:00 in Chicago is an hour later
        [reply] = await say(st, ES, "vivo en Texas", "es")  # no notice: only the time zone
        assert "Zona horaria" in plain(reply) and "Chicago" in plain(reply)
        assert not st.errors.records


async def test_spanish_new_notice_while_a_card_is_open_and_a_future_date_refused(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [first] = cards(await say(st, ES, CP14_ES, "es"), "Guardar")
        replies = await say(st, ES, "también me llegó otra carta: CP501 del año 2023 por $700.00, fechada el 9 de "
                                    "noviembre de 2026", "es")
        [second] = cards(replies, "Guardar")
        assert "CP501" in plain(second) and not any("Cambiado" in plain(m) for m in replies)
        [reply] = await say(st, ES, "perdón, la fecha es el 5 de enero de 2030", "es")
        assert "posterior a hoy" in plain(reply)
        for card in (second, first):
            answer, _ = await st.press(ES, card, button(card, "Guardar") or "")
            assert answer["text"] == "Guardado."
        assert sorted(rows(st, "SELECT code, notice_date FROM notices")) == [
            ("CP14", "2026-11-03"), ("CP501", "2026-11-09")]


async def test_i_live_in_texas_takes_back_addressed_abroad_on_a_notice_of_deficiency(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [card] = cards(await say(st, EN, "CP3219A for tax year 2023, $4,000.00, dated November 3, 2026"))
        _, [menu] = await st.press(EN, card, button(card, "Fix a field") or "")
        await st.press(EN, menu, button(menu, "Addressed outside the US") or "")
        await say(st, EN, "yes")
        replies = await say(st, EN, "I live in Texas")
        text = plain(replies[0])
        assert "Addressed outside the US: yes → no" in text
        assert "Respond by: April 2, 2027 → February 1, 2027" in text, text  # 150 days back to 90
