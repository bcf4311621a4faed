"""The calendar through the real bot: notices registered in the chat, /calendar and the card's
Calendar button send .ics files that three parsers (and khal) read, and the /feed link (a subscribe
page) works over HTTP against the running bot: ETag → 304, reset → 404, resolved → gone from the
feed and a cancelling file from the card, rate limit per token → 429."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from emulator import EmulatorClient
from tests.domain.calendar.conftest import Parsed, parse
from tests.e2e.conftest import Chat, button, buttons
from tests.harness import BotProcess

pytestmark = pytest.mark.e2e

PUBLIC = "https://noticebot.example.org"
KHAL = shutil.which("khal", path=str(Path(sys.executable).parent)) or shutil.which("khal")


WAIT = 15  # seconds for each reply of a Chat

# Replies are matched by what they are (Chat.say_until / press_until), not by position: the bot may
# add other messages in between (a "you are sending quickly" notice, a due reminder).


async def register(chat: Chat, text: str, save: str = "Save") -> dict[str, Any]:
    """Type a notice and press Save on the confirmation card; returns the saved notice's card."""
    card = await chat.say_until(text, lambda m: any(save in label for label, _ in buttons(m)))
    return await chat.press_until(card, button(card, save), has_calendar_button)


def has_calendar_button(message: dict[str, Any]) -> bool:
    return any(data.startswith("n:i:") for _, data in buttons(message))


def is_document(message: dict[str, Any]) -> bool:
    return message["method"] == "sendDocument"


def containing(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: text in (m.get("plain_text") or "")


def dated(days_ago: int) -> date:
    return datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=days_ago)


