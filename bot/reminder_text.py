"""What a reminder says: its text and buttons in the person's language.

Nothing here imports aiogram (about 3 s and 120 MB to import): the reminder worker renders with
this module alone. Texts are gettext messages from the catalogs in bot/locales (``bot.i18n.words``),
dates and amounts in the person's language (``notices.words``); the buttons' callback data is what
``bot.routers.reminders.ReminderAction.pack()`` gives (a test keeps the two equal).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot import reminder_followups
from notices import catalog, instruments, plans, risk
from notices.instruments import Kind
from notices.money import money
from notices.reminder_kinds import FOLLOW_UP_SLOTS, PLAN_SLOTS, Slot
from notices.words import LANGUAGES, Words, long_date
from scheduler.items import DueItem

CALLBACK_PREFIX, CALLBACK_SEP = "rm", ":"  # ReminderAction's prefix and aiogram's default separator
SHARED_PREFIX = "sv"  # SharedCb's: a viewer's read-only "open the case" (a test keeps the two equal)


def pack_action(action: str, notice_id: int) -> str:
    """``ReminderAction(action=..., notice_id=...).pack()`` without aiogram (a test keeps the two equal)."""
    return f"{CALLBACK_PREFIX}{CALLBACK_SEP}{action}{CALLBACK_SEP}{notice_id:d}"


# --- the text -----------------------------------------------------------------------------------


def days_left_line(days: int | None, respond_by: date | None, tr: Words) -> str:
    _, ngettext = tr.gettext, tr.ngettext
    if days is None or respond_by is None:
        return _("There is no respond-by date on file for this notice.")
    when = long_date(respond_by, tr.language)
    if days > 1:
        return ngettext("{n} day left to respond (by {date}).", "{n} days left to respond (by {date}).",
                        days).format(n=days, date=when)
    if days == 1:
        return _("Tomorrow ({date}) is the last day to respond.").format(date=when)
    if days == 0:
        return _("<b>Today</b> is the last day to respond.")
    late = -days
    return ngettext("The respond-by date ({date}) passed {n} day ago.",
                    "The respond-by date ({date}) passed {n} days ago.", late).format(n=late, date=when)


def risk_line(item: DueItem, tr: Words) -> str:
    _ = tr.gettext
    amount = None if item.amount_cents is None else Decimal(item.amount_cents) / 100
    assessed = risk.assess(item.code, item.respond_by, item.today, item.status, amount, item.hard)
    level = assessed.level
    names = {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}
    reason = f" — {html.escape(risk.say(assessed.reasons[0], tr))}" if assessed.reasons else ""
    return _("Risk: <b>{level}</b>").format(level=names.get(level, html.escape(level))) + reason


@dataclass(frozen=True, slots=True)
class _Texts:
    """The fixed parts of a reminder in one locale, translated once (gettext ~1.5 µs a call)."""

    catch_up: str
    heads_up: str
    head: str
    amount: str
    hard: str
    next_step: str
    handled: str
    disputed: str
    printed: str
    pay: str
    find_date: str


@functools.lru_cache(maxsize=64)
def _texts(tr: Words) -> _Texts:
    _ = tr.gettext
    return _Texts(
        catch_up=_("I could not reach you on time; here is where this notice stands now."),
        heads_up=_("Heads-up: if nothing was done about your {code}, the IRS usually sends a {next} "
                   "around now. Tell me if it arrives."),
        head=_("⏰ <b>Reminder: {title}</b>"),
        amount=_("Amount: {amount}"),
        hard=_("⚠️ <b>This is a hard deadline:</b> if you miss it you lose a legal right, and it "
               "cannot be fixed later. Act before the date, not on it."),
        next_step=_("<b>Next step:</b> {step}"),
        handled=_("Already handled it? Tell me below and I will stop reminding you."),
        disputed=_("You marked this notice disputed, but only {instrument} keeps the right, so I keep reminding "
                   "you until the date. Already sent it? Tap the first button below and log it."),
        printed=_("📝 This date is a safe estimate, at the latest. The date printed on the notice controls: "
                  "send it to me and I will use it."),
        pay=_("💵 <b>Payment is due {date}</b> (the date printed on the notice). The last day to ask for the "
              "change to be reversed is later: {dispute}."),
        find_date=_("📅 I cannot count your deadline without a date. Find the date printed at the top right of "
                    "the notice (and any \"pay by\" or \"respond by\" date) and send it to me: /notices, open "
                    "this notice, then ✏️ Edit."),
    )


def instrument_name(kind: Kind, tr: Words) -> str:
    """What keeps the right, as a noun phrase; the card uses the same words (bot.instrument_texts)."""
    _ = tr.gettext
    return {
        Kind.HEARING: _("Form 12153 (the request for a CDP hearing)"),
        Kind.COURT: _("a Tax Court petition"),
        Kind.ABATEMENT: _("the 60-day request to reverse the change"),
        Kind.DISPUTE: _("a dispute letter"),
    }[kind]


def instrument_button(kind: Kind, tr: Words) -> str:
    _ = tr.gettext
    return {
        Kind.HEARING: _("🏛 Request a hearing (Form 12153)"),
        Kind.COURT: _("⚖️ Tax Court petition guide"),
        Kind.ABATEMENT: _("✉️ 60-day request letter"),
        Kind.DISPUTE: _("✉️ Dispute letter"),
    }[kind]


def follow_up_text(item: DueItem) -> str | None:
    """A check-in after the person logged sending an instrument (planner kind "followup:<kind>")."""
    names = [k.code for k in item.kinds if k.slot is Slot.FOLLOW_UP]
    if not names or len(names) != len(item.kinds) or f"{names[0]}.followup" not in instruments.facts():
        return None
    return html.escape(instruments.say(f"{names[0]}.followup", item.language, code=item.code))


def _payment_kinds(item: DueItem) -> tuple[tuple[int, date] | None, date | None]:
    """The nearest payment slot and "can't pay" follow-up among the item's kinds."""
    pays = sorted(((k.number or 0, k.day) for k in item.kinds if k.slot is Slot.PLAN and k.day), key=lambda p: p[1])
    fixes = sorted(k.day for k in item.kinds if k.slot is Slot.FIX and k.day)
    return (pays[0] if pays else None), (fixes[0] if fixes else None)


