"""Friendly settings: time zones by state, city, abbreviation, offset or shared location; regions and
ambiguous words get a short choice; nothing of the argument is logged or echoed; never an apology."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import buttons, plain

APOLOGY = "something went wrong"


def zone_of(st: Stack, uid: int) -> str:
    with sqlite3.connect(st.db) as conn:
        return str(conn.execute("SELECT timezone FROM users WHERE id = ?", (uid,)).fetchone()[0])


async def pick(st: Stack, uid: int, message: dict[str, Any], label: str) -> list[dict[str, Any]]:
    data = next(d for text, d in buttons(message) if text.startswith(label))
    answer, replies = await st.press(uid, message, data)
    assert answer["answered"] and not answer.get("show_alert")
    return replies


ZONES = [
    ("EST", "America/New_York"), ("EDT", "America/New_York"), ("Eastern", "America/New_York"),
    ("eastern time", "America/New_York"), ("PST", "America/Los_Angeles"), ("Pacific time", "America/Los_Angeles"),
    ("CST", "America/Chicago"), ("central", "America/Chicago"), ("MDT", "America/Denver"),
    ("AKST", "America/Anchorage"), ("HST", "Pacific/Honolulu"), ("AST", "America/Puerto_Rico"),
    ("Texas", "America/Chicago"), ("tx", "America/Chicago"), ("I live in Ohio", "America/New_York"),
    ("Houston", "America/Chicago"), ("Los Ángeles", "America/Los_Angeles"), ("Madrid", "Europe/Madrid"),
    ("america/chicago", "America/Chicago"), ("GMT+5:30", "Asia/Kolkata"),
]
CHOICES = [
    ("Pacific", "Los Angeles", "America/Los_Angeles"), ("America", "Chicago", "America/Chicago"),
    ("US", "New York", "America/New_York"), ("Mexico", "Tijuana", "America/Tijuana"),
    ("MST", "Phoenix", "America/Phoenix"), ("GMT-5", "New York", "America/New_York"),
]


async def test_tz_understands_states_cities_and_abbreviations_regression_est_without_daylight_saving(
        tmp_path: Path) -> None:
    """Regression: /tz EST picked the fixed zone EST (no daylight saving: reminders an hour off half
    the year); "PST" and "Eastern" were refused."""
    async with dispatcher_stack(tmp_path) as st:
        for i, (words, zone) in enumerate(ZONES):
            uid = 61_010 + i  # one person each: one person's 11th message would wait for the flood limit
            replies = await st.say(uid, f"/tz {words}")
            assert zone_of(st, uid) == zone, (words, [plain(m) for m in replies])
            assert zone in plain(replies[-1])


async def test_tz_region_words_get_a_choice_regression_something_went_wrong(tmp_path: Path) -> None:
    """Regression: /tz Pacific, /tz America, /tz Mexico and /tz US answered "something went wrong"
    (ZoneInfo raised on a folder of zones)."""
    async with dispatcher_stack(tmp_path) as st:
        for words, label, zone in CHOICES:
            [question] = await st.say(6102, f"/tz {words}")
            assert "Which one do you mean?" in plain(question), words
            assert 2 <= len(buttons(question)) <= 8
            replies = await pick(st, 6102, question, label)
            assert zone_of(st, 6102) == zone and zone in plain(replies[-1]), words
        assert st.errors.summary() == []


async def test_tz_in_spanish_understands_spanish_words_and_asks_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(6103, "/language es")
        [done] = await st.say(6103, "/tz hora del Pacífico")
        assert zone_of(st, 6103) == "America/Los_Angeles" and "Zona horaria" in plain(done), plain(done)
        [question] = await st.say(6103, "/tz México")
        assert "¿A cuál se refiere?" in plain(question)
        await pick(st, 6103, question, "Mexico City")
        assert zone_of(st, 6103) == "America/Mexico_City"
        [unknown] = await st.say(6103, "/tz Narnia")
        assert "estado" in plain(unknown) and "Narnia" not in plain(unknown)


async def test_the_state_question_takes_a_city_an_abbreviation_or_a_region(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(6104, "/start")
        await st.say(6104, "Eastern")
        assert zone_of(st, 6104) == "America/New_York"
        await st.say(6104, "/tz")
        [question] = await st.say(6104, "US")
        await pick(st, 6104, question, "Phoenix")
        assert zone_of(st, 6104) == "America/Phoenix"


async def test_a_shared_location_sets_the_zone_and_is_not_kept(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        since = st.emu.cursor
        await st.feed(st.message_update(6105, location={"latitude": 30.2672, "longitude": -97.7431}))  # Austin
        assert zone_of(st, 6105) == "America/Chicago"
        assert "America/Chicago" in plain(st.emu.sent(6105, since)[-1])
        await st.feed(st.message_update(6105, location={"latitude": 0.0, "longitude": -140.0}))  # open sea
        assert "could not tell" in plain(st.emu.sent(6105)[-1])
        with sqlite3.connect(st.db) as conn:
            dump = "\n".join(conn.iterdump())
        # the coordinates as sent (a timestamp such as 03:00:30.26 once matched a shorter "30.26")
        assert "30.2672" not in dump and "97.7431" not in dump


async def test_a_long_tz_argument_is_neither_logged_nor_echoed_regression_tz_logged(tmp_path: Path) -> None:
    """Regression: /tz with a long argument wrote the whole text into the log."""
    secret = "my ssn is not here but my whole life story is " + "x" * 300 + " Springfield"
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root, keep = logging.getLogger(), Keep(logging.DEBUG)
    old_level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    try:
        async with dispatcher_stack(tmp_path) as st:
            for words in (secret, "America/" + secret, "Pacific/" + "y" * 200):
                [reply] = await st.say(6106, f"/tz {words}")
                assert "could not find that time zone" in plain(reply) and "Springfield" not in plain(reply)
                assert APOLOGY not in plain(reply).lower()
    finally:
        root.removeHandler(keep)
        root.setLevel(old_level)
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in records)
    assert records and "Springfield" not in logged and "y" * 50 not in logged
