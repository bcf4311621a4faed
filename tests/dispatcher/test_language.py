"""Choosing a language: the buttons come from the languages we speak (names from Babel's locale
data), the confirmation is already in the new language, and the settings show the choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dispatcher.inproc import dispatcher_stack


def _buttons(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


@pytest.mark.parametrize("start,pick,done,label", [
    ("en", "Español", "Listo: le hablaré en español.", "🗣 Idioma: Español"),
    ("es", "English", "Done: I will speak English.", "🗣 Language: English"),
])
async def test_language_switch_answers_in_the_new_language(tmp_path: Path, start: str, pick: str, done: str,
                                                           label: str) -> None:
    async with dispatcher_stack(tmp_path) as stack:
        await stack.say(601, f"/language {start}")
        (which,) = await stack.say(601, "/language")
        assert [text for text, _ in _buttons(which)] == ["English", "Español"]
        data = dict(_buttons(which))[pick]
        _, replies = await stack.press(601, which, data)
        assert [r["plain_text"] for r in replies] == [done]
        (settings,) = await stack.say(601, "/settings")
        assert label in settings["plain_text"]
        assert not stack.errors.records


async def test_hints_gave_english_examples_to_spanish_speakers(tmp_path: Path) -> None:
    """Regression: a Spanish speaker who typed an unreadable date was shown "Nov 3, 2026 / 11/03/2026
    / yesterday"; the example is now in their language, and typing it is understood."""
    async with dispatcher_stack(tmp_path) as stack:
        await stack.say(602, "/language es")
        (card,) = await stack.say(602, "Recibí un CP14 del año 2024, debo $900")
        assert "¿Qué fecha" in card["plain_text"]
        (hint,) = await stack.say(602, "la semana del pescado")
        assert "3 nov 2026" in hint["plain_text"] and "Nov 3" not in hint["plain_text"]
        replies = await stack.say(602, "3 nov 2026")
        assert "Fecha del aviso: 3 de noviembre de 2026" in replies[-1]["plain_text"]
        assert not stack.errors.records
