"""/export adds a readable summary next to the JSON (issue 15): a plain-text document in the person's
language with each notice's code and what it is, amount, dates in words, the deadline with its estimate
or assumption said, status and the calls and letters logged; never an identifier. (In a group /export
posts nothing: tests/dispatcher/test_private_only.py.)"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage import notices as store
from storage.models import Notice
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button

ME = 7501


async def saved(st: Stack, text: str) -> int:
    [card] = [m for m in await st.say(ME, text) if button(m, "Save")]
    _, replies = await st.press(ME, card, button(card, "Save") or "")
    for question in (m for m in replies if button(m, "I don't know")):  # asked before saving: not known
        await st.press(ME, question, button(question, "I don't know") or "")
    with sqlite3.connect(st.db) as db:
        return int(db.execute("SELECT max(id) FROM notices WHERE user_id = ?", (ME,)).fetchone()[0])


async def export(st: Stack) -> list[dict[str, Any]]:
    since = st.emu.cursor
    await st.say(ME, "/export")
    return [m for m in st.emu.sent(ME, since) if m.get("document")]


def text_of(st: Stack, message: dict[str, Any]) -> str:
    return st.emu.file_bytes(message["document"]["file_id"]).decode()


async def test_export_adds_a_readable_summary_of_every_notice(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        cp14 = await saved(st, "CP14 for tax year 2024, I owe $1,250.00, dated November 2, 2026")
        lt11 = await saved(st, "LT11 for tax year 2023, $9,004.00")  # no notice date: an assumption
        async with st.sm() as session:
            notice = await session.get(Notice, cp14)
            assert notice is not None
            await store.log_contact(session, notice, "call", datetime.now(UTC), {
                "date": "2026-11-05", "agent": "Ms. Lee", "badge": "1002003", "confirmation": "77553311",
                "agreed": "They will hold collection 60 days; my SSN 078-05-1120 was read to me"})
            await session.commit()
        [data, summary, ics] = await export(st)
        assert data["document"]["file_name"] == "noticebot-export.json" and json.loads(text_of(st, data))
        assert summary["document"]["file_name"] == "noticebot-summary.txt"
        assert "easy to read" in summary["caption"]
        assert ics["document"]["file_name"].endswith(".ics")
        text = text_of(st, summary)
        assert text.startswith("Your IRS notices: a summary from noticebot")
        part14 = text[text.index("CP14 —"):]
        assert "What it is:" in part14 and "Tax years: 2024" in part14 and "Amount: $1,250.00" in part14
        assert "Notice date: November 2, 2026" in part14  # dates in words
        assert "Respond by: November 23, 2026" in part14 and "Status: open" in part14
        assert "Call on November 5, 2026 — what was said or agreed: They will hold collection 60 days" in part14
        assert "https://www.irs.gov/individuals/understanding-your-cp14-notice" in part14
        part11 = text[text.index("LT11 —"):]
        assert "Notice date: not known" in part11 and "an assumption" in part11  # the safe date, said so
        assert "hard deadline" in part11
        # never an identifier: no SSN, badge, confirmation number, nor any Telegram or database id
        for secret in ("078-05-1120", "078051120", "1002003", "77553311", str(ME)):
            assert secret not in text, secret
        assert f"#{cp14}" not in text and f"#{lt11}" not in text and "id" not in text.lower().split()
        assert st.errors.records == []


async def test_export_summary_in_spanish_with_dates_and_amounts_in_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await saved(st, "CP14 for tax year 2024, I owe $1,250.00, dated November 2, 2026")
        await st.say(ME, "/language es")
        [_data, summary, _ics] = await export(st)
        text = text_of(st, summary)
        assert text.startswith("Sus avisos del IRS: un resumen de noticebot")
        assert "Fecha del aviso: 2 de noviembre de 2026" in text and "1250,00\xa0US$" in text.replace(".", "")
        assert "Responder a más tardar: 23 de noviembre de 2026" in text
        assert "Llamadas y cartas que registró: ninguna" in text
        assert "https://www.irs.gov/es/individuals/understanding-your-cp14-notice" in text
        assert "Estado: abierto" in text


async def test_export_with_no_notices_still_explains_itself(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(ME, "/start")
        [_data, summary, _ics] = await export(st)
        assert "You have no saved notices." in text_of(st, summary)
