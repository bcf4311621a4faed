"""IRS letters that are not about money owed (issue 13): CP01A, CP09, CP27, and a CP12 with no balance
due are answered as what they are (whether anything is needed, the official page), with nothing saved,
no reminder and no deadline card; a real money notice in the same message still gets its card."""

from __future__ import annotations

from pathlib import Path

from tests.corpus import load
from tests.dispatcher.inproc import Stack, dispatcher_stack

ME = 7301
SAMPLES = {s.name: s for s in load()}


def _buttons(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def _count(stack: Stack, table: str) -> int:
    import sqlite3

    with sqlite3.connect(stack.db) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def test_a_cp09_is_answered_as_a_credit_letter_and_nothing_is_saved(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        replies = await st.say(ME, SAMPLES["cp09"].text)
        text = "\n".join(r["plain_text"] for r in replies)
        assert "CP09 is not a bill" in text and "Earned Income Credit" in text
        assert "worksheet" in text  # what to do, if anything
        assert "https://www.irs.gov/individuals/understanding-your-cp09-notice" in text
        assert "I have not saved anything" in text
        assert not any("Save" in b for r in replies for b in _buttons(r))  # no card to save
        assert "Respond by" not in text and "Is this right?" not in text
        assert _count(st, "notices") == 0 and _count(st, "reminders") == 0
        assert st.errors.records == []


async def test_a_cp12_without_a_balance_shows_the_60_day_date_and_saves_nothing(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        replies = await st.say(ME, "I got a CP12 dated November 2, 2026, they changed my refund")
        text = "\n".join(r["plain_text"] for r in replies)
        assert "CP12 is not a bill" in text and "within 60 days" in text
        # November 2 + 60 days is New Year's Day 2027 (a Friday, a legal holiday): rolled to Monday January 4
        assert "Last day to disagree: January 4, 2027" in text
        assert "https://www.irs.gov/individuals/understanding-your-cp12-notice" in text
        assert _count(st, "notices") == 0 and _count(st, "reminders") == 0


async def test_a_cp12_that_shows_an_amount_due_is_still_a_money_notice(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        replies = await st.say(ME, "CP12 for 2025, amount due $410.00, dated November 2, 2026")
        card = next(r for r in replies if "Save" in " ".join(_buttons(r)))
        assert "CP12" in card["plain_text"] and "$410.00" in card["plain_text"]
        assert not any("not a bill" in r["plain_text"] for r in replies)


async def test_a_cp01a_in_spanish_says_what_the_ip_pin_is_and_links_the_spanish_page(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await st.say(ME, "/language es")
        replies = await st.say(ME, SAMPLES["cp01a"].text)
        text = "\n".join(r["plain_text"] for r in replies)
        assert "CP01A no es una factura" in text and "PIN de Protección de Identidad" in text
        assert "https://www.irs.gov/es/individuals/understanding-your-cp01a-notice" in text
        assert "No he guardado nada" in text
        assert "123456" not in text  # the IP PIN printed on the letter is never repeated
        assert _count(st, "notices") == 0


async def test_a_cp27_as_a_pdf_is_answered_the_same_way(tmp_path: Path) -> None:
    from documents import isolation
    from tests.documents import files

    try:
        async with dispatcher_stack(tmp_path) as st:
            since = st.emu.cursor
            st.emu.inject_document(ME, "cp27.pdf", files.text_pdf(SAMPLES["cp27"].text), "application/pdf")
            await st.feed(st.pending_update())
            text = "\n".join(r["plain_text"] for r in st.emu.sent(ME, since))
            assert "CP27 is not a bill" in text and "Form 15112" in text
            assert _count(st, "notices") == 0 and st.errors.records == []
    finally:
        isolation.shutdown()


async def test_a_money_notice_next_to_a_credit_letter_still_gets_its_card(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        replies = await st.say(ME, "I got a CP09 for 2024 and a CP14 for 2024 for $500 dated 11/02/2026")
        texts = [r["plain_text"] for r in replies]
        assert any("CP09 is not a bill" in t for t in texts)
        card = next(r for r in replies if "Save" in " ".join(_buttons(r)))
        assert "CP14" in card["plain_text"] and "$500.00" in card["plain_text"]
        assert not any("I found 2 notices" in t for t in texts)  # the letter is not a second card
