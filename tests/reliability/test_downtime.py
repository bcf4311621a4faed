"""Downtime: reminders are planned by the product's planner, then the real `noticebot run` starts
three simulated days later (its reminder clock shifted by the test-only clock hook). Every open
notice gets exactly one combined catch-up message, however many of its reminders were missed; a
notice resolved meanwhile gets nothing; and every missed reminder ends up recorded (sent or
cancelled), so nothing comes again."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from emulator import EmulatorServer
from scheduler.planner import replan_notice
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Notice, NoticeStatus, User
from tests.reliability.support import TOKEN, bot_process, money, record, scaled, sql, sqlite_path

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DOWN_S = 3 * 86_400


async def test_three_days_offline_one_catch_up_per_notice(tmp_path: Path) -> None:
    people = scaled(8, 40)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    zones = ["America/New_York", "America/Los_Angeles", "America/Chicago", "Pacific/Honolulu"]
    open_amounts: dict[int, list[int]] = {}
    closed: list[int] = []
    async with make_sessionmaker(engine)() as s:
        for i in range(people):
            uid = 500_000 + i
            zone = zones[i % len(zones)]
            s.add(User(id=uid, language="en", timezone=zone))
            await s.flush()
            today = now.astimezone(ZoneInfo(zone)).date()
            notices = [Notice(user_id=uid, code=code, tax_years=[2024], respond_by=today + timedelta(days=2),
                              amount_cents=200_000 + 10 * i + j)
                       for j, code in enumerate(("CP14", "CP501", "CP503"))]
            s.add_all(notices)
            await s.flush()
            for n in notices:
                await replan_notice(s, n.id, now)
            notices[2].status = NoticeStatus.CLOSED  # resolved while the bot was down, not re-planned
            closed.append(notices[2].amount_cents)
            open_amounts[uid] = [n.amount_cents for n in notices[:2]]
        await s.commit()
    await engine.dispose()
    db = sqlite_path(url)
    later = (now + timedelta(seconds=DOWN_S)).replace(tzinfo=None).isoformat(" ")
    missed = sql(db, "SELECT count(*), count(DISTINCT notice_id) FROM reminders WHERE due_at <= ?", later)[0]
    assert missed[0] > missed[1] > 0  # several reminders per notice fell into the three days

    async with EmulatorServer(tokens=[TOKEN]) as emu:
        proc = bot_process(emu, url, tmp_path, clock_offset_s=DOWN_S)
        await proc.start()
        wanted = 2 * people

        def outgoing() -> list[str]:
            return [r.message.get("text", "") for r in emu.records.values() if r.outgoing]

        assert await emu.wait_until(lambda: len(outgoing()) >= wanted, 60), len(outgoing())

        def settled() -> bool:
            return sql(db, "SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= ?", later) == [(0,)]

        for _ in range(100):
            if settled():
                break
            await emu.wait_until(lambda: False, 0.1)
        # A last sweep would have sent anything left; give the service a moment of real time.
        await emu.wait_until(lambda: len(outgoing()) > wanted, 2.0)
        await proc.stop()
        texts = outgoing()

    assert settled()
    per_amount = Counter(money(a) for t in texts for a in [*(x for v in open_amounts.values() for x in v), *closed]
                         if money(a) in t)
    assert all(per_amount[money(a)] == 1 for v in open_amounts.values() for a in v), per_amount
    assert all(per_amount[money(a)] == 0 for a in closed)
    assert len(texts) == wanted
    assert all("could not reach you on time" in t for t in texts)
    record("downtime", people=people, open_notices=wanted, resolved_meanwhile=len(closed),
           missed_reminders=missed[0], messages=len(texts))
