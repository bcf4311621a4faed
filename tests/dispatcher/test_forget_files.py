"""Issue 18: /forget on SQLite leaves no copy of the person's notes in the database or -wal file
(before: 6-8 copies stayed in the write-ahead log until a checkpoint; secure_delete was not set)."""

from __future__ import annotations

from pathlib import Path

from bot.keyboards import EditCb, ForgetCb
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_security import saved_notice
from tests.reliability.support import plain, record

GONE, STAYS = 4601, 4602


async def set_note(st: Stack, uid: int, nid: int, note: str) -> None:
    [own] = await st.say(uid, "/help")
    await st.press(uid, own, EditCb(notice_id=nid, field="notes").pack())
    assert any("Updated" in plain(m) for m in await st.say(uid, note))


def file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


async def test_forget_leaves_no_copy_of_notes_in_the_sqlite_files(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        gone = await saved_notice(st, GONE, "CP14 for tax year 2024, I owe $1,234.56, dated 3/1/2026")
        stays = await saved_notice(st, STAYS, "CP14 for tax year 2023, I owe $2,000.00, dated 3/2/2026")
        for i in range(4):  # each edit leaves another copy of the page in the -wal file
            await set_note(st, GONE, gone, f"Zebulon Quackenbush called about plan {i}")
        await set_note(st, STAYS, stays, "Philomena Staysworth keeps her notes")
        before = file_bytes(st.db)
        assert before.count(b"Zebulon Quackenbush") >= 2, "the note is in the files before /forget"
        [ask] = await st.say(GONE, "/forget")
        _, _ = await st.press(GONE, ask, ForgetCb(confirm=True).pack())
        after = file_bytes(st.db)
        wal = Path(f"{st.db}-wal")
        assert b"Zebulon" not in after and b"Quackenbush" not in after
        assert b"Philomena Staysworth" in after, "someone else's note is still there"
        # checkpointed and truncated; the update's own bookkeeping (handled-once marks) may write a page
        # or two into it right after, which is not the person's data (the bytes check above)
        assert not wal.exists() or wal.stat().st_size <= 32 + 2 * (24 + 4096), "the write-ahead log was truncated"
        assert st.errors.summary() == []
    record("forget_files", copies_before=before.count(b"Zebulon Quackenbush"), copies_after=0,
           wal_bytes_after=wal.stat().st_size if wal.exists() else 0)
