"""Human formats in settings: 12-hour times for US English (24-hour in Spanish), quiet hours typed as
"10pm to 7am", "the day of" understood in reminder days; English and Spanish, through the dispatcher."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.keyboards import SettingsCb
from bot.routers.reminders import ReminderAction
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain


def settings_row(st: Stack, uid: int) -> tuple[Any, ...]:
    with sqlite3.connect(st.db) as conn:
        row = conn.execute("SELECT reminder_minute, quiet_start_minute, quiet_end_minute, reminder_offsets "
                           "FROM users WHERE id = ?", (uid,)).fetchone()
    return (*row[:3], json.loads(row[3]))


async def answer_setting(st: Stack, uid: int, field: str, typed: str) -> str:
    [panel] = await st.say(uid, "/settings")
    _answer, [question] = await st.press(uid, panel, SettingsCb(field=field).pack())
    replies = await st.say(uid, typed)
    return " ".join(plain(m).replace("\u202f", " ") for m in replies)


async def test_quiet_hours_typed_as_10pm_to_7am_regression_split_inside_am(tmp_path: Path) -> None:
    """Regression: "10pm to 7am" was refused: the separator pattern also split on the "a" of "7am"."""
    async with dispatcher_stack(tmp_path) as st:
        shown = await answer_setting(st, 6201, "quiet", "10pm to 7am")
        assert settings_row(st, 6201)[1:3] == (22 * 60, 7 * 60)
        assert "10:00 PM–7:00 AM" in shown, shown
        await answer_setting(st, 6201, "quiet", "from 11 p.m. until 6:30 a.m.")
        assert settings_row(st, 6201)[1:3] == (23 * 60, 6 * 60 + 30)


async def test_reminder_days_understand_the_day_of(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        shown = await answer_setting(st, 6202, "offsets", "7, 3, 1 and the day of")
        assert settings_row(st, 6202)[3] == [7, 3, 1, 0]
        assert "7, 3, 1, 0" in shown
        await answer_setting(st, 6202, "offsets", "a week before and on the day")
        assert settings_row(st, 6202)[3] == [7, 0]


async def test_times_are_12_hour_in_english(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [done] = await st.say(6203, "/time 7:30 pm")
        assert "7:30 PM" in plain(done).replace("\u202f", " ")
        [panel] = await st.say(6203, "/settings")
        assert "Reminder time: 7:30 PM" in plain(panel).replace("\u202f", " ")


async def test_spanish_quiet_hours_days_and_24_hour_times(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(6204, "/language es")
        shown = await answer_setting(st, 6204, "quiet", "de 10 pm a 7 am")
        assert settings_row(st, 6204)[1:3] == (22 * 60, 7 * 60)
        assert "22:00–7:00" in shown, shown
        await answer_setting(st, 6204, "offsets", "una semana antes, 3 días antes y el mismo día")
        assert settings_row(st, 6204)[3] == [7, 3, 0]
        [done] = await st.say(6204, "/time 7:30 pm")
        assert "19:30" in plain(done)


async def test_a_snooze_says_when_in_words_and_12_hour_time_regression_iso_timestamp(tmp_path: Path) -> None:
    """Regression: the snooze answer read "2026-10-14 09:00" (ISO, 24-hour) in both languages."""
    async with dispatcher_stack(tmp_path) as st:
        recent = datetime.now(UTC).date() - timedelta(days=3)
        for uid, lang, text, save in (
                (6205, "en", f"CP503 for tax year 2023, balance $1,900, dated {recent:%m/%d/%Y}", "Save"),
                (6206, "es", f"Recibí un CP503 del año 2023, debo $1,900, con fecha {recent:%m/%d/%Y}", "Guardar")):
            if lang == "es":
                await st.say(uid, "/language es")
            [card] = [m for m in await st.say(uid, text) if button(m, save)]
            _answer, replies = await st.press(uid, card, button(card, save) or "")
            with sqlite3.connect(st.db) as conn:
                nid = conn.execute("SELECT max(id) FROM notices WHERE user_id = ?", (uid,)).fetchone()[0]
            answer, _r = await st.press(uid, replies[-1], ReminderAction(action="s1", notice_id=nid).pack())
            said = answer["text"].replace("\u202f", " ")
            assert "9:00 AM" in said if lang == "en" else ("9:00" in said and "AM" not in said), said
            assert str((datetime.now(UTC) + timedelta(days=1)).year) in said and "-" not in said.split(" on ")[-1], said
