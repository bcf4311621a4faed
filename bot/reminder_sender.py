"""What a reminder says and how it is sent: the text and buttons in the person's language, and the
Bot API sender the scheduler calls.

Nothing here imports aiogram (about 3 s and 120 MB to import): `noticebot worker` runs the reminder
engine with this module alone, so a worker process starts sending within a second. Translations come
from the same compiled catalogs aiogram's I18n reads (bot/locales), loaded the same way; the buttons'
callback data is what ``bot.routers.reminders.ReminderAction.pack()`` gives (a test keeps the two equal).
"""

from __future__ import annotations

import functools
import gettext
import html
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import aiohttp
from yarl import URL

from bot import reminder_followups
from notices import catalog, instruments, plans, risk
from notices.instruments import Kind
from notices.money import money
from notices.reminder_kinds import FOLLOW_UP_SLOTS, PLAN_SLOTS, Slot
from scheduler.errors import Blocked, RetryAfter, TransientError
from scheduler.items import DueItem

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
SEND_TIMEOUT_S = 20.0
SEND_CONNECTIONS = 64  # keep-alive connections to the Bot API; more only queue at the server
CALLBACK_PREFIX, CALLBACK_SEP = "rm", ":"  # ReminderAction's prefix and aiogram's default separator


class Translations:
    """The compiled gettext catalogs under ``path``, one per language, read once.

    Like aiogram's I18n: a language without a catalog gets the English source text."""

    def __init__(self, path: Path = LOCALES, domain: str = DOMAIN) -> None:
        self._catalogs: dict[str, gettext.NullTranslations] = {}
        for folder in sorted(path.iterdir()):
            mo = folder / "LC_MESSAGES" / f"{domain}.mo"
            if mo.is_file():
                with mo.open("rb") as fp:
                    self._catalogs[folder.name] = gettext.GNUTranslations(fp)
        self._none = gettext.NullTranslations()

    def __call__(self, language: str) -> gettext.NullTranslations:
        return self._catalogs.get(language, self._none)


def pack_action(action: str, notice_id: int) -> str:
    """``ReminderAction(action=..., notice_id=...).pack()`` without aiogram (a test keeps the two equal)."""
    return f"{CALLBACK_PREFIX}{CALLBACK_SEP}{action}{CALLBACK_SEP}{notice_id:d}"


# --- rendering ----------------------------------------------------------------------------------


def days_left_line(days: int | None, respond_by: date | None, tr: gettext.NullTranslations) -> str:
    _, ngettext = tr.gettext, tr.ngettext
    if days is None or respond_by is None:
        return _("There is no respond-by date on file for this notice.")
    when = respond_by.isoformat()
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


def risk_line(item: DueItem, tr: gettext.NullTranslations) -> str:
    _ = tr.gettext
    amount = None if item.amount_cents is None else Decimal(item.amount_cents) / 100
    assessed = risk.assess(item.code, item.respond_by, item.today, item.status, amount, item.hard, item.language)
    level = assessed.level
    names = {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}
    reason = f" — {html.escape(assessed.reasons[0])}" if assessed.reasons else ""
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


@functools.lru_cache(maxsize=64)
def _texts(tr: gettext.NullTranslations) -> _Texts:
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
    )


def instrument_name(kind: Kind, tr: gettext.NullTranslations) -> str:
    """What keeps the right, as a noun phrase; the card uses the same words (bot.instrument_texts)."""
    _ = tr.gettext
    return {
        Kind.HEARING: _("Form 12153 (the request for a CDP hearing)"),
        Kind.COURT: _("a Tax Court petition"),
        Kind.ABATEMENT: _("the 60-day request to reverse the change"),
        Kind.DISPUTE: _("a dispute letter"),
    }[kind]


def instrument_button(kind: Kind, tr: gettext.NullTranslations) -> str:
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


def render_payment(item: DueItem, tr: gettext.NullTranslations) -> str:
    """A payment-plan reminder: the payment coming, or what to do before a payment that can't be made."""
    _, ngettext = tr.gettext, tr.ngettext
    pay, fix = _payment_kinds(item)
    code = html.escape(item.code)
    lines: list[str] = []
    if item.catch_up:
        lines.append(_texts(tr).catch_up)
    monthly = money(item.plan_monthly_cents, cents=True) if item.plan_monthly_cents is not None else "—"
    if pay is not None:
        due = pay[1]
        lines.append(_("💳 <b>Payment plan ({code}): {amount} due on {date}</b>").format(
            code=code, amount=monthly, date=due.isoformat()))
        days = (due - item.today).days
        if days <= 0:
            lines.append(_("<b>Today</b> is the payment day.") if days == 0
                         else _("The payment day was {date}.").format(date=due.isoformat()))
        else:
            lines.append(ngettext("{n} day until the payment.", "{n} days until the payment.", days).format(n=days))
        if item.plan_direct_debit:
            lines.append(_("It is taken from your bank account (direct debit): make sure the money is there."))
        else:
            lines.append(_("Pay with IRS Direct Pay (free, from a bank account): {url}").format(url=plans.DIRECT_PAY_URL))
        if item.plan_balance_cents is not None:
            lines.append(_("Plan balance on file: {amount} (interest and a reduced penalty keep adding until it "
                           "is paid).").format(amount=money(item.plan_balance_cents, cents=True)))
        lines.append(_("Tap <b>Paid</b> when it is done, or <b>Can't pay this month</b> to see your options."))
    if fix is not None:
        lines.append(_("📞 <b>Payment plan ({code}): the payment of {date}</b>. If you still cannot pay it, call "
                       "the IRS at the number on your plan notice before that date, or change the plan online "
                       "with the Online Payment Agreement: {url}").format(code=code, date=fix.isoformat(),
                                                                        url=plans.OPA_URL))
        lines.append(_("A missed payment can bring a CP523: the IRS's intent to end the plan and levy."))
    return "\n".join(lines)


