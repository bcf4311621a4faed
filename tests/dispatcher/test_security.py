"""Security, in-process on the whole dispatcher (tests/dispatcher/inproc.py):

- forged callback data naming another person's notice is refused for every NoticeCb action, every
  reminder button, checklist ticks, edit fields and contact logs: an alert, nothing of theirs
  shown, nothing of theirs changed;
- calendar feed tokens: near-misses of a real token and random ones all get the same 404, the raw
  token never reaches the database (only its SHA-256), and the final check is hmac.compare_digest;
- a flood from one person does not slow another person's reply;
- after a session full of SSNs, ITINs and EINs, no table, no log line, no reply and no /export
  contains one;
- /forget leaves no row about the person in any table.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import logging
import random
import re
import sqlite3
import string
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import event

from app.logs import JsonFormatter
from bot.callbacks import NoticeAction, NoticeCb
from bot.dispatcher import make_i18n
from bot.keyboards import ChecklistCb, EditCb, LogCb
from bot.routers.form12153 import InstrumentCb
from bot.routers.reminders import ReminderAction
from storage import feeds
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.reliability.support import button, plain, record, scaled
from web import feed
from web import server as http

VICTIM, ATTACKER = 4101, 4102


async def saved_notice(st: Stack, uid: int, text: str) -> int:
    [card] = [m for m in await st.say(uid, text) if button(m, "Save")]
    answer, replies = await st.press(uid, card, button(card, "Save") or "")
    assert any("Saved." in plain(m) for m in replies), replies
    with sqlite3.connect(st.db) as conn:
        return int(conn.execute("SELECT max(id) FROM notices WHERE user_id = ?", (uid,)).fetchone()[0])


def dump(db: Path) -> str:
    """Every row of every table (and the schema) as SQL text."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def snapshot(db: Path, uid: int) -> list[Any]:
    with sqlite3.connect(db) as conn:
        q = [
            "SELECT * FROM notices WHERE user_id = ?",
            "SELECT e.* FROM notice_events e JOIN notices n ON n.id = e.notice_id WHERE n.user_id = ?",
            "SELECT c.* FROM checklist_progress c JOIN notices n ON n.id = c.notice_id WHERE n.user_id = ?",
            "SELECT id, kind, due_at, status, lease_until FROM reminders WHERE user_id = ?",
        ]
        return [conn.execute(s, (uid,)).fetchall() for s in q]


