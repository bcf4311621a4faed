"""A person who blocked the bot and writes again: active again, their paused reminders resume
(the middleware's one use-case call), in the same update as their message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.dispatcher.inproc import dispatcher_stack
from tests.dispatcher.test_notice_card import ME, saved_card


async def test_writing_again_after_blocking_resumes_paused_reminders(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await saved_card(st, ME)
        with sqlite3.connect(st.db) as conn:  # what delivery does when Telegram says "blocked"
            conn.execute("UPDATE users SET active = 0")
            conn.execute("UPDATE reminders SET status = 'paused' WHERE status = 'pending'")
        assert await st.say(ME, "/help")
        with sqlite3.connect(st.db) as conn:
            assert conn.execute("SELECT active FROM users").fetchall() == [(1,)]
            statuses = {s for (s,) in conn.execute("SELECT status FROM reminders")}
        assert statuses == {"pending"}
        assert st.errors.records == []
