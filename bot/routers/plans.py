"""Payment plans in the chat (issue 16): "Payment plan set up" asks for the plan step by step (the
wizard helper), then shows the next payments, the estimated payoff and what the plan costs; the
plan's card; and the replies to a payment reminder's "Paid" / "Can't pay this month"."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import intake, texts
from bot.callbacks import NoticeAction, NoticeCb, RowId
from bot.routers.common import chat_message, person_today, send
from bot.wizard import Form, Wizard
from notices import plans
from notices.money import money
from notices.redact import redact
from services import Notice, User
from services import plans as cases
from services.ownership import NotYours
from services.unit import Unit

router = Router(name="plans")

STEPS = ("monthly", "day", "first", "debit", "balance", "filed")
CHOICE_STEPS = {"debit", "filed"}  # answered with Yes / No / I don't know
REQUIRED = {"monthly"}  # no "I don't know": without it there is nothing to remind about
_DAY = re.compile(r"^\D*(\d{1,2})\D*$")


class PlanSetup(StatesGroup):
    value = State()


PLAN = Wizard("plan", PlanSetup.value)


class PlanCb(CallbackData, prefix="pa"):
    notice_id: RowId
    value: str  # skip | yes | no


def _question(step: str) -> str:
    return {
        "monthly": _("How much is the monthly payment? (for example 250)"),
        "day": _("Which day of the month is it due? (1 to 28: the IRS lets you choose a day up to the 28th)"),
        "first": _("When is the first payment (or the next one, if the plan is already running)? "
                   "(for example Dec 15)"),
        "debit": _("Is it taken from your bank account automatically (a direct debit agreement)?"),
        "balance": _("What is the plan's balance, what you still owe? Your IRS Online Account shows it: {url}"
                     ).format(url=plans.ONLINE_ACCOUNT_URL),
        "filed": _("Did you file that year's return on time? Under a plan the late-payment penalty is {low} a "
                   "month only for returns filed on time ({high} otherwise).").format(low="0.25%", high="0.5%"),
    }[step]


def _keyboard(notice_id: int, step: str) -> InlineKeyboardMarkup | None:
    if step in REQUIRED:
        return None
    kb = InlineKeyboardBuilder()
    if step in CHOICE_STEPS:
        kb.button(text=_("Yes"), callback_data=PlanCb(notice_id=notice_id, value="yes"))
        kb.button(text=_("No"), callback_data=PlanCb(notice_id=notice_id, value="no"))
    kb.button(text=_("I don't know"), callback_data=PlanCb(notice_id=notice_id, value="skip"))
    kb.adjust(3)
    return kb.as_markup()


async def _ask(target: Message, form: Form) -> None:
    await target.answer(_question(form.step) + "\n" + _("Type the answer, or /cancel."),
                        reply_markup=_keyboard(form.about["notice_id"], form.step), disable_web_page_preview=True)


async def start_setup(target: Message, state: FSMContext, notice: Notice) -> None:
    """The first question of the plan (the card's and the reminder's "Payment plan set up")."""
    form = await PLAN.start(state, list(STEPS), notice_id=notice.id)
    await target.answer(_("Let's note your payment plan for {code}, so I can remind you before each payment.")
                        .format(code=texts.esc(notice.code)))
    await _ask(target, form)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.PLAN))
async def ask_plan(query: CallbackQuery, notice: Notice, state: FSMContext) -> None:
    if (msg := chat_message(query)) is not None:
        await start_setup(msg, state, notice)


def _read(step: str, text: str, today: date, lang: str) -> str | None:
    """The stored form of a typed answer (plain strings: the form lives in the FSM storage)."""
    if step in ("monthly", "balance"):
        value = intake.parse_field("amount", text, today, lang)
        return str(value) if isinstance(value, Decimal) else None
    if step == "day":
        m = _DAY.match(text)
        return m.group(1) if m and 1 <= int(m.group(1)) <= 28 else None
    if step == "first":
        value = intake.parse_field("due_date", text, today, lang)
        return value.isoformat() if isinstance(value, date) else None
    value = intake.parse_field("abroad", text, today, lang)  # a yes/no answer
    return None if value is None else ("yes" if value else "no")


def _bad(step: str) -> str:
    return {
        "monthly": _("I could not read an amount. Type the monthly payment, for example 250, or /cancel."),
        "balance": _("I could not read an amount. Type the balance, for example 3412.18, or tap I don't know."),
        "day": _("Type a day from 1 to 28 (the IRS lets you choose a payment day up to the 28th), or tap I don't know."),
        "first": _("I could not read a date. Type it like Dec 15 or 12/15/2026, or tap I don't know."),
    }.get(step, _("Tap Yes, No or I don't know."))


@router.message(PlanSetup.value, F.text & ~F.text.startswith("/"))
async def plan_value(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    form = await PLAN.current(state)
    if form is None:
        await state.set_state(None)
        return
    value = _read(form.step, redact(message.text or "").text.strip(), person_today(user), user.language)
    if value is None:
        await message.answer(_bad(form.step), reply_markup=_keyboard(form.about["notice_id"], form.step))
        return
    await _next(message, state, unit, user, form, await PLAN.answer(state, form, value))


@router.callback_query(PlanCb.filter())
async def plan_button(query: CallbackQuery, callback_data: PlanCb, state: FSMContext, unit: Unit, user: User,
                      callback_answer: CallbackAnswer) -> None:
    form = await PLAN.current(state)
    if form is None or form.about["notice_id"] != callback_data.notice_id or form.step in REQUIRED or (
            callback_data.value != "skip" and form.step not in CHOICE_STEPS):
        callback_answer.text = _("This question has expired. Use the card's 🗓 button to set up the plan again.")
        callback_answer.show_alert = True
        return
    if (msg := chat_message(query)) is None:
        return
    if callback_data.value == "skip":
        step = await PLAN.skip(state, form)
    else:
        step = await PLAN.answer(state, form, callback_data.value)
    await _next(msg, state, unit, user, form, step)


async def _next(target: Message, state: FSMContext, unit: Unit, user: User, form: Form, step: str | None) -> None:
    if step is not None:
        await _ask(target, form)
        return
    await PLAN.finish(state)
    a = form.answers
    yes_no = {"yes": True, "no": False}
    answers = cases.PlanAnswers(
        monthly_cents=int(Decimal(a["monthly"]) * 100),
        payment_day=int(a["day"]) if "day" in a else None,
        first_payment=date.fromisoformat(a["first"]) if "first" in a else None,
        direct_debit=yes_no.get(a.get("debit", "")),
        balance_cents=int(Decimal(a["balance"]) * 100) if "balance" in a else None,
        timely_filer=yes_no.get(a.get("filed", "")))
    try:
        view = await cases.set_up(unit, user.id, form.about["notice_id"], answers)
    except NotYours:
        await target.answer(_("That notice is gone, so I could not save the plan."))
        return
    await send(target, _("Payment plan saved.") + "\n\n" + plan_text(view, user), reply_markup=plan_keyboard(view))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.PLAN_VIEW))
async def view_plan(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    try:
        view = await cases.show(unit, user.id, notice.id)
    except cases.NoPlan:
        await msg.answer(_("There is no payment plan on file for {code} yet.").format(code=texts.esc(notice.code)),
                         reply_markup=setup_keyboard(notice.id))
        return
    await send(msg, plan_text(view, user), reply_markup=plan_keyboard(view))


# --- what is shown --------------------------------------------------------------------------------


def plan_text(view: cases.PlanView, user: User) -> str:
    lang, p = user.language, view.plan
    day = lambda d: texts.fdate(d, lang)  # noqa: E731
    lines = [_("💳 <b>Payment plan for {code}</b>").format(code=texts.esc(view.notice.code)),
             _("Monthly payment: {amount}, on day {day} of the month.").format(
                 amount=money(p.monthly_cents, cents=True), day=p.payment_day)]
    if p.first_payment_assumed:
        lines.append(_("I assumed the first payment is on {date}; tap ✏️ to set up the plan again with the date on "
                       "your plan confirmation.").format(date=day(p.first_payment)))
    if view.next_payments:
        lines.append(_("Next payments: {dates}.").format(dates=", ".join(day(d) for d in view.next_payments)))
    minute = user.reminder_minute
    lines.append(_("I will remind you 3 days before each payment and on the morning of the day, at {time}.").format(
        time=f"{minute // 60:02d}:{minute % 60:02d}"))
    if p.direct_debit:
        lines.append(_("Direct debit: the IRS takes the payment from your bank account."))
    else:
        lines.append(_("Pay each month with IRS Direct Pay (free): {url}").format(url=plans.DIRECT_PAY_URL))
    if view.balance is not None and view.payoff is not None:
        if view.balance_assumed:
            lines.append(_("Balance: I used the notice's amount, {amount}. Your payoff amount is in your IRS Online "
                           "Account: {url}").format(amount=money(view.balance), url=plans.ONLINE_ACCOUNT_URL))
        else:
            lines.append(_("Balance: {amount}.").format(amount=money(view.balance)))
        lines.append(_payoff_line(view.payoff, lang))
        if view.payoff_if_filed_late is not None:
            lines.append(_("If the return was not filed on time the penalty is {rate} a month: ").format(rate="0.5%") +
                         _payoff_line(view.payoff_if_filed_late, lang))
        lines.append(_("These are estimates: the IRS applies each payment in its own order, and rates change "
                       "every quarter. Source: {url}").format(url="https://www.irs.gov/payments/failure-to-pay-penalty"))
    lines.append(_("Can't make a payment? Call the IRS before the due date, or change the plan online with the "
                   "Online Payment Agreement: {url}").format(url=plans.OPA_URL))
    return "\n".join(lines)


def _payoff_line(payoff: plans.Payoff, lang: str) -> str:
    if payoff.payoff_date is None:
        return _("Estimate: at this monthly amount the balance would not be paid off within 10 years; interest "
                 "and penalty grow faster than the payments.")
    return _("Estimate: paid off by {date} after {n} payments, adding about {interest} of interest and {penalty} "
             "of late-payment penalty.").format(date=texts.fdate(payoff.payoff_date, lang), n=payoff.payments,
                                                interest=money(payoff.interest), penalty=money(payoff.penalty))


def plan_keyboard(view: cases.PlanView) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if not view.plan.direct_debit:
        kb.button(text=_("💳 IRS Direct Pay"), url=plans.DIRECT_PAY_URL)
    kb.button(text=_("🛠 Change the plan online"), url=plans.OPA_URL)
    kb.button(text=_("✏️ Set up the plan again"), callback_data=NoticeCb(action=NoticeAction.PLAN,
                                                                        notice_id=view.notice.id))
    kb.button(text=_("⬅️ Back to the notice"), callback_data=NoticeCb(action=NoticeAction.VIEW,
                                                                     notice_id=view.notice.id))
    kb.adjust(1)
    return kb.as_markup()


def setup_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("🗓 Payment plan set up"), callback_data=NoticeCb(action=NoticeAction.PLAN, notice_id=notice_id))
    return kb.as_markup()


# --- a payment reminder's buttons (registered by the reminders router) ------------------------------


async def paid_reply(unit: Unit, user: User, notice: Notice) -> str:
    try:
        paid = await cases.record_payment(unit, user.id, notice.id)
    except cases.NoPlan:
        return _("There is no payment plan on file for {code} any more.").format(code=texts.esc(notice.code))
    view = paid.view
    lines = [_("Recorded: the payment of {date} for {code}. Keep the confirmation number.").format(
        date=texts.fdate(paid.paid_for, user.language), code=texts.esc(notice.code))]
    if view.plan.balance_cents is not None:
        lines.append(_("Plan balance now about {amount} (estimate; interest keeps adding).").format(
            amount=money(view.plan.balance_cents, cents=True)))
    if view.next_payments:
        lines.append(_("Next payment: {date}.").format(date=texts.fdate(view.next_payments[0], user.language)))
    return "\n".join(lines)


async def cant_pay_reply(unit: Unit, user: User, notice: Notice) -> str:
    try:
        _view, due = await cases.cant_pay(unit, user.id, notice.id)
    except cases.NoPlan:
        return _("There is no payment plan on file for {code} any more.").format(code=texts.esc(notice.code))
    when = texts.fdate(due, user.language)
    return "\n".join([
        _("<b>Can't pay the payment of {date}?</b> What the IRS allows:").format(date=when),
        _("1. Call the IRS at the number on your plan notice <b>before {date}</b> and ask to skip or lower the "
          "payment.").format(date=when),
        _("2. Or change the plan online, the monthly amount or the payment day, with the Online Payment "
          "Agreement: {url}").format(url=plans.OPA_URL),
        _("3. Pay what you can: any amount lowers the interest."),
        _("A missed payment can end the plan: the IRS then sends a CP523 (intent to terminate the agreement and "
          "levy), and a reinstatement fee may apply. Source: {url}").format(url=plans.CP523_URL),
        _("I will remind you tomorrow to call or change the plan."),
    ])