def render(item: DueItem, tr: gettext.NullTranslations) -> str:
    """The reminder text, in the language of ``tr`` (the person's)."""
    if any(k.slot in PLAN_SLOTS for k in item.kinds):
        return render_payment(item, tr)
    if reminder_followups.is_followup_item(item):
        return reminder_followups.render(item, tr)
    t = _texts(tr)
    if (follow_up := follow_up_text(item)) is not None:
        return follow_up
    info = catalog.get(item.code)
    code = html.escape(item.code)
    title = f"{code} — {html.escape(info.title.get(item.language))}" if info else code
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
        lines.append(t.amount.format(amount=money(item.amount_cents, cents=True)))
    if item.pay_by is not None and any(k.slot is Slot.PAY for k in item.kinds):
        dispute = item.respond_by.isoformat() if item.respond_by else "—"
        lines.append(t.pay.format(date=item.pay_by.isoformat(), dispute=dispute))
    lines.append(days_left_line(item.days_left, item.respond_by, tr))
    if item.hard:
        lines.append(t.hard)
        if item.estimated:  # keep asking for the printed date while reminding on the safe one
            lines.append(t.printed)
    lines.append(risk_line(item, tr))
    if info is not None and (actions := info.actions.get(item.language)):
        lines.append(t.next_step.format(step=html.escape(actions[0])))
    if any(k.slot in FOLLOW_UP_SLOTS for k in item.kinds):  # a follow-up due with a deadline reminder
        lines.append(reminder_followups.render(item, tr))
    if item.status == "disputed":  # a hard notice: disputing does not stop its clock
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


@functools.lru_cache(maxsize=64)
def _layout(tr: gettext.NullTranslations, snoozes: tuple[int, ...], kind: Kind = Kind.DISPUTE,
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


def keyboard(item: DueItem, tr: gettext.NullTranslations) -> dict[str, list[list[dict[str, str]]]]:
    """The notice's instrument, status buttons, snooze (never past the deadline day), checklist: the Bot API
    ``InlineKeyboardMarkup`` as JSON, one row each except the snoozes, which share a row. A payment
    reminder has "Paid" / "Can't pay this month" instead."""
    nid = f"{item.notice_id:d}"
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


# --- sending ------------------------------------------------------------------------------------


class SendRefused(Exception):
    """Telegram refused the message for another reason (400 bad request, 401, 404...): not a
    scheduler error, so the service counts a failed attempt and gives up after a few."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class BotApiReminderSender:
    """The scheduler's ReminderSender: ``sendMessage`` as JSON straight to the Bot API.

    Reminders are a broadcast path, so aiogram's request and response models (about 1 ms of CPU
    per message) are skipped: one shared keep-alive session, the same text and buttons, and
    Telegram's answers mapped as aiogram would classify them: a ``retry_after`` (429) becomes
    RetryAfter, 403 Blocked, 5xx, timeouts and connection trouble TransientError, any other refusal
    SendRefused. Create and close it inside the running loop.
    """

    def __init__(self, api_url: str, token: str, translations: Translations | None = None, *,
                 timeout: float = SEND_TIMEOUT_S, connections: int = SEND_CONNECTIONS) -> None:
        base = f"{api_url.rstrip('/')}/bot{token}"
        self.url = URL(f"{base}/sendMessage")  # parsed once, not per send
        self.get_me_url = URL(f"{base}/getMe")
        self.translations = translations or Translations()
        self.timeout = timeout
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                json_serialize=_dumps,
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check_token(self) -> None:
        """``getMe``, before sending anything: a refused token (401) raises SendRefused, an
        unreachable Bot API TransientError."""
        try:
            async with self._http().post(self.get_me_url) as resp:
                status, body = resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(type(exc).__name__) from exc
        if status >= 500:
            raise TransientError(f"{status} from getMe")
        if status != 200:
            raise SendRefused(status, body[:200].decode(errors="replace"))

    async def send(self, item: DueItem) -> None:
        tr = self.translations(item.language)
        payload = {"chat_id": item.chat_id, "text": render(item, tr), "parse_mode": "HTML",
                   "reply_markup": keyboard(item, tr)}
        try:
            async with self._http().post(self.url, json=payload) as resp:  # timeout: the session's
                status, body = resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(type(exc).__name__) from exc
        if status == 200 and _OK.match(body):
            return  # the usual answer: no need to decode the sent Message (~1 KB of JSON)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if status >= 500:
                raise TransientError(f"{status}: undecodable answer")
            raise SendRefused(status, f"undecodable answer: {body[:200]!r}")
        if 200 <= status <= 226 and answer.get("ok"):
            return
        description = str(answer.get("description") or "")
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        if retry_after:
            raise RetryAfter(float(retry_after))
        if status == 403:
            raise Blocked(description)
        if status >= 500 or status == 429:  # a 429 without retry_after: back off as for overload
            raise TransientError(f"{status}: {description}")
        raise SendRefused(status, description)


_OK = re.compile(rb'\{\s*"ok"\s*:\s*true\s*[,}]')  # an answer that opens with "ok": true


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
