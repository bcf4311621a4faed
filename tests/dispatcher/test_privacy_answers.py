"""Issue 18, in-process on the whole dispatcher: identifiers typed into a note, the phone field or a call
log are removed before storing and the person is told; /tz never echoes an identifier or a long text
(it used to raise OSError "File name too long", logging the text in a traceback); a NUL byte in a note
is dropped, not sent to the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.keyboards import EditCb, LogCb, SettingsCb
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_security import dump, saved_notice
from tests.reliability.support import plain

UID = 4301


async def _answer(st: Stack, uid: int, nid: int, data: str, text: str) -> list[str]:
    [own] = await st.say(uid, "/help")
    _, asked = await st.press(uid, own, data)
    assert asked, data
    return [plain(m) for m in await st.say(uid, text)]


async def test_identifiers_in_a_note_phone_or_call_log_are_removed_and_the_person_told(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved_notice(st, UID, "CP14 for tax year 2024, I owe $1,234.56, dated 3/1/2026")
        replies = await _answer(st, UID, nid, EditCb(notice_id=nid, field="notes").pack(),
                                "called, my ssn 078\u201305\u201311\u200b20 and ITIN 9 1 2 7 0 1 2 3 4\x00 ok")
        assert any("I removed" in r for r in replies), replies
        assert any("Updated" in r for r in replies), replies
        replies = await _answer(st, UID, nid, EditCb(notice_id=nid, field="phone").pack(), "078051120")
        assert any("I removed" in r for r in replies) and any("only the phone number" in r for r in replies)
        [own] = await st.say(UID, "/help")
        _, asked = await st.press(UID, own, LogCb(notice_id=nid, kind="call").pack())
        answers = ["today", "Ms. Rivera", "078051120", "SSN 078 051 120 confirmed", "none", "Dec 15"]  # + callback date
        told = 0
        for text in answers:
            replies = [plain(m) for m in await st.say(UID, text)]
            told += any("I removed" in r for r in replies)
        assert told == 2, "the badge and the agreed answer each said so"
        with sqlite3.connect(st.db) as conn:
            notes = conn.execute("SELECT notes FROM notices WHERE id = ?", (nid,)).fetchone()[0]
        assert "[REDACTED]" in notes and "\x00" not in notes
        everything = dump(st.db)
        for piece in ("078051120", "1120", "912701234", "051 120"):
            assert piece not in everything.replace("-", "").replace("\u2013", ""), piece
        assert "Ms. Rivera" in everything, "the rest of the log was kept"
        assert st.errors.summary() == []


async def test_tz_never_echoes_an_identifier_or_a_long_text(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        (reply,) = await st.say(UID, "/tz 078-05-1120")
        assert "could not find that time zone" in plain(reply) and "1120" not in plain(reply)
        personal = "John Q Public 1234 Elm Street Springfield 217-555-0143 " * 8
        (reply,) = await st.say(UID, "/tz " + personal)  # used to raise OSError (file name too long)
        assert "could not find that time zone" in plain(reply)
        assert "Springfield" not in plain(reply) and len(plain(reply)) < 200
        assert st.errors.summary() == [], "no traceback for a long /tz"
        (reply,) = await st.say(UID, "/tz America/Chicago")
        assert "America/Chicago" in plain(reply)


async def test_privacy_lists_what_is_stored_where_it_goes_and_for_how_long(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        text = plain((await st.say(UID, "/privacy"))[0])
        for words in ("What I store", "Where it goes", "For how long", "Calendar files", "live calendar link",
                      "notes and the IRS phone number only if you turn that on", "/forget", "/export", "backups"):
            assert words in text, words


async def test_notes_in_calendars_is_a_setting_that_starts_off(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        [settings] = await st.say(UID, "/settings")
        assert "in calendar files, the feed and case summaries: no" in plain(settings)
        _, replies = await st.press(UID, settings, SettingsCb(field="caldetails").pack())
        assert any("in calendar files, the feed and case summaries: yes" in plain(m) for m in replies), replies
        with sqlite3.connect(st.db) as conn:
            assert conn.execute("SELECT calendar_details FROM users WHERE id = ?", (UID,)).fetchone() == (1,)
        _, replies = await st.press(UID, settings, SettingsCb(field="caldetails").pack())
        assert any("in calendar files, the feed and case summaries: no" in plain(m) for m in replies), replies