def render_payment(item: DueItem, tr: Words) -> str:
    """A payment-plan reminder: the payment coming, or what to do before a payment that can't be made."""
    _, ngettext, lang = tr.gettext, tr.ngettext, tr.language
    pay, fix = _payment_kinds(item)
    code = html.escape(item.code)
    lines: list[str] = []
    if item.catch_up:
        lines.append(_texts(tr).catch_up)
    monthly = money(item.plan_monthly_cents, cents=True, lang=lang) if item.plan_monthly_cents is not None else "—"
    if pay is not None:
        due = pay[1]
        lines.append(_("💳 <b>Payment plan ({code}): {amount} due on {date}</b>").format(
            code=code, amount=monthly, date=long_date(due, lang)))
        days = (due - item.today).days
        if days <= 0:
            lines.append(_("<b>Today</b> is the payment day.") if days == 0
                         else _("The payment day was {date}.").format(date=long_date(due, lang)))
        else:
            lines.append(ngettext("{n} day until the payment.", "{n} days until the payment.", days).format(n=days))
        if item.plan_direct_debit:
            lines.append(_("It is taken from your bank account (direct debit): make sure the money is there."))
        else:
            lines.append(_("Pay with IRS Direct Pay (free, from a bank account): {url}").format(url=plans.DIRECT_PAY_URL))
        if item.plan_balance_cents is not None:
            lines.append(_("Plan balance on file: {amount} (interest and a reduced penalty keep adding until it "
                           "is paid).").format(amount=money(item.plan_balance_cents, cents=True, lang=lang)))
        if not item.viewer:  # only the owner may mark it
            lines.append(_("Tap <b>Paid</b> when it is done, or <b>Can't pay this month</b> to see your options."))
    if fix is not None:
        lines.append(_("📞 <b>Payment plan ({code}): the payment of {date}</b>. If you still cannot pay it, call "
                       "the IRS at the number on your plan notice before that date, or change the plan online "
                       "with the Online Payment Agreement: {url}").format(code=code, date=long_date(fix, lang),
                                                                        url=plans.OPA_URL))
        lines.append(_("A missed payment can bring a CP523: the IRS's intent to end the plan and levy."))
    return "\n".join(lines)


def render(item: DueItem, tr: Words) -> str:
    """The reminder text, in the language of ``tr`` (the person's: ``bot.i18n.words(item.language)``).
    A viewer's copy says first that the case is shared with them and only its owner can mark it."""
    text = _render(item, tr)
    if item.viewer:
        text = tr.gettext("👥 <b>A case shared with you</b> (read-only): only the person who shared it can "
                          "mark it paid or handled.") + "\n" + text
    return text


