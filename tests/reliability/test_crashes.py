"""Crashes: the real `noticebot run` is killed with SIGKILL at random moments while a burst of due
reminders goes out and people register notices (a message, the confirmation card, Save), then
restarted, again and again. Afterwards:

- every notice the bot confirmed ("Saved.") is in the database, and none is stored twice;
- every due reminder was delivered (a message in its chat) and is recorded as sent;
- a reminder delivered more than once was "in flight" at a kill (its message reached Telegram but
  the send was not yet recorded) at least as many times as it was repeated, so the duplicates are
  bounded by the reminders in flight at each kill; both are counted and reported.

A killed worker's claimed batch stays leased for 5 minutes (the lease); each restart's reminder
clock is therefore shifted past the previous leases (tests/reliability/clockhook), as if the
process came back after the lease ran out, instead of waiting 5 real minutes per kill.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emulator import EmulatorServer
from tests.reliability.support import (
    TOKEN,
    bot_process,
    button,
    money,
    plain,
    record,
    scaled,
    seed_due,
    sql,
    sqlite_path,
    wait_message,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

LEASE_STEP_S = 301  # ReminderService's default lease is 300 s
REGISTRANTS = [880001, 880002, 880003]


class Registrations:
    """People who keep registering notices; remembers which ones the bot confirmed."""

    def __init__(self, emu: EmulatorServer) -> None:
        self.emu = emu
        self.confirmed: list[tuple[int, int]] = []  # (user id, amount in cents)
        self.attempts = 0
        self.stop = asyncio.Event()
        self._amounts = iter(range(50_000, 10**9, 7))

    async def person(self, uid: int) -> None:
        dated = datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=3)
        while not self.stop.is_set():
            cents = next(self._amounts)
            self.attempts += 1
            cursor = self.emu.cursor
            self.emu.inject_message(uid, f"got a CP14 for 2024, owe {money(cents)}, dated "
                                         f"{dated.month}/{dated.day}/{dated.year}", language_code="en")
            card = await wait_message(self.emu, uid, cursor,
                                      lambda m, c=cents: money(c) in plain(m) and button(m, "Save") is not None, 10)
            if card is None:
                continue  # the bot died with it; the person sends it again
            cursor = self.emu.cursor
            self.emu.inject_callback(uid, card["message_id"], button(card, "Save") or "")
            saved = await wait_message(self.emu, uid, cursor,
                                       lambda m, c=cents: "Saved." in plain(m) and money(c) in plain(m), 10)
            if saved is not None:
                self.confirmed.append((uid, cents))


async def test_sigkill_during_reminder_burst_and_registration(tmp_path: Path) -> None:
    kills = scaled(5, 20)
    total = scaled(300, 2000)
    rate = max(20, round(total / (kills * 0.8)))  # the burst spans all the kills
    rng = random.Random(8)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    db = sqlite_path(url)
    chats = list(range(700_000, 700_000 + total))
    await seed_due(url, chats, datetime.now(UTC) - timedelta(seconds=1))
    in_flight: list[set[int]] = []
    sends_before_kill: list[int] = []

    async with EmulatorServer(tokens=[TOKEN]) as emu:
        regs = Registrations(emu)

        def delivered() -> Counter[int]:
            return Counter(r.chat_id for r in emu.records.values()
                           if r.outgoing and not r.deleted and 700_000 <= r.chat_id < 700_000 + total)

        def unrecorded() -> int:
            return int(sql(db, "SELECT count(*) FROM reminders WHERE status != 'sent' AND user_id BETWEEN ? AND ?",
                           chats[0], chats[-1])[0][0])

        people = [asyncio.create_task(regs.person(uid)) for uid in REGISTRANTS]
        try:
            for k in range(kills):
                proc = bot_process(emu, url, tmp_path, clock_offset_s=k * LEASE_STEP_S, REMINDER_RATE=rate)
                await proc.start()
                await asyncio.sleep(rng.uniform(0.2, 1.5))  # the random moment of the kill
                await proc.stop(signal.SIGKILL)
                killed_at = time.monotonic()
                recorded = {u for (u,) in sql(db, "SELECT user_id FROM reminders WHERE status = 'sent'")}
                got = delivered()
                sends_before_kill.append(sum(got.values()))
                in_flight.append({u for u in got if u not in recorded})
                last_call = {c["chat_id"]: c["t"] for c in emu.calls("sendMessage") if c["status"] == 200}
                ages = sorted(killed_at - last_call[u] for u in in_flight[-1])
                print(f"kill {k}: delivered {sum(got.values())}, in flight {len(ages)}, ages {ages[:1]}..{ages[-1:]}")
            regs.stop.set()
            final = bot_process(emu, url, tmp_path, clock_offset_s=kills * LEASE_STEP_S, REMINDER_RATE=rate)
            await final.start()
            await asyncio.wait_for(asyncio.gather(*people), 30)

            def all_sent() -> bool:
                return unrecorded() == 0

            deadline = asyncio.get_running_loop().time() + 30 + total / rate
            while not (all_sent() and len(delivered()) == total):
                assert asyncio.get_running_loop().time() < deadline, (
                    f"not delivered: {total - len(delivered())}, unrecorded: "
                    f"{unrecorded()}")
                await emu.wait_until(lambda: False, 0.2)
            await final.stop()
            assert "Traceback" not in final.logs()
        finally:
            regs.stop.set()
            for task in people:
                task.cancel()
            await asyncio.gather(*people, return_exceptions=True)

        got = delivered()

    # Every due reminder was delivered, and recorded.
    assert sorted(got) == chats
    # Duplicates only for reminders in flight at a kill, at most once per such kill.
    duplicates = {u: n - 1 for u, n in got.items() if n > 1}
    for u, extra in duplicates.items():
        assert extra <= sum(1 for s in in_flight if u in s), (u, extra)
    assert sum(duplicates.values()) <= sum(len(s) for s in in_flight)
    # Every confirmed notice exists, once; nothing was stored twice.
    stored = Counter(sql(db, "SELECT user_id, amount_cents FROM notices WHERE user_id IN (?, ?, ?)", *REGISTRANTS))
    missing = [c for c in regs.confirmed if stored[c] == 0]
    assert not missing, f"confirmed to the person but not stored: {missing}"
    assert all(n == 1 for n in stored.values()), [c for c, n in stored.items() if n > 1]
    assert regs.confirmed, "no registration was confirmed at all: the test proved nothing"
    record("crashes", kills=kills, reminders=total, rate_per_s=rate, delivered=len(got),
           messages=sum(got.values()), duplicates=sum(duplicates.values()),
           in_flight_at_kills=[len(s) for s in in_flight], in_flight_total=sum(len(s) for s in in_flight),
           kills_mid_burst=sum(1 for i, n in enumerate(sends_before_kill)
                               if n < total and n > (sends_before_kill[i - 1] if i else 0)),
           registrations_tried=regs.attempts, registrations_confirmed=len(regs.confirmed),
           notices_stored=sum(stored.values()))

