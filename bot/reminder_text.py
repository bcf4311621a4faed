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

from notices import catalog, risk
from notices.money import money
from notices.reminder_kinds import Slot
from notices.words import LANGUAGES, Words, long_date
from scheduler.items import DueItem

CALLBACK_PREFIX, CALLBACK_SEP = "rm", ":"  # ReminderAction's prefix and aiogram's default separator


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
    printed: str
    pay: str


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
        printed=_("📝 This date is a safe estimate, at the latest. The date printed on the notice controls: "
                  "send it to me and I will use it."),
        pay=_("💵 <b>Payment is due {date}</b> (the date printed on the notice). The last day to ask for the "
              "change to be reversed is later: {dispute}."),
    )


def render(item: DueItem, tr: Words) -> str:
    """The reminder text, in the language of ``tr`` (the person's: ``bot.i18n.words(item.language)``)."""
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
    if item.hard:
        lines.append(t.hard)
        if item.estimated:  # keep asking for the printed date while reminding on the safe one
            lines.append(t.printed)
    lines.append(risk_line(item, tr))
    if info is not None and (actions := info.actions.get(tr.language)):
        lines.append(t.next_step.format(step=html.escape(actions[0])))
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
def _layout(tr: Words, snoozes: tuple[int, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The buttons' rows as (text, callback data without the notice id), translated once per
    language and snooze choice; ``prefix + str(notice_id)`` equals ``pack_action``."""
    _ = tr.gettext

    def button(text: str, action: str) -> tuple[str, str]:
        return text, pack_action(action, 0)[:-1]

    rows: list[tuple[tuple[str, str], ...]] = [
        (button(_("✅ Paid"), "paid"),), (button(_("📅 Payment plan set up"), "plan"),),
        (button(_("✋ Disputed"), "disputed"),),
    ]
    if snoozes:
        rows.append(tuple(button(_("😴 Snooze 1 day") if days == 1 else _("😴 Snooze 3 days"), f"s{days}")
                          for days in snoozes))
    rows.append((button(_("📋 Checklist"), "list"),))
    return tuple(rows)


def keyboard(item: DueItem, tr: Words) -> dict[str, list[list[dict[str, str]]]]:
    """Status buttons, snooze (never past the deadline day), checklist: the Bot API
    ``InlineKeyboardMarkup`` as JSON, one row each except the snoozes, which share a row."""
    nid = f"{item.notice_id:d}"
    layout = _layout(tr, snooze_days(item.respond_by, item.today))
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
