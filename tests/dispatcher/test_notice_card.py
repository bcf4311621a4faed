"""The saved notice's card through the whole dispatcher in process: status changes, the log wizard,
editing a date, stale draft cards, and a foreign notice refused once by the ownership middleware
(every press answered exactly once: the emulator refuses a second answer, which would be an error)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain

ME, OTHER = 5101, 5102
CP14 = "CP14 for 2024, I owe $1,250.00, dated Nov 3 2026"


async def saved_card(st: Stack, uid: int, text: str = CP14) -> dict[str, Any]:
    [card] = [m for m in await st.say(uid, text) if button(m, "Save")]
    answer, replies = await st.press(uid, card, button(card, "Save") or "")
    assert answer["answered"] and answer["text"] == "Saved."
    [saved] = [m for m in replies if button(m, "Mark paid")]
    return saved


async def two_taps(st: Stack, card: dict[str, Any], first: str, second: str) -> dict[str, Any]:
    """Tap ``first`` on the card, then ``second`` on the menu it sends; the question that follows."""
    _, [menu] = await st.press(ME, card, button(card, first) or "")
    _, [question] = await st.press(ME, menu, button(menu, second) or "")
    return question


def rows(st: Stack, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(st.db) as conn:
        return conn.execute(query).fetchall()


async def test_paid_from_the_card_stops_reminders_and_a_second_press_says_so(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        assert rows(st, "SELECT count(*) FROM reminders WHERE status = 'pending'")[0][0] > 0
        answer, replies = await st.press(ME, card, button(card, "Mark paid") or "")
        assert answer["text"].startswith("Marked as paid on") and "CP14" in answer["text"]
        assert any(plain(m).startswith("Marked as paid on") for m in replies)
        assert rows(st, "SELECT count(*) FROM reminders WHERE status = 'pending'")[0][0] == 0
        assert rows(st, "SELECT data FROM notice_events WHERE kind = 'status'") == [
            ('{"from": "open", "to": "paid", "via": "card"}',)]
        again, _ = await st.press(ME, card, button(card, "Mark paid") or "")
        assert again["text"] == "It already had that status."
        assert st.errors.records == []


async def test_someone_elses_notice_is_refused_once_in_one_place(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        mine = await st.say(OTHER, "/help")
        for label in ("Mark paid", "Delete", "Checklist", "Calendar", "Edit"):
            answer, replies = await st.press(OTHER, mine[-1], button(card, label) or "")
            assert answer["show_alert"] and "not yours" in answer["text"], label
            assert replies == [], label
        assert rows(st, "SELECT status FROM notices") == [("open",)]
        assert st.errors.records == []  # one answer each: a second would have failed


async def test_logging_a_call_asks_step_by_step_and_skips(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        question = await two_taps(st, card, "Log a call", "phone call")
        assert "When was it" in plain(question)
        [agent_q] = await st.say(ME, "Nov 18")
        assert "employee's name" in plain(agent_q)
        _, [badge_q] = await st.press(ME, agent_q, button(agent_q, "Skip") or "")
        assert "badge" in plain(badge_q)
        await st.say(ME, "1002345")
        await st.say(ME, "Payment plan agreed at $100 a month")
        [callback_q] = await st.say(ME, "CONF-77")
        assert "call back" in plain(callback_q)  # the date the IRS gave: skipped here
        _, done = await st.press(ME, callback_q, button(callback_q, "Skip") or "")
        assert plain(done[0]).startswith("Logged.")
        assert "History" in plain(done[1]) and "1002345" in plain(done[1])
        [(data,)] = rows(st, "SELECT data FROM notice_events WHERE kind = 'call'")
        assert '"date": "2026-11-18"' in data and '"agent"' not in data
        expired, _ = await st.press(ME, agent_q, button(agent_q, "Skip") or "")
        assert "expired" in expired["text"]
        assert st.errors.records == []


async def test_a_new_notice_date_moves_the_respond_by_date(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        question = await two_taps(st, card, "Edit", "Notice date")
        assert "Type the new value" in plain(question)
        replies = await st.say(ME, "Nov 10 2026")
        assert plain(replies[0]) == "Updated. Reminders follow the new details."
        assert rows(st, "SELECT notice_date, respond_by FROM notices") == [("2026-11-10", "2026-12-01")]  # 21 days
        assert "December 1, 2026" in plain(replies[1])  # the card shows the new date, in words


async def test_a_saved_draft_card_is_out_of_date(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [draft] = [m for m in await st.say(ME, CP14) if button(m, "Save")]
        await st.press(ME, draft, button(draft, "Save") or "")
        answer, replies = await st.press(ME, draft, button(draft, "Save") or "")  # a second tap: calm, saved once
        assert answer["text"] == "Saved." and not answer["show_alert"] and replies == []
        for label in ("Cancel", "Fix a field"):
            answer, replies = await st.press(ME, draft, button(draft, label) or "")
            assert answer["show_alert"] and "out of date" in answer["text"] and replies == [], label
        assert rows(st, "SELECT count(*) FROM notices") == [(1,)]
        assert st.errors.records == []


async def test_status_change_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        await st.say(ME, "/language es")
        answer, _ = await st.press(ME, card, button(card, "Mark paid") or "")
        assert answer["text"].startswith("Marcado como pagado"), answer["text"]


async def test_a_button_whose_use_case_fails_gets_the_apology_as_its_one_answer(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from services import notices as cases

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database exploded")

    async with dispatcher_stack(tmp_path) as st:
        card = await saved_card(st, ME)
        monkeypatch.setattr(cases, "change_status", broken)
        answer, replies = await st.press(ME, card, button(card, "Mark paid") or "")
        assert answer["show_alert"] and "something went wrong" in answer["text"]  # not an empty answer first
        assert replies == [] and len(st.errors.records) == 1
        assert rows(st, "SELECT status FROM notices") == [("open",)]
