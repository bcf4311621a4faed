"""Registering notices through the real bot: onboarding that never blocks, the confirmation card,
questions one at a time, identifiers, scams, unknown codes, same-case detection, PDFs, photos and
flood protection. One bot for the module; each scenario is a different person."""

from __future__ import annotations

import asyncio
import io

import pytest

from tests.e2e.conftest import buttons
from tests.e2e.conversation_support import (
    days_ago,
    e2e_bot,  # noqa: F401 - module-scoped fixture
    need_tesseract,
    query,
    text_of,
    us,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def test_onboarding_and_registering(e2e_bot) -> None:  # noqa: F811
    bot = e2e_bot
    # /start: welcome with the state question and buttons; a typed notice still works meanwhile.
    ana = bot.chat(5001)
    (welcome,) = await ana.say("/start")
    assert "Social Security" in text_of(welcome) and "Which US state" in text_of(welcome)
    assert ("TX", "st:TX") in buttons(welcome)
    dated = days_ago(5)
    (card,) = await ana.say(f"got a CP14 for 2024, owe $3,412.18, dated {us(dated)}")
    body = text_of(card)
    assert "CP14 — " in body and "2024" in body and "$3,412.18" in body
    assert "Respond by" in body and "days left" in body and "Risk:" in body
    assert [t for t, _ in buttons(card)] == ["✅ Save", "✏️ Fix a field", "✖️ Cancel"]
    (picked,) = await ana.press_label(welcome, "TX")
    assert "America/Chicago" in text_of(picked)
    assert query(bot, "SELECT timezone, timezone_confirmed FROM users WHERE id = 5001") == [("America/Chicago", 1)]
    (saved,) = await ana.press_label(card, "Save")
    assert "Saved" in text_of(saved) and "CP14" in text_of(saved)
    rows = query(bot, "SELECT code, tax_years, amount_cents, notice_date, status FROM notices WHERE user_id = 5001")
    assert rows == [("CP14", "[2024]", 341218, dated.isoformat(), "open")]
    # Saving twice from the same card is harmless: answered "Saved.", stored once.
    answer = await ana.answer_to(card, buttons(card)[0][1])
    assert answer["text"] == "Saved." and not answer.get("show_alert")
    assert len(query(bot, "SELECT id FROM notices WHERE user_id = 5001")) == 1

    # Same case: a CP501 for the same tax year is the next step of the CP14.
    (card2,) = await ana.say(f"Now a CP501 for tax year 2024, amount due $3,480.00, notice date {us(days_ago(1))}, "
                             f"pay by {us(days_ago(-20))}")
    assert "Same case (same tax form and year) as your CP14" in text_of(card2)
    await ana.press_label(card2, "Save")
    assert len(query(bot, "SELECT id FROM notices WHERE user_id = 5001")) == 2

    # Missing fields one at a time, notice date first; "I don't know" and a bad answer are fine.
    ben = bot.chat(5002)
    (ask,) = await ben.say("I got a CP504 saying I owe $8,000")
    assert "What date is printed on the notice" in text_of(ask)
    (oops,) = await ben.say("purple")
    assert "could not read that" in text_of(oops) and "Nothing you told me before is lost" in text_of(oops)
    (ask2,) = await ben.say("I don't know")
    assert "date printed to pay or respond by" in text_of(ask2) and "(estimated)" in text_of(ask2)
    (ask3,) = await ben.say("no sé")
    assert "Which tax year" in text_of(ask3) and "Estimated" in text_of(ask3)
    (ask3,) = await ben.press_label(ask3, "I don't know")
    assert "Tap <b>Save</b>" not in text_of(ask3) and "Save" in text_of(ask3)
    await ben.press_label(ask3, "Save")
    assert query(bot, "SELECT code, amount_cents, respond_by_estimated FROM notices WHERE user_id = 5002") == [
        ("CP504", 800000, 1)]

    # Fix a field, then cancel: nothing is stored.
    cat = bot.chat(5003)
    (card,) = await cat.say(f"CP14 tax year 2023 $120.50 dated {us(days_ago(3))}")
    (which,) = await cat.press_label(card, "Fix a field")
    (q,) = await cat.press_label(which, "Amount")
    assert "How much" in text_of(q)
    (fixed,) = await cat.say("$99.10")
    assert "$99.10" in text_of(fixed)
    (cancelled,) = await cat.press_label(fixed, "Cancel")
    assert "Nothing was saved" in text_of(cancelled)
    assert query(bot, "SELECT id FROM notices WHERE user_id = 5003") == []

    # Hard deadline wording; unknown code; identifiers never echoed or stored.
    dan = bot.chat(5004)
    (lt11,) = await dan.say(f"LT11 for 2022, $15,000, dated {us(days_ago(2))}")
    assert "after this date you lose the right to a Collection Due Process hearing" in text_of(lt11)
    (unknown,) = await dan.say(f"I have a CP9999 for 2023, $500, dated {us(days_ago(2))}")
    assert "not in my catalog yet" in text_of(unknown) and "date printed to pay or respond by" in text_of(unknown)
    ssn_note, card = await dan.say(f"CP14 2024 $700 dated {us(days_ago(2))} my SSN is 123-45-6789", count=2)
    assert "removed a Social Security number" in text_of(ssn_note) and "delete your message" in text_of(ssn_note)
    assert all("6789" not in text_of(m) for m in (ssn_note, card))
    await dan.press_label(card, "Save")
    raw = bot.db.read_bytes() + (bot.db.with_name(bot.db.name + "-wal").read_bytes()
                                 if bot.db.with_name(bot.db.name + "-wal").exists() else b"")
    assert b"6789" not in raw and b"123-45" not in raw
    assert "123-45-6789" not in bot.process.logs()

    # Scam signals: warning with how to verify; a scam message never gets a card to save (issue 13).
    eve = bot.chat(5005)
    (warning,) = await eve.say("Someone called me saying they are the IRS, I must pay with gift cards today "
                               "or I will be arrested")
    assert "scam" in text_of(warning).lower() and "IRS.gov" in text_of(warning)
    (warning,) = await eve.say(f"CP14 for 2024 $300 dated {us(days_ago(1))} and they want gift cards")
    assert "scam" in text_of(warning).lower() and "Is this right?" not in text_of(warning)


async def test_pdf_and_flood(e2e_bot) -> None:  # noqa: F811
    from fpdf import FPDF

    bot = e2e_bot
    fay = bot.chat(5010)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in ("Department of the Treasury - Internal Revenue Service", "Notice CP14",
                 "Tax year 2024", f"Notice date {days_ago(4).strftime('%B %d, %Y')}", "Amount due: $2,150.75"):
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    await bot.client.send_document(fay.user_id, "notice.pdf", bytes(pdf.output()), mime_type="application/pdf")
    (card,) = await bot.client.wait_sent(fay.user_id, timeout=20)
    assert "CP14" in text_of(card) and "$2,150.75" in text_of(card) and "2024" in text_of(card)
    await bot.client.send_document(fay.user_id, "broken.pdf", b"%PDF-1.4 not really", mime_type="application/pdf")
    (unreadable,) = await bot.client.wait_sent(fay.user_id, timeout=20)
    assert "type what the letter says" in text_of(unreadable)

    # A burst of notices: every one gets its card, plus one "slow down" note; none is dropped.
    gus = bot.chat(5011)
    await gus.say("/help")  # the person's row exists first (see the report: first-contact race)
    burst = 12
    for i in range(burst):
        await bot.client.send_text(gus.user_id, f"CP14 tax year 2024 ${100 + i}.00 dated {us(days_ago(2))}")
    replies = await bot.client.wait_sent(gus.user_id, count=burst + 1, timeout=40)
    cards = [text_of(m) for m in replies if "Is this right?" in text_of(m)]
    assert len(cards) == burst
    assert sum("sending messages quickly" in text_of(m) for m in replies) == 1
    assert all(any(f"${100 + i}.00" in c for c in cards) for i in range(burst))


async def test_photo_through_ocr(e2e_bot) -> None:  # noqa: F811
    need_tesseract()
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1400, 600), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    lines = ["Internal Revenue Service", "Notice CP14", "Tax year 2024",
             f"Notice date {days_ago(3).strftime('%B %d, %Y')}", "Amount due: $1,234.56"]
    for i, line in enumerate(lines):
        draw.text((60, 40 + i * 100), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    hal = e2e_bot.chat(5020)
    await e2e_bot.client.send_photo(hal.user_id, buffer.getvalue())
    (card,) = await e2e_bot.client.wait_sent(hal.user_id, timeout=60)
    assert "CP14" in text_of(card) and "$1,234.56" in text_of(card)
    await asyncio.sleep(0)
