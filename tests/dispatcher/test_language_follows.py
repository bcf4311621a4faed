"""The reply follows the language a person writes in (bot/follow_language.py), with a one-tap offer
to keep it, unless they chose a language with /language."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, buttons, plain


def language_of(st: Stack, uid: int) -> tuple[str, int]:
    with sqlite3.connect(st.db) as conn:
        row = conn.execute("SELECT language, language_chosen FROM users WHERE id = ?", (uid,)).fetchone()
    return str(row[0]), int(row[1])


async def test_a_message_in_spanish_gets_a_spanish_reply_regression_english_until_language(tmp_path: Path) -> None:
    """Regression: a person who wrote in Spanish got English replies unless they found /language."""
    async with dispatcher_stack(tmp_path) as st:
        uid = 6301  # Telegram says "en"
        replies = await st.say(uid, "Recibí una carta del IRS, un CP14 del año 2024, debo $2,140")
        [card] = [m for m in replies if button(m, "Guardar")]
        [offer] = [m for m in replies if button(m, "Sí, en español")]
        assert replies[-1] is offer  # the answer first, then the offer
        assert language_of(st, uid) == ("es", 0)
        answer, _r = await st.press(uid, offer, button(offer, "Sí, en español") or "")
        assert answer["answered"] and language_of(st, uid) == ("es", 1)
        # Kept: English words no longer switch it back.
        replies = await st.say(uid, "I got a CP501 for 2023, I owe $500")
        assert any(button(m, "Guardar") for m in replies) and not any(button(m, "Español") for m in replies)
        assert language_of(st, uid) == ("es", 1)


async def test_a_spanish_telegram_user_writing_english_gets_english(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 6302
        await st.feed(st.message_update(uid, text="/help"))  # creates the person
        with sqlite3.connect(st.db) as conn:
            conn.execute("UPDATE users SET language = 'es' WHERE id = ?", (uid,))
        replies = await st.say(uid, "I got a letter from the IRS, a CP14 for 2024, I owe $980")
        assert any(button(m, "Save") for m in replies), [plain(m) for m in replies]
        [offer] = [m for m in replies if button(m, "Yes, English")]
        assert "Keep it?" in plain(offer) and [t for t, _d in buttons(offer)] == ["✅ Yes, English", "Español"]
        answer, _r = await st.press(uid, offer, button(offer, "Español") or "")
        assert language_of(st, uid) == ("es", 1)


async def test_a_chosen_language_is_kept_whatever_the_person_writes(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 6303
        await st.say(uid, "/language en")
        replies = await st.say(uid, "hola, tengo una carta del IRS, ¿qué hago?")
        assert not any("Keep it?" in plain(m) or button(m, "Sí, en español") for m in replies)
        assert language_of(st, uid) == ("en", 1)


async def test_codes_and_numbers_alone_change_nothing(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid = 6304
        replies = await st.say(uid, "CP14 2024 $500")
        assert any(button(m, "Save") for m in replies)
        assert not any(button(m, "Español") or button(m, "Sí, en español") for m in replies)
        assert language_of(st, uid) == ("en", 0)