def _render(item: DueItem, tr: Words) -> str:
    if any(k.slot in PLAN_SLOTS for k in item.kinds):
        return render_payment(item, tr)
    if reminder_followups.is_followup_item(item):
        return reminder_followups.render(item, tr)
    if (follow_up := follow_up_text(item)) is not None:
        return follow_up
    t = _texts(tr)
    info = catalog.get(item.code)
    code = html.escape(item.code)
    title = f"{code} — {html.escape(info.title.get(tr.language))}" if info else code
    years = ", ".join(str(y) for y in item.tax_years)
    lines: list[str] = []
    if item.catch_up:
        lines.append(t.catch_up)
    heads_up = next((k.code for k in item.kinds if k.slot is Slot.NEXT), None)
    if heads_up and len(item.kinds) == 1:
        lines.append(t.heads_up.format(code=code, next=html.escape(heads_up)))
    head = t.head.format(title=title)
    if years:
        head += f" ({html.escape(years)})"
    lines.append(head)
    if item.amount_cents is not None:
        lines.append(t.amount.format(amount=money(item.amount_cents, cents=True, lang=tr.language)))
    if item.pay_by is not None and any(k.slot is Slot.PAY for k in item.kinds):
        dispute = long_date(item.respond_by, tr.language) if item.respond_by else "—"
        lines.append(t.pay.format(date=long_date(item.pay_by, tr.language), dispute=dispute))
    lines.append(days_left_line(item.days_left, item.respond_by, tr))
    if item.respond_by is None and any(k.slot is Slot.FIND_DATE for k in item.kinds):
        lines.append(t.find_date)
    if item.hard:
        lines.append(t.hard)
        if item.estimated:  # keep asking for the printed date while reminding on the safe one
            lines.append(t.printed)
    lines.append(risk_line(item, tr))
    if info is not None and (actions := info.actions.get(tr.language)):
        lines.append(t.next_step.format(step=html.escape(actions[0])))
    if any(k.slot in FOLLOW_UP_SLOTS for k in item.kinds):  # a follow-up due with a deadline reminder
        lines.append(reminder_followups.render(item, tr))
    if item.viewer:  # no call to mark it: the header says only the owner can
        pass
    elif item.status == "disputed":  # a hard notice: disputing does not stop its clock
        lines.append(t.disputed.format(instrument=instrument_name(instruments.kind_of(item.code), tr)))
    else:
        lines.append(t.handled)
    return "\n".join(lines)


def snooze_days(respond_by: date | None, today: date) -> tuple[int, ...]:
    """Snoozes that make sense: none on the deadline day, only 1 day the day before."""
    if respond_by is None or respond_by < today:  # overdue: nudges have no day to protect
        return (1, 3)
    left = (respond_by - today).days
    return (1, 3) if left >= 2 else (1,) if left == 1 else ()


# --- the buttons --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _layout(tr: Words, snoozes: tuple[int, ...], kind: Kind = Kind.DISPUTE,
            hard: bool = False) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The buttons' rows as (text, callback data without the notice id), translated once per
    language, snooze choice and instrument; ``prefix + str(notice_id)`` equals ``pack_action``."""
    _ = tr.gettext

    def button(text: str, action: str) -> tuple[str, str]:
        return text, pack_action(action, 0)[:-1]

    rows: list[tuple[tuple[str, str], ...]] = []
    if hard:  # a hard right: its instrument first (other notices keep today's buttons)
        rows.append((button(instrument_button(kind, tr), "tool"),))
    rows += [
        (button(_("✅ Paid"), "paid"),), (button(_("📅 Payment plan set up"), "plan"),),
        (button(_("✋ Disputed"), "disputed"),),
    ]
    if snoozes:
        rows.append(tuple(button(_("😴 Snooze 1 day") if days == 1 else _("😴 Snooze 3 days"), f"s{days}")
                          for days in snoozes))
    rows.append((button(_("📋 Checklist"), "list"),))
    return tuple(rows)


def keyboard(item: DueItem, tr: Words) -> dict[str, list[list[dict[str, str]]]]:
    """The notice's instrument, status buttons, snooze (never past the deadline day), checklist: the Bot API
    ``InlineKeyboardMarkup`` as JSON, one row each except the snoozes, which share a row. A payment
    reminder has "Paid" / "Can't pay this month" instead."""
    nid = f"{item.notice_id:d}"
    if item.viewer:  # read-only: nothing that changes the owner's case
        return {"inline_keyboard": [[{"text": tr.gettext("👁 Open the case"),
                                      "callback_data": CALLBACK_SEP.join((SHARED_PREFIX, f"{item.case_id:d}", "0"))}]]}
    if reminder_followups.is_followup_item(item):
        return reminder_followups.keyboard(item, tr, pack_action)
    if any(k.slot in PLAN_SLOTS for k in item.kinds):
        _ = tr.gettext
        return {"inline_keyboard": [[{"text": _("✅ Paid"), "callback_data": pack_action("pp", item.notice_id)}],
                                    [{"text": _("🆘 Can't pay this month"),
                                      "callback_data": pack_action("pn", item.notice_id)}]]}
    kind = instruments.kind_of(item.code)
    layout = _layout(tr, snooze_days(item.respond_by, item.today), kind, item.hard or kind != Kind.DISPUTE)
    return {"inline_keyboard": [[{"text": text, "callback_data": prefix + nid} for text, prefix in row]
                                for row in layout]}


def warm_up(words: Callable[[str], Words]) -> None:
    """Load Babel's locale data and each language's fixed texts before the first send: done lazily
    it stalls the event loop ~50 ms in the middle of sending, and the paced sends behind it bunch up
    (tests/scheduler/test_delivery.py::test_global_and_per_chat_rate_limits then failed 3 runs in 8)."""
    for language in LANGUAGES:
        _texts(words(language))
        long_date(date(2000, 1, 1), language)
        money(1, lang=language)
