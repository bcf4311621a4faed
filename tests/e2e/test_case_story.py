"""Issue 16's end-to-end proof with real `noticebot run` processes over the Bot API emulator: a
CP14, then a CP501 and a CP504 of the same year become one case; a payment plan is set up in the
chat; a Telegram invite is accepted by a viewer; the two monthly plan reminders arrive on the
payment mornings at 09:00 New York time on both sides of a DST change, to the owner and (read-only)
to the viewer; one is answered "can't pay"; the owner revokes the share and the viewer loses access.

Time: the process is restarted with its reminder clock shifted (tests/reliability/clockhook) to just
before each payment morning, so months pass in seconds; the database carries everything between.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.callbacks import CaseAction, CaseCb, NoticeAction, NoticeCb, ShareAction, ShareCb, SharedCb
from emulator import EmulatorClient, EmulatorServer
from tests.e2e.conftest import TOKEN, Chat
from tests.harness import BotProcess
from tests.reliability.support import HOOK_DIR, button, buttons, plain, sql

OWNER, VIEWER = 9601, 9602
NEW_YORK = ZoneInfo("America/New_York")
PAY_DAY = 20  # after both US DST changes of a month (second Sunday of March, first of November)


def payment_mornings(today: date) -> tuple[date, date]:
    """Two monthly payment days, the 20th, either side of New York's next DST change (the first
    at least a week away)."""
    month = date(today.year, today.month, 1)
    while True:
        first = date(month.year, month.month, PAY_DAY)
        second = date(month.year + month.month // 12, month.month % 12 + 1, PAY_DAY)
        offset = lambda d: datetime.combine(d, time(9), NEW_YORK).utcoffset()  # noqa: E731
        if first >= today + timedelta(days=7) and offset(first) != offset(second):
            return first, second
        month = date(second.year, second.month, 1)


def nine_am(day: date) -> datetime:
    return datetime.combine(day, time(9), NEW_YORK).astimezone(UTC)


def process(emu: EmulatorServer, db: Path, workdir: Path, clock: datetime | None = None) -> BotProcess:
    env: dict[str, str] = {}
    if clock is not None:  # a second before it: the reminder goes out as soon as the engine runs
        env = {"PYTHONPATH": str(HOOK_DIR),
               "NOTICEBOT_CLOCK_OFFSET_S": str((clock - timedelta(seconds=1) - datetime.now(UTC)).total_seconds())}
    return BotProcess(token=TOKEN, api_url=emu.base_url, database_url=f"sqlite+aiosqlite:///{db}",
                      workdir=workdir, **env)


async def save(chat: Chat, text: str) -> None:
    card = await chat.say_until(text, lambda m: button(m, "Save") is not None)
    await chat.press_until(card, button(card, "Save") or "", lambda m: "Saved" in plain(m) or "saved" in plain(m))


async def payment_reminder(chat: Chat, day: date) -> dict:  # type: ignore[type-arg]
    wanted = f"{day:%B} {day.day}"
    return await chat.expect(lambda m: "Payment plan" in plain(m) and wanted in plain(m) and "Today" in plain(m))


async def test_a_debt_from_cp14_to_a_plan_shared_and_revoked(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    today = datetime.now(NEW_YORK).date()
    first, second = payment_mornings(today)
    dated = lambda days: f"{today - timedelta(days=days):%m/%d/%Y}"  # noqa: E731
    async with EmulatorServer(tokens=[TOKEN]) as emu, EmulatorClient(emu.base_url) as client:
        owner, viewer = Chat(client, OWNER, timeout=15), Chat(client, VIEWER, timeout=15)

        bot = process(emu, db, tmp_path)
        await bot.start()
        try:
            await save(owner, f"CP14 for tax year 2024, I owe $3,412.18, dated {dated(70)}")
            await save(owner, f"CP501 for tax year 2024, I owe $3,450.00, dated {dated(40)}")
            await save(owner, f"CP504 for tax year 2024, I owe $3,490.00, dated {dated(5)}")
            [(cases,)] = sql(db, "SELECT count(DISTINCT case_id) FROM notices WHERE user_id = ?", OWNER)
            assert cases == 1
            [(cp504, case_id)] = sql(db, "SELECT id, case_id FROM notices WHERE code = 'CP504'")

            [carrier] = await owner.say("/help")
            await owner.press(carrier, NoticeCb(action=NoticeAction.PLAN, notice_id=cp504).pack(), count=2)
            await owner.say("250")
            await owner.say(str(PAY_DAY))
            [debit] = await owner.say(f"{first.month}/{first.day}/{first.year}")
            [balance] = await owner.press_label(debit, "No")
            [filed] = await owner.say("3490")
            saved = await owner.press_until(filed, button(filed, "Yes") or "", lambda m: "Payment plan saved" in plain(m))
            assert "Monthly payment: $250.00" in plain(saved)

            [listing] = await owner.say("/notices")
            [case] = await owner.press(listing, CaseCb(action=CaseAction.OPEN, case_id=case_id).pack())
            assert all(code in plain(case) for code in ("CP14", "CP501", "CP504"))
            [menu] = await owner.press(case, ShareCb(action=ShareAction.MENU, case_id=case_id).pack())
            link, _menu = await owner.press_label(menu, "Invite someone", count=2)
            token = re.search(r"\?start=([\w-]+)", plain(link))
            assert token
            accepted, shared = await viewer.say(f"/start {token.group(1)}", count=2)
            assert "This case was shared with you" in plain(accepted) and "CP504" in plain(shared)
        finally:
            await bot.stop()

        mornings = []
        for day in (first, second):
            bot = process(emu, db, tmp_path, clock=nine_am(day))
            await bot.start()
            try:
                reminder = await payment_reminder(owner, day)
                copy = await payment_reminder(viewer, day)
                assert "A case shared with you" in plain(copy) and [b for r in copy["reply_markup"]["inline_keyboard"]
                                                                    for b in r][0]["text"] == "👁 Open the case"
                assert button(copy, "Paid") is None and button(copy, "Can't pay") is None
                if day == first:
                    cant = await owner.press_until(reminder, button(reminder, "Can't pay") or "",
                                                   lambda m: "Can't pay the payment of" in plain(m))
                    assert "Online Payment Agreement" in plain(cant) or "online-payment-agreement" in plain(cant)
                else:
                    # by what the replies are, not their order: more of this morning's reminders may
                    # still arrive in between on a busy machine
                    listing = await owner.say_until("/notices", lambda m: bool(buttons(m)))
                    case = await owner.press_until(listing, CaseCb(action=CaseAction.OPEN, case_id=case_id).pack(),
                                                   lambda m: "Share this case" in str(buttons(m)))
                    menu = await owner.press_until(case, ShareCb(action=ShareAction.MENU, case_id=case_id).pack(),
                                                   lambda m: "Revoke 1" in str(buttons(m)))
                    await owner.press_label(menu, "Revoke 1")
                    answer = await viewer.answer_to(copy, SharedCb(case_id=case_id).pack())
                    assert answer["show_alert"] and "cannot find that case" in answer["text"]
            finally:
                await bot.stop()
            for who in (OWNER, VIEWER):
                [(due,)] = sql(db, "SELECT due_at FROM reminders WHERE user_id = ? AND status = 'sent' AND kind = ?",
                               who, f"plan:0:{day.isoformat()}")
                mornings.append(datetime.fromisoformat(due))
        utc = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in mornings]
        assert {(d.astimezone(NEW_YORK).hour, d.astimezone(NEW_YORK).minute) for d in utc} == {(9, 0)}
        assert utc[0] == utc[1] and utc[2] == utc[3]  # the owner's and the viewer's (both in New York)
        assert utc[0].hour != utc[2].hour  # 09:00 local on both sides of the DST change: UTC moved
        assert sql(db, "SELECT count(*) FROM reminders WHERE user_id = ? AND status = 'pending'", VIEWER) == [(0,)]
