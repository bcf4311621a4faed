"""Payment plans through the real dispatcher, in English and Spanish: the card's "Payment plan set up"
asks for the plan ("I don't know" where sensible), bad answers get a friendly retry, the plan and its
estimates are shown, and a payment reminder's "Paid" / "Can't pay this month" do what they say."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.callbacks import NoticeAction, NoticeCb
from bot.routers.reminders import ReminderAction
from storage.models import Notice, NoticeStatus, PaymentPlan, Reminder, ReminderStatus
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.dispatcher.test_calendar import saved
from tests.reliability.support import button, plain

PERSON = 8201
NOTICE = "CP14 for tax year 2024, I owe $3,412.18, dated 11/3/2026"
WORDS = {
    "en": {"save": "Save", "dont": "I don't know", "no": "No", "yes": "Yes", "saved": "Payment plan saved",
           "monthly": "Monthly payment: $250.00", "payoff": "Estimate: paid off by", "bad_amount": "could not read an amount",
           "bad_day": "from 1 to 28", "assumed": "I assumed the first payment", "paid": "Recorded: the payment of",
           "cant": "Can't pay the payment of", "before": "before"},
    "es": {"save": "Guardar", "dont": "No sé", "no": "No", "yes": "Sí", "saved": "Plan de pagos guardado",
           "monthly": "Pago mensual: $250.00", "payoff": "Estimación: pagado para el", "bad_amount": "No pude leer una cantidad",
           "bad_day": "del 1 al 28", "assumed": "Supuse que el primer pago", "paid": "Anotado: el pago del",
           "cant": "¿No puede hacer el pago del", "before": "antes del"},
}


async def _pending_kinds(st: Stack, nid: int) -> set[str]:
    async with st.sm() as s:
        return set(await s.scalars(select(Reminder.kind).where(Reminder.notice_id == nid,
                                                               Reminder.status == ReminderStatus.PENDING)))


async def _set_up(st: Stack, uid: int, lang: str) -> tuple[int, dict]:
    w = WORDS[lang]
    if lang == "es":
        await st.say(uid, "/language es")
    nid = await saved(st, uid, NOTICE, save=w["save"])
    [carrier] = await st.say(uid, "/help")
    _, replies = await st.press(uid, carrier, NoticeCb(action=NoticeAction.PLAN, notice_id=nid).pack())
    assert len(replies) == 2 and button(replies[-1], w["dont"]) is None  # the monthly amount is required
    [bad] = await st.say(uid, "lots")
    assert w["bad_amount"] in plain(bad)
    [day] = await st.say(uid, "250")
    [bad] = await st.say(uid, "31")
    assert w["bad_day"] in plain(bad)
    [first] = await st.say(uid, "15")
    _, [debit] = await st.press(uid, first, button(first, w["dont"]) or "")
    _, [balance] = await st.press(uid, debit, button(debit, w["no"]) or "")
    [filed] = await st.say(uid, "3000")
    _, [done] = await st.press(uid, filed, button(filed, w["yes"]) or "")
    assert day and st.errors.records == []
    return nid, done


async def _flow(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        nid, done = await _set_up(st, PERSON, lang)
        text = plain(done)
        assert w["saved"] in text and w["monthly"] in text and w["payoff"] in text and w["assumed"] in text
        assert "https://www.irs.gov/payments/online-payment-agreement-application" in text
        assert "https://www.irs.gov/payments/direct-pay" in text  # not a direct debit: how to pay
        async with st.sm() as s:
            notice, plan = await s.get(Notice, nid), await s.get(PaymentPlan, nid)
            assert notice is not None and notice.status == NoticeStatus.PLAN
            assert plan is not None and (plan.monthly_cents, plan.payment_day, plan.balance_cents) == (25000, 15, 300000)
            assert plan.direct_debit is False and plan.timely_filer is True and plan.first_payment.day == 15
        kinds = await _pending_kinds(st, nid)
        assert kinds and all(k.startswith("plan:") for k in kinds)  # the plan's reminders, and only those

        [carrier] = await st.say(PERSON, "/help")
        _, [paid] = await st.press(PERSON, carrier, ReminderAction(action="pp", notice_id=nid).pack())
        assert w["paid"] in plain(paid)
        async with st.sm() as s:
            plan = await s.get(PaymentPlan, nid)
            assert plan is not None and plan.balance_cents == 275000 and plan.paid_through is not None
        _, [cant] = await st.press(PERSON, carrier, ReminderAction(action="pn", notice_id=nid).pack())
        text = plain(cant)
        assert w["cant"] in text and w["before"] in text and "online-payment-agreement-application" in text
        assert "CP523" in text
        assert any(k.startswith("fix:") for k in await _pending_kinds(st, nid))
        assert st.errors.records == []


async def test_plan_set_up_paid_and_cant_pay_in_english(tmp_path: Path) -> None:
    await _flow(tmp_path, "en")


async def test_plan_set_up_paid_and_cant_pay_in_spanish(tmp_path: Path) -> None:
    await _flow(tmp_path, "es")


async def test_plan_buttons_of_someone_elses_notice_are_refused(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, PERSON, NOTICE)
        [carrier] = await st.say(PERSON + 1, "/help")
        for data in (NoticeCb(action=NoticeAction.PLAN, notice_id=nid).pack(),
                     ReminderAction(action="pp", notice_id=nid).pack(),
                     ReminderAction(action="pn", notice_id=nid).pack()):
            answer, replies = await st.press(PERSON + 1, carrier, data)
            assert answer.get("show_alert") and replies == []
        assert st.errors.records == []


async def test_paid_on_a_notice_without_a_plan_says_so(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        nid = await saved(st, PERSON, NOTICE)
        [carrier] = await st.say(PERSON, "/help")
        _, [reply] = await st.press(PERSON, carrier, ReminderAction(action="pp", notice_id=nid).pack())
        assert "no payment plan on file" in plain(reply) and st.errors.records == []


async def test_the_card_links_where_to_act_in_english_and_spanish(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        await saved(st, PERSON, NOTICE)
        [listing] = [m for m in await st.say(PERSON, "/notices") if "CP14" in plain(m)]
        _, [case] = await st.press(PERSON, listing, button(listing, "CP14") or "")  # its case, then the notice
        _, replies = await st.press(PERSON, case, button(case, "📄 CP14") or "")
        text = " ".join(plain(m) for m in replies)
        assert "Where to act: IRS Direct Pay · IRS Online Account" in text
        await st.say(PERSON, "/language es")
        _, replies = await st.press(PERSON, case, button(case, "📄 CP14") or "")
        assert "Dónde actuar: IRS Direct Pay · Cuenta en Línea del IRS" in " ".join(plain(m) for m in replies)
        assert st.errors.records == []
