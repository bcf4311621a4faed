"""Payment-plan and follow-up reminders: what they say in English and Spanish, their buttons (packed
as the bot's ReminderAction), and the engine sending them for a notice in a plan or disputed while
every other reminder of such a notice stays cancelled."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.i18n import words
from bot.reminder_text import keyboard, render
from bot.routers.reminders import ReminderAction
from notices.reminder_kinds import kind_of
from scheduler import planner
from scheduler.items import DueItem
from scheduler.service import ReminderService
from services import notices as notice_cases
from services import plans
from services.unit import Runtime, Unit
from storage.models import NoticeStatus, Reminder, ReminderStatus
from tests.scheduler.conftest import add_notice, add_person

TR = words
BASE = DueItem(reminder_ids=(1,), kinds=(kind_of("plan:3:2026-12-15"),), due_at=datetime(2026, 12, 12, 14, tzinfo=UTC),
               catch_up=False, user_id=5, chat_id=5, language="en", timezone="America/New_York",
               today=date(2026, 12, 12), notice_id=77, code="CP14", respond_by=date(2026, 12, 1), status="plan",
               amount_cents=341218, tax_years=(2024,), hard=False, plan_monthly_cents=25000,
               plan_balance_cents=300000, plan_direct_debit=False)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["$250.00 due on December 15, 2026", "3 days until the payment", "direct-pay", "$3,000.00"]),
    ("es", ["250,00\xa0US$ vence el 15 de diciembre de 2026", "Faltan 3 días para el pago", "direct-pay",
            "3.000,00\xa0US$"]),
])
def test_payment_reminder_says_amount_date_how_to_pay_and_has_paid_and_cant_pay(lang: str, words: list[str]) -> None:
    item = dataclasses.replace(BASE, language=lang)
    text = render(item, TR(lang))
    assert all(w in text for w in words), text
    rows = keyboard(item, TR(lang))["inline_keyboard"]
    actions = [ReminderAction.unpack(b["callback_data"]).action for row in rows for b in row]
    assert actions == ["pp", "pn"]


def test_payment_day_reminder_with_direct_debit_says_today_and_the_money_must_be_there() -> None:
    item = dataclasses.replace(BASE, kinds=(kind_of("plan:0:2026-12-15"),), today=date(2026, 12, 15), plan_direct_debit=True)
    text = render(item, TR("en"))
    assert "<b>Today</b> is the payment day" in text and "direct debit" in text and "direct-pay" not in text


def test_cant_pay_reminder_says_call_before_the_date_or_revise_online() -> None:
    text = render(dataclasses.replace(BASE, kinds=(kind_of("fix:2026-12-15"),)), TR("en"))
    assert "before that date" in text and "online-payment-agreement-application" in text and "CP523" in text


@pytest.mark.parametrize(("kind", "lang", "words"), [
    ("letter:30:2026-11-20", "en", ["did the IRS answer your letter of November 20, 2026", "30 days"]),
    ("letter:60:2026-11-20", "en", ["60 days", "Taxpayer Advocate", "Low Income Taxpayer Clinic"]),
    ("letter:60:2026-11-20", "es", ["¿respondió el IRS a su carta del 20 de noviembre de 2026?", "Defensor del Contribuyente"]),
    ("callback:2026-12-15", "es", ["hoy es la fecha que el IRS le dio por teléfono (15 de diciembre de 2026)"]),
])
def test_follow_up_reminders_say_what_to_do_next(kind: str, lang: str, words: list[str]) -> None:
    item = dataclasses.replace(BASE, kinds=(kind_of(kind),), language=lang, status="disputed")
    text = render(item, TR(lang))
    assert all(w in text for w in words), text
    rows = keyboard(item, TR(lang))["inline_keyboard"]
    assert [ReminderAction.unpack(b["callback_data"]).action for row in rows for b in row] == ["fa", "list"]


@pytest.mark.parametrize(("lang", "words"), [("en", ["no fixed time", "estimate", "90-day Tax Court deadline"]),
                                             ("es", ["estimación", "90 días"])])
def test_a_cp2000_reply_follow_up_warns_of_the_notice_of_deficiency(lang: str, words: list[str]) -> None:
    text = render(dataclasses.replace(BASE, kinds=(kind_of("letter:30:2026-11-20"),), code="CP2000",
                                      language=lang), TR(lang))
    assert all(w in text for w in words), text


class Recorder:
    def __init__(self) -> None:
        self.items: list[DueItem] = []

    async def send(self, item: DueItem) -> None:
        self.items.append(item)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        return None


async def test_engine_sends_a_plan_notices_payment_reminder_and_cancels_its_others(sessionmaker) -> None:
    clock = Clock(datetime(2026, 11, 21, 15, tzinfo=UTC))
    async with sessionmaker() as s:
        await add_person(s, 9)
        n = await add_notice(s, 9, date(2026, 12, 1), amount_cents=341218, tax_years=[2024],
                             notice_date=date(2026, 11, 10))
        await planner.replan_notice(s, n.id, clock.now())
        await s.commit()
        nid = n.id
    async with sessionmaker() as s:
        u = Unit(s, Runtime(clock=clock))
        await plans.set_up(u, 9, nid, plans.PlanAnswers(25000, 15, date(2026, 12, 15), False, 300000, True))
    async with sessionmaker() as s:  # a snooze from before the plan: due now, never sent for a plan notice
        s.add(Reminder(notice_id=nid, user_id=9, kind="snooze", due_at=datetime(2026, 12, 12, 13, tzinfo=UTC)))
        await s.commit()
    sender = Recorder()
    svc = ReminderService(sessionmaker, sender, clock=clock)
    clock.at = datetime(2026, 12, 12, 14, 0, 1, tzinfo=UTC)
    await svc.start()
    try:
        async with asyncio.timeout(5):
            while not sender.items:  # noqa: ASYNC110 - the engine sends on its own task
                await asyncio.sleep(0.02)
    finally:
        await svc.stop(grace=1.0)
    [item] = sender.items
    assert item.kinds == ("plan:3:2026-12-15",) and item.plan_monthly_cents == 25000 and item.status == "plan"
    async with sessionmaker() as s:
        snooze = await s.scalar(select(Reminder).where(Reminder.kind == "snooze"))
        assert snooze is not None and snooze.status == ReminderStatus.CANCELLED
    async with sessionmaker() as s:  # disputed after a letter: the follow-ups are all that is left
        u = Unit(s, Runtime(clock=clock))
        await notice_cases.log_contact(u, 9, nid, "letter", {"date": "2026-12-12"})
        await notice_cases.change_status(u, 9, nid, NoticeStatus.DISPUTED)
    async with sessionmaker() as s:
        left = set(await s.scalars(select(Reminder.kind).where(Reminder.notice_id == nid,
                                                               Reminder.status == ReminderStatus.PENDING)))
    assert left == {"letter:30:2026-12-12", "letter:60:2026-12-12"}


def test_plan_reminders_keep_the_local_morning_across_the_dst_change() -> None:
    from decimal import Decimal

    from notices import plans as domain

    plan = domain.Plan(Decimal(250), 15, date(2027, 2, 15))
    slots = planner.plan_for_payments(plan, planner.Schedule(), datetime(2027, 2, 1, tzinfo=UTC))
    assert [(s.kind, s.due_at) for s in slots] == [
        ("plan:3:2027-02-15", datetime(2027, 2, 12, 14, tzinfo=UTC)),  # 09:00 EST
        ("plan:0:2027-02-15", datetime(2027, 2, 15, 14, tzinfo=UTC)),
        ("plan:3:2027-03-15", datetime(2027, 3, 12, 14, tzinfo=UTC)),  # still EST (DST from Mar 14)
        ("plan:0:2027-03-15", datetime(2027, 3, 15, 13, tzinfo=UTC)),  # 09:00 EDT
    ]


def test_the_plan_notices_are_recognised() -> None:
    from notices import catalog

    assert catalog.get("CP621") is not None and catalog.get("CP621").code == "CP521"  # type: ignore[union-attr]
    assert catalog.get("CP89") is not None and catalog.get("CP523") is not None