def us(d: date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def respond_by(bot: BotProcess, code: str) -> date:
    import sqlite3

    with sqlite3.connect(bot.workdir / "bot.db") as conn:
        (row,) = conn.execute("SELECT respond_by FROM notices WHERE code = ?", (code,)).fetchall()
    return date.fromisoformat(row[0])


async def received_file(client: EmulatorClient, message: dict[str, Any]) -> Parsed:
    assert message["method"] == "sendDocument", message
    raw = await client.download(message)
    raw.decode("utf-8")  # UTF-8, or this raises
    return parse(raw)  # icalendar, vobject and ics must all accept it


def links(message: dict[str, Any]) -> tuple[str, str]:
    """(the subscribe page's https link, the feed's https link) in a /feed reply."""
    text = message["plain_text"]
    (page,) = re.findall(r"https://\S+/subscribe/[A-Za-z0-9_-]+", text)
    (https,) = re.findall(r"https://\S+\.ics", text)
    return page, https


def uid_of(bot: BotProcess, code: str) -> str:
    import sqlite3

    with sqlite3.connect(bot.workdir / "bot.db") as conn:
        (row,) = conn.execute("SELECT uid FROM notices WHERE code = ?", (code,)).fetchall()
    return str(row[0])


async def test_calendar_file_button_and_live_feed(bot_factory, client) -> None:  # type: ignore[no-untyped-def]
    bot = await bot_factory(PUBLIC_URL=PUBLIC)
    ana = Chat(client, 7001, timeout=WAIT)
    cp14_card = await register(ana, f"CP14 for tax year 2024, $3,412.18, dated {us(dated(18))}")
    await register(ana, f"LT11 for tax year 2022, $9,800.00, dated {us(dated(3))}")
    cp14_due, lt11_due = respond_by(bot, "CP14"), respond_by(bot, "LT11")

    # /calendar: one file with every open notice, named irs-deadlines.ics, with import help.
    doc = await ana.say_until("/calendar", is_document)
    assert doc["document"]["file_name"] == "irs-deadlines.ics"
    caption = doc["caption"]
    assert "iPhone" in caption and "Google" in caption and "Outlook" in caption and "(2)" in caption
    p = await received_file(client, doc)
    (cp14,) = [e for e in p.events() if str(e["SUMMARY"]).startswith("Respond to IRS CP14")]
    assert cp14.decoded("DTSTART") == cp14_due
    assert "$3,412.18" in str(cp14["SUMMARY"])
    (lt11,) = [e for e in p.events() if str(e["SUMMARY"]).startswith("Respond to IRS LT11")]
    assert str(lt11["SUMMARY"]) == "Respond to IRS LT11 — Last day to request a CDP hearing (tax year 2022): $9,800.00 due"
    assert lt11.decoded("DTSTART") == lt11_due
    assert len(p.vobj.contents["vevent"]) == len(p.ics.events) == len(p.events())

    # The card's Calendar button: that notice only, named after it.
    one = await ana.press_until(cp14_card, button(cp14_card, "Calendar"), is_document)
    assert one["document"]["file_name"] == f"irs-CP14-{cp14_due.isoformat()}.ics"
    events = (await received_file(client, one)).events()
    uid = uid_of(bot, "CP14")  # the stored random UID, on PUBLIC_URL's host
    assert {str(e["UID"]).split("@")[0][:36] for e in events} == {uid}
    assert {str(e["UID"]).split("@")[1] for e in events} == {"noticebot.example.org"}

    # Someone else pressing a forged Calendar button for Ana's notice gets a polite no, no file.
    bob = Chat(client, 7002, timeout=WAIT)
    hello = await bob.say_until("/help", containing("/calendar"))
    forged = await bob.answer_to(hello, button(cp14_card, "Calendar"))
    assert "cannot find that notice" in forged["text"] and forged["show_alert"]
    await asyncio.sleep(0.5)
    assert all(m["method"] != "sendDocument" for m in await client.sent(7002))

    # /feed: the subscribe page's https link on PUBLIC_URL, the Google caveat, how alerts work.
    feed_msg = await ana.say_until("/feed", containing("calendar link"))
    page, https = links(feed_msg)
    assert page.startswith(PUBLIC + "/subscribe/") and https.startswith(PUBLIC + "/calendar/")
    text = feed_msg["plain_text"]
    assert "several hours" in text and "/calendar" in text and "Remove Alerts" in text and "never alert" in text
    url = bot.url + https.removeprefix(PUBLIC)
    async with aiohttp.ClientSession() as http:
        async with http.get(bot.url + page.removeprefix(PUBLIC)) as resp:  # the page the link opens
            assert resp.status == 200
            html = await resp.text()
        assert "webcal://" + https.removeprefix("https://") in html and "calendar.google.com" in html
        async with http.get(url) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert resp.headers["Cache-Control"] and resp.headers["Last-Modified"]
            etag = resp.headers["ETag"]
            feed = parse(await resp.read())
        assert {e.decoded("DTSTART") for e in feed.events()} >= {cp14_due, lt11_due}
        async with http.get(url, headers={"If-None-Match": etag}) as resp:
            assert resp.status == 304

        # A second /feed cannot show the link again (only its hash is kept).
        again = await ana.say_until("/feed", containing("calendar link"))
        assert "/feed reset" in again["plain_text"] and "webcal://" not in again["plain_text"]

        # Paid: the notice leaves the feed, with a new ETag; the card's file now cancels it.
        await ana.press_until(cp14_card, button(cp14_card, "Mark paid"), containing("Marked as paid"))
        async with http.get(url, headers={"If-None-Match": etag}) as resp:
            assert resp.status == 200 and resp.headers["ETag"] != etag
            feed = parse(await resp.read())
        assert not [e for e in feed.events() if "CP14" in str(e["SUMMARY"])]
        cancel = await ana.press_until(cp14_card, button(cp14_card, "Calendar"), is_document)
        assert "is resolved" in cancel["caption"]
        assert {str(e["STATUS"]) for e in (await received_file(client, cancel)).events()} == {"CANCELLED"}

        # /feed reset: a new link works, the old one is a 404 like any unknown token.
        reset = await ana.say_until("/feed reset", containing("calendar link"))
        new_url = bot.url + links(reset)[1].removeprefix(PUBLIC)
        assert new_url != url and "old link no longer works" in reset["plain_text"]
        async with (
            http.get(url) as old,
            http.get(new_url) as new,
            http.get(bot.url + "/calendar/x.ics") as bad,
        ):
            assert (old.status, new.status, bad.status) == (404, 200, 404)
            assert await old.read() == await bad.read()

        # Rate limit per token: a burst of requests ends in 429 with Retry-After.
        statuses = []
        for _ in range(40):
            async with http.get(new_url) as resp:
                statuses.append(resp.status)
                if resp.status == 429:
                    assert int(resp.headers["Retry-After"]) >= 1
                    break
        assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert "Traceback" not in bot.logs()
    assert https.rsplit("/", 1)[1].removesuffix(".ics") not in bot.logs()  # the token is never logged


async def test_spanish_file_and_nothing_to_export(bot, client) -> None:  # type: ignore[no-untyped-def]
    eva = Chat(client, 7003, language="es", timeout=WAIT)
    empty = await eva.say_until("/calendar", containing("avisos"))
    assert "no tiene avisos abiertos" in empty["plain_text"]
    await register(eva, f"CP14 del año fiscal 2024, $1,250.00, fecha {us(dated(10))}", save="Guardar")
    doc = await eva.say_until("/calendar", is_document)
    assert "Añadir todo" in doc["caption"]
    p = await received_file(client, doc)
    assert str(p.ical["X-WR-CALNAME"]) == "Plazos del IRS (noticebot)"
    assert any(str(e["SUMMARY"]).startswith("Responder al IRS CP14") for e in p.events())


@pytest.mark.skipif(
    KHAL is None, reason="khal is not installed (pip install khal) - real-import test skipped"
)
async def test_khal_imports_the_file_the_bot_sent(bot, client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ana = Chat(client, 7004, timeout=WAIT)
    await register(ana, f"CP14 for tax year 2024, $3,412.18, dated {us(dated(18))}")
    doc = await ana.say_until("/calendar", is_document)
    path = tmp_path / doc["document"]["file_name"]
    path.write_bytes(await client.download(doc))
    (tmp_path / "cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[irs]]\npath = {tmp_path / 'cal'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"local_timezone = UTC\ndefault_timezone = UTC\n[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
    }

    def khal(*args: str) -> str:
        assert KHAL is not None
        done = subprocess.run([KHAL, "-c", str(config), *args], capture_output=True, text=True, env=env,
                              timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    await asyncio.to_thread(khal, "import", "--batch", str(path))
    due = respond_by(bot, "CP14").isoformat()
    listed = await asyncio.to_thread(
        khal, "list", "--once", "--format", "{start-date}|{title}", "--day-format", "", due, due
    )
    assert f"{due}|Respond to IRS CP14 (tax year 2024): $3,412.18 due" in listed.splitlines()
