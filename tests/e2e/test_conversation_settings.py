"""Settings, Spanish, /scam, /export and /forget through the real bot; /forget is checked in the
database afterwards. One bot for the module."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.e2e.conftest import buttons
from tests.e2e.conversation_support import (
    days_ago,
    e2e_bot,  # noqa: F401 - module-scoped fixture
    query,
    text_of,
    us,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def test_settings_spanish_export_and_forget(e2e_bot) -> None:  # noqa: F811
    bot = e2e_bot
    joe = bot.chat(7001)
    # Time zone by command, by typed state name, and a wrong zone gets a clear answer.
    (tz,) = await joe.say("/tz America/Denver")
    assert "America/Denver" in text_of(tz)
    (typed,) = await joe.say("New York")
    assert "America/New_York" in text_of(typed)
    (bad,) = await joe.say("/tz Mars/Olympus")
    assert "could not find that time zone" in text_of(bad) and "Olympus" not in text_of(bad)
    (t,) = await joe.say("/time 07:30")
    assert "7:30\u202fAM" in text_of(t)  # 12-hour for US English
    (bad_time,) = await joe.say("/time 25:99")
    assert "/time 07:30" in text_of(bad_time)
    assert query(bot, "SELECT timezone, reminder_minute FROM users WHERE id = 7001") == [("America/New_York", 450)]

    # /settings buttons: quiet hours and reminder days are typed, checked and stored.
    (settings,) = await joe.say("/settings")
    assert "7:30\u202fAM" in text_of(settings) and "7, 3, 1, 0" in text_of(settings)
    (q,) = await joe.press_label(settings, "Quiet hours")
    (oops,) = await joe.say("whenever")
    assert "could not read" in text_of(oops)
    (saved,) = await joe.say("10pm to 7am")
    assert "10:00\u202fPM–7:00\u202fAM" in text_of(saved)
    (q,) = await joe.press_label(saved, "Reminder days")
    (saved,) = await joe.say("10, 2, 0")
    assert query(bot, "SELECT quiet_start_minute, quiet_end_minute, reminder_offsets FROM users WHERE id = 7001") == [
        (22 * 60, 7 * 60, "[10, 2, 0]")]

    # A notice, then reminders follow the settings (re-planned at 07:30 New York time).
    (card,) = await joe.say(f"CP14 for 2024, owe $900, dated {us(days_ago(2))}")
    await joe.press_label(card, "Save")
    assert query(bot, "SELECT count(*) FROM reminders WHERE user_id = 7001")[0][0] > 0

    # Spanish: /language switches, and the card and buttons speak Spanish.
    (which,) = await joe.say("/language")
    (done,) = await joe.press_label(which, "Español")
    assert "español" in text_of(done)
    (tarjeta,) = await joe.say(f"Recibí un CP501 del año 2024, debo $950, con fecha {us(days_ago(1))}")
    assert "¿Es correcto?" in text_of(tarjeta) and "Cantidad: 950,00\xa0US$" in text_of(tarjeta)
    assert "✅ Guardar" in [label for label, _ in buttons(tarjeta)]
    (scam,) = await joe.say("/scam")
    assert "estafa" in text_of(scam).lower()
    (ayuda,) = await joe.say("/help")
    assert "/help_pro" not in text_of(ayuda) and "Defensor del Contribuyente" in text_of(ayuda)

    # /export: all the person's data as JSON, a readable summary in their language, and the .ics.
    export_json, export_summary, export_ics = await joe.say("/export", count=3)
    data = json.loads(await bot.client.download(export_json))
    assert data["user"]["timezone"] == "America/New_York" and data["notices"][0]["code"] == "CP14"
    assert data["notices"][0]["history"][0]["kind"] == "created"
    assert "CP14" in (await bot.client.download(export_summary)).decode()  # Spanish: "Sus avisos del IRS"
    assert (await bot.client.download(export_ics)).startswith(b"BEGIN:VCALENDAR")

    # /forget: a confirmation button, then not one row about the person is left.
    (confirm,) = await joe.say("/forget")
    await joe.press_label(confirm, "No", count=0)
    assert query(bot, "SELECT count(*) FROM notices WHERE user_id = 7001") == [(1,)]
    (confirm,) = await joe.say("/forget")
    await joe.press_label(confirm, "Sí", count=0)
    for _ in range(50):
        if not query(bot, "SELECT id FROM users WHERE id = 7001"):
            break
        await asyncio.sleep(0.1)
    for table, column in (("users", "id"), ("notices", "user_id"), ("reminders", "user_id")):
        assert query(bot, f"SELECT count(*) FROM {table} WHERE {column} = 7001") == [(0,)], table
    assert query(bot, "SELECT count(*) FROM notice_events") == [(0,)]
    assert query(bot, "SELECT count(*) FROM checklist_progress") == [(0,)]