async def test_forged_callbacks_for_another_persons_notice_are_refused(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved_notice(st, VICTIM, "CP14 for tax year 2024, I owe $7,777.77, dated 3/1/2026")
        before = snapshot(st.db, VICTIM)
        forged = [NoticeCb(action=a, notice_id=nid).pack() for a in NoticeAction]
        forged += [ReminderAction(action=a, notice_id=nid).pack()
                   for a in ("paid", "plan", "disputed", "s1", "s3", "list", "tool")]
        forged += [InstrumentCb(action=a, notice_id=nid).pack() for a in ("guide", "fill", "sent")]
        forged += [ChecklistCb(notice_id=nid, item=i).pack() for i in range(4)]
        forged += [EditCb(notice_id=nid, field=f).pack() for f in ("amount", "code", "notice_date", "respond_by")]
        forged += [LogCb(notice_id=nid, kind=k).pack() for k in ("call", "letter")]
        refused = 0
        for i, data in enumerate(forged):
            # One attacker per press, so the button throttle (20 presses) never answers instead.
            [own] = await st.say(ATTACKER + 10 * i, "/help")  # a bot message in the attacker's own chat
            answer, replies = await st.press(ATTACKER + 10 * i, own, data)
            assert answer["answered"], data
            assert answer.get("show_alert"), (data, answer)
            assert not replies, (data, [plain(m) for m in replies])  # nothing sent to the attacker
            refused += 1
        # Not even in the victim's chat did anything change or appear.
        assert snapshot(st.db, VICTIM) == before
        assert not any("7,777.77" in plain(m) for m in st.emu.sent() if m["chat_id"] != VICTIM)
        assert st.errors.summary() == []
    record("forged_callbacks", refused=refused, actions=len(forged))


async def test_feed_tokens_cannot_be_guessed_or_enumerated(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async with dispatcher_stack(tmp_path) as st:
        await saved_notice(st, VICTIM, "CP14 for tax year 2024, I owe $1,234.56, dated 3/1/2026")
        async with st.sm() as s:
            user = await s.get(feeds.User, VICTIM)
            token = await feeds.issue_token(s, user, datetime.now(UTC))
            await s.commit()
        statements: list[str] = []

        @event.listens_for(st.engine.sync_engine, "before_cursor_execute")
        def spy(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            statements.append(f"{statement} {parameters!r}")

        compared: list[tuple[str, str]] = []
        real_compare = hmac.compare_digest

        def compare(a: Any, b: Any) -> bool:
            compared.append((a, b))
            return real_compare(a, b)

        monkeypatch.setattr(feeds.hmac, "compare_digest", compare)
        app = http.make_app(st.engine, lambda: True, None)  # type: ignore[arg-type]
        feed.setup(app, st.sm, make_i18n())
        rng = random.Random(7)
        alphabet = string.ascii_letters + string.digits + "-_"
        guesses = [token[:-1] + ("A" if token[-1] != "A" else "B"), token[1:] + "x", token.upper(), token.lower(),
                   token[:16], token + "A", token[:-8] + "0" * 8, "", "../" + token, token + "%00",
                   *("".join(rng.choice(alphabet) for _ in range(32)) for _ in range(scaled(60, 400)))]
        guesses = [g for g in guesses if g != token]
        async with TestClient(TestServer(app)) as client:
            ok = await client.get(feed.feed_path(token))
            assert ok.status == 200 and "BEGIN:VCALENDAR" in await ok.text()
            bodies = set()
            for i, g in enumerate(guesses):
                feed_app = app[feed.FEED]
                feed_app.per_ip.buckets.clear()  # the limits are tested elsewhere; here every answer counts
                resp = await client.get(f"/calendar/{g}.ics")
                headers = {k: v for k, v in resp.headers.items() if k.lower() not in {"date", "content-length"}}
                bodies.add((resp.status, await resp.read(), tuple(sorted(headers.items()))))
                assert resp.status == 404, (i, g)
            nothing = await client.get("/no/such/path")
            bodies.add((nothing.status, await nothing.read(),
                        tuple(sorted((k, v) for k, v in nothing.headers.items()
                                     if k.lower() not in {"date", "content-length"}))))
        assert len(bodies) == 1, bodies  # one and the same answer for every miss
        assert not any(token in s for s in statements)  # the raw token never reaches the database
        assert any(feeds.hash_token(token) in s for s in statements)
        assert compared and all(len(a) == len(b) == 64 for a, b in compared)  # constant-time, on digests
    record("feed_tokens", guesses=len(guesses), distinct_answers=len(bodies))


@pytest.mark.serial  # measures another person's reply time
async def test_a_flood_from_one_person_does_not_slow_another(tmp_path: Path) -> None:
    """Regression (fixed in bot/middlewares.py): throttled messages waited in the throttling
    middleware while their session held a pooled database connection, so 15 waiting messages from
    one person exhausted the pool: another person's /help took 30 s, then failed with QueuePool
    TimeoutError and an apology."""
    async with dispatcher_stack(tmp_path) as st:
        async def latency(uid: int) -> float:
            t = time.monotonic()
            replies = await st.say(uid, "/help")
            assert replies
            return time.monotonic() - t

        baseline = min([await latency(4200 + i) for i in range(3)])
        flood_n = scaled(150, 600)
        flood = [st.message_update(4300, text=f"CP14 2024 I owe ${i},000 dated 3/{1 + i % 28}/2026 " + "x" * 500)
                 for i in range(flood_n)]
        tasks = [asyncio.create_task(st.feed(u)) for u in flood]  # as polling runs them: concurrently
        await asyncio.sleep(0)
        during = [await latency(4400 + i) for i in range(5)]
        for task in tasks:
            task.cancel()  # the throttled rest would wait a second each
        await asyncio.gather(*tasks, return_exceptions=True)
        assert max(during) < max(1.0, 10 * baseline), (baseline, during)
    record("flood", flood_messages=flood_n, baseline_ms=round(baseline * 1000, 1),
           other_person_ms=[round(d * 1000, 1) for d in during])


IDS = {
    "ssn": ["123-45-6789", "123 45 6789", "123456789"],
    "itin": ["912-70-1234", "987-65-4321"],
    "ein": ["12-3456789", "98-7654321"],
}


async def test_identifiers_never_stored_logged_echoed_or_exported(tmp_path: Path) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with dispatcher_stack(tmp_path) as st:
            uid = 4500
            lines = [
                "CP14 for tax year 2024, I owe $2,500.00, dated 3/1/2026, my SSN is 123-45-6789",
                "my ITIN is 912-70-1234 and EIN 12-3456789",
                "SSN 123 45 6789 CP501 tax year 2023 amount due $1,100.00 notice date 2/2/2026",
                "ein: 98-7654321, itin 987-65-4321, ssn 123456789",
                "CP504 $800.00 for 2022, taxpayer id 123-45-6789",
            ]
            for text in lines:
                replies = await st.say(uid, text)
                for card in [m for m in replies if button(m, "Save")]:
                    await st.press(uid, card, button(card, "Save") or "")
            # Answer the card's questions with identifiers too.
            card_msgs = [m for m in await st.say(uid, "CP14 owe $10.00") if button(m, "Save")]
            await st.say(uid, "123-45-6789")
            if card_msgs:
                await st.press(uid, card_msgs[-1], button(card_msgs[-1], "Save") or "")
            since = st.emu.cursor
            await st.say(uid, "/export")
            exported = [st.emu.file_bytes(m["document"]["file_id"]).decode() for m in st.emu.sent(uid, since)
                        if m.get("document")]
            assert exported, "no /export file"
            json.loads(exported[0])
            replies_text = "\n".join((m.get("text") or "") + (m.get("caption") or "") for m in st.emu.sent(uid))
            stored = dump(st.db)
            assert "2,500.00" in stored.replace("250000", "2,500.00") or "250000" in stored  # notices were saved
            assert st.errors.summary() == []
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    logs = buffer.getvalue()
    assert logs  # the session was logged
    places = {"database": stored, "logs": logs, "replies": replies_text, "export": "\n".join(exported)}
    found = []
    for where, text in places.items():
        digits_only = re.sub(r"\D", "", text)
        for kind, values in IDS.items():
            for v in values:
                if v in text or (len(re.sub(r"\D", "", v)) == 9 and re.sub(r"\D", "", v) in digits_only
                                 and where != "logs"):
                    found.append((where, kind, v))
    assert not found, found
    record("identifiers", messages=len(lines) + 2, identifiers=sum(len(v) for v in IDS.values()),
           places_checked=list(places), leaks=len(found))


async def test_forget_leaves_no_row_about_the_person(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        uid, other = 4600, 4601
        nid = await saved_notice(st, uid, "CP14 for tax year 2024, I owe $3,000.00, dated 3/1/2026")
        await saved_notice(st, uid, "CP501 for tax year 2023, amount due $900.00, notice date 2/1/2026")
        await saved_notice(st, other, "CP14 for tax year 2024, I owe $50.00, dated 3/1/2026")
        [own] = await st.say(uid, "/help")
        for data in (ChecklistCb(notice_id=nid, item=0).pack(), NoticeCb(action=NoticeAction.PAID, notice_id=nid).pack(),
                     ReminderAction(action="s1", notice_id=nid).pack()):
            await st.press(uid, own, data)
        await st.say(uid, "/calendar")
        await st.say(uid, "/feed")
        await st.say(uid, "/time 07:30")
        [ask] = [m for m in await st.say(uid, "/forget") if button(m, "")]
        yes = next(d for t, d in [(b["text"], b["callback_data"]) for row in ask["reply_markup"]["inline_keyboard"]
                                  for b in row] if '"1"' in d or d.endswith(":1") or "true" in d.lower())
        await st.press(uid, ask, yes)
        conn = sqlite3.connect(st.db)
        try:
            tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            leftovers = {}
            for table in tables:
                cols = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')]
                for col in cols:
                    if col in {"user_id", "id"} and table in {"users"} or col == "user_id":
                        n = conn.execute(f'SELECT count(*) FROM "{table}" WHERE "{col}" = ?', (uid,)).fetchone()[0]
                        if n:
                            leftovers[f"{table}.{col}"] = n
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
                if any(str(uid) in repr(r) for r in rows):
                    leftovers[f"{table} (any column)"] = sum(str(uid) in repr(r) for r in rows)
                if "notice_id" in cols:
                    n = conn.execute(f'SELECT count(*) FROM "{table}" WHERE notice_id = ?', (nid,)).fetchone()[0]
                    if n:
                        leftovers[f"{table}.notice_id"] = n
            others = conn.execute("SELECT count(*) FROM notices WHERE user_id = ?", (other,)).fetchone()[0]
        finally:
            conn.close()
        assert not leftovers, leftovers
        assert others == 1  # only the person pressing is forgotten
        assert "3,000.00" not in dump(st.db) and "300000" not in dump(st.db)
        assert st.errors.summary() == []
    record("forget", tables_checked=len(tables), leftover_rows=0)


async def test_webhook_refuses_every_wrong_secret_in_constant_time(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Near-misses of the real secret (prefix, suffix, case, one character off, empty, very long,
    non-ASCII) are all 401 and nothing reaches the dispatcher; the comparison is
    hmac.compare_digest on bytes. (tests/production covers missing and plainly wrong secrets.)"""
    from web import webhook

    secret = "Right_Secret-0123456789abcdef"
    async with dispatcher_stack(tmp_path) as st:
        hook = webhook.WebhookHandler(st.dp, st.bot, secret)
        app = http.make_app(st.engine, lambda: True, None)  # type: ignore[arg-type]
        webhook.register(app, "https://bot.example.com/tg/hook", hook)
        compared: list[tuple[bytes, bytes]] = []
        real_compare = hmac.compare_digest
        monkeypatch.setattr(webhook.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real_compare(a, b))
        body = {"update_id": 1, "message": {"message_id": 1, "date": 1_700_000_000, "text": "/start",
                                            "chat": {"id": 4700, "type": "private"},
                                            "from": {"id": 4700, "is_bot": False, "first_name": "T"}}}
        # (Leading/trailing spaces are not tried: HTTP strips them from header values.)
        wrong = [secret[:-1], secret + "x", secret.upper(), secret.lower(), "x" + secret[1:], "", "a" * 4096, secret.replace("_", "-"), "Right_Secret-0123456789abcdeé"]
        async with TestClient(TestServer(app)) as client:
            statuses = []
            for w in wrong:
                resp = await client.post("/tg/hook", json=body, headers={"X-Telegram-Bot-Api-Secret-Token": w})
                statuses.append(resp.status)
            no_header = await client.post("/tg/hook", json=body)
            statuses.append(no_header.status)
            assert set(statuses) == {401}, statuses
            assert st.emu.sent(4700) == []  # nothing was handled
            ok = await client.post("/tg/hook", json=body, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert ok.status == 200
        assert len(compared) == len(wrong) + 2 and all(isinstance(a, bytes) for a, _ in compared)
    record("webhook_secret", wrong_secrets_refused=len(statuses))
