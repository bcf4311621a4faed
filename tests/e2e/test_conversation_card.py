"""Looking after notices through the real bot: /notices by urgency, the notice card and every
button, logging a call, status changes (recorded, reminders replanned), edit, delete, and
forged or stale presses. One bot for the module."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.e2e.conftest import Chat, button, buttons
from tests.e2e.conversation_support import (
    days_ago,
    e2e_bot,  # noqa: F401 - module-scoped fixture
    query,
    text_of,
    us,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def save(person: Chat, text: str) -> dict:
    (card,) = await person.say(text)
    (saved,) = await person.press_label(card, "Save")
    assert "Saved" in text_of(saved), text_of(saved)
    return saved


async def test_notice_card_and_its_buttons(e2e_bot) -> None:  # noqa: F811
    bot = e2e_bot
    ivy = bot.chat(6001)
    (empty,) = await ivy.say("/notices")
    assert "no notices yet" in text_of(empty)
    cp14 = await save(ivy, f"CP14 for 2024, owe $3,412.18, dated {us(days_ago(10))}")
    await save(ivy, f"LT11 for 2022, $15,000, dated {us(days_ago(25))}")
    nid = int(button(cp14, "What it means").split(":")[-1])

    # /notices: the LT11's case (5 days left, hard) before the CP14's (11 days left); a case opens on
    # its timeline and its notices.
    (listing,) = await ivy.say("/notices")
    body = text_of(listing)
    assert body.index("LT11") < body.index("CP14") and "days left" in body and "hard deadline" in body
    (case,) = await ivy.press_label(listing, "CP14")
    assert "Notices received" in text_of(case)
    (card,) = await ivy.press_label(case, "📄 CP14")
    assert "Status: open" in text_of(card)

    (meaning,) = await ivy.press_label(card, "What it means")
    assert "If you do nothing" in text_of(meaning) and "Source: https://www.irs.gov/" in text_of(meaning)
    (cost,) = await ivy.press_label(card, "Cost of waiting")
    assert "Pay today" in text_of(cost) and "Pay in 90 days" in text_of(cost)
    (picture,) = await ivy.press_label(card, "Timeline")
    png = await bot.client.download(picture)
    assert png.startswith(b"\x89PNG") and "Timeline for CP14" in text_of(picture)
    letter_text, letter_pdf = await ivy.press_label(card, "Dispute letter", count=2)
    assert "Re: Notice CP14" in text_of(letter_text)
    assert (await bot.client.download(letter_pdf)).startswith(b"%PDF")
    assert ("📅 Calendar", f"n:i:{nid}") in buttons(card)

    # Checklist: tick an item with its button; progress is stored.
    (checklist,) = await ivy.press_label(card, "Checklist")
    assert "0 of" in text_of(checklist)
    await ivy.press_label(checklist, buttons(checklist)[0][0], count=0)
    ticked = await ivy.latest(checklist["message_id"])
    for _ in range(50):
        if "1 of" in text_of(ticked):
            break
        await asyncio.sleep(0.1)
        ticked = await ivy.latest(checklist["message_id"])
    # ticked, so the folded view moves on to the next step
    assert "1 of" in text_of(ticked) and "Next:" in text_of(ticked)
    assert len(query(bot, "SELECT item_id FROM checklist_progress WHERE notice_id = ?", nid)) == 1
    (cmd_list,) = await ivy.say("/checklist")  # two open notices: which one?
    assert "Which notice" in text_of(cmd_list) and [t for t, _ in buttons(cmd_list)][0].startswith("LT11")

    # Log a call: date, agent, badge, what was agreed, confirmation number (HTML in it is escaped), and
    # the date they gave to call back (skipped here).
    (kind,) = await ivy.press_label(card, "Log a call")
    (q_date,) = await ivy.press_label(kind, "phone call")
    (q_agent,) = await ivy.say("today")
    assert "name" in text_of(q_agent)
    (q_badge,) = await ivy.say("Ms. Smith")
    (q_agreed,) = await ivy.say("1000123456")
    (q_conf,) = await ivy.say("Pay <$500> & call back")
    (q_callback,) = await ivy.say("CONF-42")
    assert "call back" in text_of(q_callback)
    logged, card_after = await ivy.press_label(q_callback, "Skip", count=2)
    assert "Logged" in text_of(logged)
    assert "Ms. Smith" in text_of(card_after) and "Pay <$500> & call back" in text_of(card_after)
    data = json.loads(query(bot, "SELECT data FROM notice_events WHERE notice_id = ? AND kind = 'call'", nid)[0][0])
    assert data["agent"] == "Ms. Smith" and data["badge"] == "1000123456" and data["confirmation"] == "CONF-42"

    # Status: paid is recorded with its date, reminders are cancelled, and it can be reopened.
    assert query(bot, "SELECT count(*) FROM reminders WHERE notice_id = ? AND status = 'pending'", nid)[0][0] > 0
    (paid,) = await ivy.press_label(card, "Mark paid")
    assert "Marked as paid on" in text_of(paid)
    assert query(bot, "SELECT status FROM notices WHERE id = ?", nid) == [("paid",)]
    assert query(bot, "SELECT count(*) FROM reminders WHERE notice_id = ? AND status = 'pending'", nid) == [(0,)]
    assert query(bot, "SELECT count(*) FROM notice_events WHERE notice_id = ? AND kind = 'status'", nid) == [(1,)]
    (listing,) = await ivy.say("/notices")
    assert "CP14" not in text_of(listing) and "Show closed" in str(buttons(listing))
    (all_notices,) = await ivy.press_label(listing, "Show closed")
    assert "CP14" in text_of(all_notices) and "resolved" in text_of(all_notices)
    (reopened,) = await ivy.press_label(await ivy.latest(card["message_id"]), "Reopen")
    assert "Reopened" in text_of(reopened)

    # Edit the amount and the notes (HTML stays text).
    (fields,) = await ivy.press_label(card, "Edit")
    (q,) = await ivy.press_label(fields, "Notes")
    updated, edited_card = await ivy.say("<b>called</b> & waiting", count=2)
    assert "<b>called</b> & waiting" in text_of(edited_card)
    (fields,) = await ivy.press_label(card, "Edit")
    await ivy.press_label(fields, "Amount")
    updated, edited_card = await ivy.say("$3,000", count=2)
    assert "$3,000.00" in text_of(edited_card)
    assert query(bot, "SELECT amount_cents, sequence > 0 FROM notices WHERE id = ?", nid) == [(300000, 1)]

    # Forged and stale presses: another person's notice, a deleted one, an unknown button.
    mallory = bot.chat(6666)
    (own,) = await mallory.say("/help")  # forged data on a message of her own chat
    answer = await mallory.answer_to(own, f"n:v:{nid}")
    assert "not yours" in answer["text"]
    answer = await mallory.answer_to(own, f"n:del:{nid}")
    assert "not yours" in answer["text"]
    answer = await ivy.answer_to(card, "zz:garbage")
    assert "expired" in answer["text"]

    # Delete with confirmation; the old card's buttons then refuse politely.
    (confirm,) = await ivy.press_label(card, "Delete")
    assert "cannot be undone" in text_of(confirm)
    await ivy.press_label(confirm, "Yes, delete", count=0)
    for _ in range(50):
        if not query(bot, "SELECT id FROM notices WHERE id = ?", nid):
            break
        await asyncio.sleep(0.1)
    assert query(bot, "SELECT id FROM notices WHERE id = ?", nid) == []
    answer = await ivy.answer_to(card, f"n:m:{nid}")
    assert "cannot find that notice" in answer["text"]


async def test_long_notes_split_cleanly(e2e_bot) -> None:  # noqa: F811
    bot = e2e_bot
    kim = bot.chat(6002)
    card = await save(kim, f"CP14 for 2024, owe $50.00, dated {us(days_ago(2))}")
    (fields,) = await kim.press_label(card, "Edit")
    await kim.press_label(fields, "Notes")
    # Each logged answer keeps up to 500 characters; two long calls push the card past 4096.
    updated, edited = await kim.say("& <x> " * 100, count=2)
    assert len(text_of(edited)) <= 4096
    long = ("Long answer & <note> " * 30)[:490]
    for _ in range(2):
        (kind,) = await kim.press_label(card, "Log a call")
        await kim.press_label(kind, "phone call")
        for answer in ("today", long, long, long):
            await kim.say(answer)
        (q_callback,) = await kim.say(long)  # the date the IRS gave to call back: skipped
        replies = await kim.press_label(q_callback, "Skip", count=2)
        while not buttons(replies[-1]):  # the card may come in two pieces now
            replies += await bot.client.wait_sent(kim.user_id)
    (listing,) = await kim.say("/notices")
    (case,) = await kim.press_label(listing, "CP14")
    pieces = await kim.press_label(case, "📄 CP14", count=2)
    while not buttons(pieces[-1]):
        pieces += await bot.client.wait_sent(kim.user_id)
    assert all(len(text_of(p)) <= 4096 for p in pieces)
    assert not any(buttons(p) for p in pieces[:-1])  # the keyboard rides on the last piece
    assert sum(text_of(p).count("& <note>") for p in pieces) >= 2 * 4 * 20  # escaped, nothing lost
