"""What the bot says: cards, lists and explanations in the person's language, HTML-escaped, and
split to Telegram's 4096-character limit. Call inside the gettext context (any handler is)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _

from bot import reminder_text
from bot.i18n import words
from bot.intake import Assessment, DraftData
from notices import catalog, cost, risk
from notices.checklists import scam_guide
from notices.instruments import Kind, kind_of, still_counting
from notices.money import money
from notices.words import long_date, short_time
from services import Notice, NoticeEvent, NoticeStatus


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def fdate(d: date | datetime | None, lang: str) -> str:
    if d is None:
        return "—"
    if isinstance(d, datetime):
        d = d.date()
    return long_date(d, lang)


def clock(minute: int | None, lang: str) -> str:
    """A time of day as people read it: 12-hour for US English ("9:00 AM"), 24-hour in Spanish."""
    if minute is None:
        return "—"
    return short_time(time(minute // 60, minute % 60), lang)


def fmoment(at: datetime, lang: str) -> str:
    """A local date and time in words: "October 14, 2026, 9:00 AM" / "14 de octubre de 2026, 9:00"."""
    return f"{fdate(at, lang)}, {clock(at.hour * 60 + at.minute, lang)}"


def years_text(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years)) or "—"


def code_title(code: str | None, lang: str) -> str:
    if not code or code == "UNKNOWN":
        return _("Notice code not known yet")
    info = catalog.get(code)
    if info is None:
        return _("{code} (not in my catalog yet)").format(code=esc(code))
    return f"{esc(info.code)} — {esc(info.title.get(lang))}"


def days_left(respond_by: date | None, today: date) -> str:
    if respond_by is None:
        return _("no date yet")
    days = (respond_by - today).days
    if days > 0:
        return ngettext("{n} day left", "{n} days left", days).format(n=days)
    if days == 0:
        return _("today is the last day")
    return ngettext("{n} day late", "{n} days late", -days).format(n=-days)


def status_label(status: NoticeStatus | str) -> str:
    return {
        "open": _("open"), "paid": _("paid"), "plan": _("payment plan"), "disputed": _("disputed"),
        "closed": _("closed"),
    }[str(getattr(status, "value", status))]


def risk_label(level: str) -> str:
    return {"low": _("low"), "medium": _("medium"), "high": _("high"), "critical": _("critical")}.get(
        level, level
    )


_RISK_ICON = {"low": "🟢", "medium": "🟡", "high": "🟠", "critical": "🔴"}


def question(field: str, info: catalog.NoticeInfo | None = None) -> str:
    if field == "due_date" and info is not None and info.prints_last_day:
        return _("<b>What is the last day printed on the notice?</b> It controls; until I have it, I count "
                 "from the notice date (for example Jan 15, 2027).")
    return {
        "code": _("<b>Which notice is it?</b> The code is printed in the top right corner, for example "
                  "CP14, CP501, CP504, LT11 or Letter 1058."),
        "notice_date": _("<b>What date is printed on the notice?</b> (for example Nov 3, 2026) "
                         "Your deadline counts from it."),
        "due_date": _("<b>Is there a date printed to pay or respond by?</b> Send it (for example Dec 15, 2026)."),
        "received_date": _("<b>When did you receive it?</b> (for example yesterday, or Nov 10)"),
        "amount": _("<b>How much does the notice say you owe?</b> (for example $1,250.00)"),
        "tax_years": _("<b>Which tax year is it for?</b> (for example 2024)"),
        "phone": _("<b>Which phone number is printed on the notice?</b>"),
        "notes": _("<b>Your notes</b> (anything you want to remember about this notice):"),
        "abroad": _("<b>Was this notice addressed to you outside the United States?</b> (yes or no) "
                    "The Tax Court window is 150 days instead of 90 only then."),
    }[field]


def bad_answer(field: str, can_skip: bool = True) -> str:
    examples = {  # in the person's language: the reader understands them
        "code": _("CP14, CP504, LT11, Letter 1058"),
        # numeric examples in the reader's order for the language (Spanish: day first)
        "notice_date": _("Nov 3, 2026 / 11/03/2026"),
        "due_date": _("Dec 15, 2026 / 12/15/2026"),
        "received_date": _("Nov 10, 2026 / yesterday"),
        "amount": "$1,250.00",
        "tax_years": "2024 / 2023, 2024",
        "abroad": _("yes / no"),
    }
    if not can_skip:
        return _("Sorry, I could not read that. Try something like <i>{example}</i>, or /cancel.").format(
            example=esc(examples.get(field, "")))
    return _("Sorry, I could not read that. Try something like <i>{example}</i>, or tap “I don't know”. "
             "Nothing you told me before is lost.").format(example=esc(examples.get(field, "")))


# --- the parts every card shares --------------------------------------------------------------


def _hard_line(a: Assessment, lang: str) -> str:
    """What is lost after a hard date, in the words of the right this notice gives."""
    info = a.info
    right = esc(info.rights.get(lang)[0]) if info and info.rights.get(lang) else ""
    if info is not None and info.cdp:
        lost = _("⚠️ <b>Hard deadline: after this date you lose the right to a Collection Due Process "
                 "hearing with Tax Court review.</b>")
    elif info is not None and info.stage_key == "deficiency":
        lost = _("⚠️ <b>Hard deadline: after this date you can no longer petition the Tax Court before paying.</b>")
    elif info is not None and info.pay_days:
        lost = _("⚠️ <b>Hard deadline: after this date the change is no longer reversed just because you ask; "
                 "you would have to pay and claim a refund.</b>")
    else:
        lost = _("⚠️ <b>Hard deadline: missing it loses a legal right.</b>")
    return f"{lost} {right}"


def _deadline_lines(a: Assessment, today: date, lang: str) -> list[str]:
    lines = []
    if a.pay_by is not None:
        lines.append(_("💵 Pay by: <b>{date}</b> — {left}").format(
            date=fdate(a.pay_by, lang), left=days_left(a.pay_by, today)))
    label = _("📅 Last day to dispute") if a.pay_by is not None else _("📅 Respond by")
    if a.respond_by is None:
        lines.append(_("{label}: <b>not known yet</b> — send me the date printed on the notice.").format(label=label))
    elif a.at_the_latest:
        lines.append(_("{label}: <b>{date} at the latest</b> — {left}").format(
            label=label, date=fdate(a.respond_by, lang), left=days_left(a.respond_by, today)))
    else:
        suffix = _(" (estimated)") if a.estimated else ""
        lines.append(_("{label}: <b>{date}</b>{estimated} — {left}").format(
            label=label, date=fdate(a.respond_by, lang), estimated=suffix, left=days_left(a.respond_by, today)))
    if a.hard:
        lines.append(_hard_line(a, lang))
    if a.printed_controls:
        lines.append(_("🖨 The date printed on your notice controls. If it differs from mine, send it to me."))
    if a.asks_abroad:
        answer = _("yes (150 days)") if a.abroad else _("no (90 days)")
        lines.append(_("🌍 Addressed to you outside the United States: {answer}. Change it with “Fix a field” "
                       "or ✏️ Edit.").format(answer=answer))
    return lines


def _risk_line(a: Assessment, lang: str) -> list[str]:
    if a.risk is None:
        return []
    # the first reason is the weightiest (stage)
    reason = risk.say(a.risk.reasons[0], words(lang)) if a.risk.reasons else ""
    return [_("{icon} Risk: <b>{level}</b> — {reason}").format(
        icon=_RISK_ICON.get(a.risk.level, ""), level=risk_label(a.risk.level), reason=esc(reason))]


def _estimate_lines(a: Assessment) -> list[str]:
    out = []
    if "notice_date_assumed" in a.notes and a.hard:
        out.append(_("ℹ️ At the latest: without the notice date I assumed it was mailed 3 weeks before you got "
                     "it (IRS mail can be slow), so this date is early on purpose and reminders use it. "
                     "Send the date printed on the notice."))
    elif "notice_date_assumed" in a.notes:
        out.append(_("ℹ️ Estimated: without the notice date I assumed it was dated about a week before "
                     "you got it. Send the printed date to make this exact."))
    elif a.at_the_latest:
        out.append(_("ℹ️ This notice prints its own last day, and that date controls. Until you send it, I "
                     "count from the notice date, which is never later."))
    if "window_unconfirmed" in a.notes:
        out.append(_("ℹ️ Estimated: the response window for this notice is not confirmed. "
                     "The date printed on your notice is the one that counts."))
    if "printed_due_after_law" in a.notes or "stored_date_after_law" in a.notes:
        out.append(_("ℹ️ The date I have is later than the law allows from the notice date, so I show the "
                     "earlier date. Check both dates on the notice."))
    return out


def _same_case_lines(earlier: Sequence[Notice], lang: str) -> list[str]:
    return [
        _("🔗 Same case (same tax form and year) as your {code} for {years}, saved {date}.").format(
            code=esc(n.code), years=years_text(n.tax_years), date=fdate(n.created_at, lang))
        for n in earlier
    ]


def draft_card(d: DraftData, a: Assessment, today: date, lang: str, earlier: Sequence[Notice]) -> str:
    lines = [_("<b>Is this right?</b>"), "", f"📄 <b>{code_title(d.code, lang)}</b>"]
    if a.info is not None:
        lines.append(_("Stage: {stage}").format(stage=esc(a.info.stage_name.get(lang))))
    lines.append(_("Tax years: {years}").format(years=years_text(d.tax_years)))
    lines.append(_("Amount: {amount}").format(amount=money(d.amount_decimal, lang=lang)))
    check = " " + _("⚠️ please check: the numbers could be read either way")
    lines.append(_("Notice date: {date}").format(date=fdate(d.day("notice_date"), lang))
                 + (check if "notice_date" in d.uncertain else ""))
    if d.due_date:
        lines.append(_("Date printed to respond by: {date}").format(date=fdate(d.day("due_date"), lang))
                     + (check if "due_date" in d.uncertain else ""))
    lines += _deadline_lines(a, today, lang)
    lines += _risk_line(a, lang)
    lines += _same_case_lines(earlier, lang)
    lines += _estimate_lines(a)
    if a.info is None:
        lines += ["", _("<b>This notice is not in my catalog yet.</b> A general plan:")]
        lines += [f"• {esc(step)}" for step in catalog.UNKNOWN_PLAN.get(lang)]
    if d.unknown:
        from bot.keyboards import field_label

        lines.append(_("Not known: {fields}").format(fields=", ".join(field_label(f) for f in d.unknown)))
    if d.asking:
        lines += ["", question(d.asking, a.info)]
    else:
        lines += ["", _("Tap <b>Save</b> and I will keep track of it and remind you before the date.")]
    return "\n".join(lines)


def _current_language() -> str:
    """This update's language (aiogram's I18n context), for the texts shared with the reminder worker."""
    return get_i18n().current_locale


def instrument_name(kind: Kind) -> str:
    """What keeps the right, as a noun phrase ("a Tax Court petition"): the reminders' words."""
    return reminder_text.instrument_name(kind, words(_current_language()))


def instrument_button(kind: Kind) -> str:
    """The card's button: the same label as the reminder's."""
    return reminder_text.instrument_button(kind, words(_current_language()))


def instrument_line(kind: Kind) -> str | None:
    """The card's line naming the instrument (none for the dispute letter: it is not a right)."""
    if kind == Kind.DISPUTE:
        return None
    return _("🛡 What keeps your right: {instrument}. Tap the button below.").format(instrument=instrument_name(kind))


def notice_card(n: Notice, a: Assessment, today: date, lang: str, earlier: Sequence[Notice] = ()) -> str:
    lines = [f"📄 <b>{code_title(n.code, lang)}</b>"]
    if a.info is not None:
        lines.append(_("Stage: {stage}").format(stage=esc(a.info.stage_name.get(lang))))
    lines.append(_("Status: <b>{status}</b> (since {date})").format(
        status=status_label(n.status), date=fdate(n.status_changed_at or n.created_at, lang)))
    lines.append(_("Tax years: {years}").format(years=years_text(n.tax_years or ())))
    lines.append(_("Amount: {amount}").format(amount=money(n.amount_cents, cents=True, lang=lang)))
    lines.append(_("Notice date: {date}").format(date=fdate(n.notice_date, lang)))
    if n.stated_due_date:
        lines.append(_("Date printed to respond by: {date}").format(date=fdate(n.stated_due_date, lang)))
    if n.phone:
        lines.append(_("Phone on the notice: {phone}").format(phone=esc(n.phone)))
    counting = still_counting(n.code, NoticeStatus(n.status).value)
    if counting:
        lines += _deadline_lines(a, today, lang)
        lines += _risk_line(a, lang)
        if (right := instrument_line(kind_of(n.code))) is not None:
            lines.append(right)
    lines += _same_case_lines(earlier, lang)
    if counting:
        lines += _estimate_lines(a)
    if n.notes:
        lines.append(_("Notes: {notes}").format(notes=esc(n.notes)))
    return "\n".join(lines)


def meaning_text(n: Notice, lang: str) -> str:
    info = catalog.get(n.code)
    if info is None:
        lines = [_("<b>{code}</b> is not in my catalog yet. A general plan:").format(code=esc(n.code))]
        lines += [f"• {esc(step)}" for step in catalog.UNKNOWN_PLAN.get(lang)]
        return "\n".join(lines)
    lines = [f"<b>{esc(info.code)} — {esc(info.title.get(lang))}</b>", "", esc(info.meaning.get(lang)), ""]
    lines.append(_("<b>If you do nothing:</b> {text}").format(text=esc(info.if_ignored.get(lang))))
    lines += ["", _("<b>Your rights:</b>")] + [f"• {esc(r)}" for r in info.rights.get(lang)]
    lines += ["", _("<b>What to do:</b>")] + [f"• {esc(a)}" for a in info.actions.get(lang)]
    if info.phone is not None:
        lines += ["", _("Phone: {phone} (check it against the number printed on your notice)").format(
            phone=esc(info.phone.get(lang)))]
    lines += ["", _("Source: {url}").format(url=esc(info.source_for(lang)))]
    return "\n".join(lines)


def cost_text(n: Notice, today: date, lang: str) -> str:
    if n.amount_cents is None:
        return _("I need the amount to estimate the cost of waiting. Use ✏️ Edit → Amount on the notice card.")
    amount = Decimal(n.amount_cents) / 100
    info = catalog.get(n.code)
    scenarios = cost.compare_waiting(n.code, amount, n.notice_date, today, plan=n.status == NoticeStatus.PLAN,
                                     printed_due=n.stated_due_date)
    lines = [_("<b>Cost of waiting</b> on {amount} ({code}):").format(amount=money(amount, lang=lang), code=esc(n.code)), ""]
    for s in scenarios:
        extra = money(s.extra_cost, lang=lang)
        if s.extra_cost_if_filed_late is not None:
            extra = _("{on_time} if your return was filed on time, {late} if it was filed late").format(
                on_time=extra, late=money(s.extra_cost_if_filed_late, lang=lang))
        if s.key == "now":
            lines.append(_("• Pay today ({date}): no extra cost").format(date=fdate(s.date, lang)))
        elif s.key == "next_notice":
            lines.append(_("• Pay when the {code} is expected ({date}): about {extra} more").format(
                code=esc(s.next_code or ""), date=fdate(s.date, lang), extra=extra))
        else:
            lines.append(_("• Pay in 90 days ({date}): about {extra} more").format(date=fdate(s.date, lang), extra=extra))
    if info is not None and not info.assessed:
        lines += ["", _("This amount is proposed, not assessed yet: only interest is counted. The late-payment "
                        "penalty starts if it is assessed and not paid by the date on the bill.")]
    if info is not None and info.unfiled_return:
        monthly, cap, _source = cost.failure_to_file_terms()
        lines += ["", _("Not filing also costs: the failure-to-file penalty is {monthly} percent of the unpaid "
                        "tax a month, up to {cap} percent. Filing the return stops it.").format(monthly=monthly, cap=cap)]
    lines += ["", _("Estimate: daily compounded interest at the IRS rate plus the late-payment penalty. "
                    "The IRS's own figures are the ones that count. If you cannot pay in full, a payment "
                    "plan lowers the penalty.")]
    return "\n".join(lines)


def event_line(e: NoticeEvent, lang: str) -> str:
    data = e.data or {}
    if e.kind in ("call", "letter"):
        parts = [_("Call") if e.kind == "call" else _("Letter"), fdate(date.fromisoformat(data["date"]), lang)
                 if data.get("date") else fdate(e.at, lang)]
        for key, label in (("agent", _("agent")), ("badge", _("badge")), ("agreed", _("agreed")),
                           ("confirmation", _("confirmation"))):
            if data.get(key):
                parts.append(f"{label}: {esc(data[key])}")
        return " — ".join(parts)
    if e.kind == "instrument":
        sent = fdate(date.fromisoformat(data["sent_on"]), lang) if data.get("sent_on") else fdate(e.at, lang)
        line = _("Sent what keeps the right on {date}").format(date=sent)
        return line + (f" — {esc(data['tracking'])}" if data.get("tracking") else "")
    if e.kind == "status":
        return _("{date}: status {old} → {new}").format(
            date=fdate(e.at, lang), old=status_label(data.get("from", "open")), new=status_label(data.get("to", "open")))
    return ""


def ssn_removed(kinds: Sequence[str]) -> str:
    names = {"ssn": _("a Social Security number"), "itin": _("an ITIN"), "ein": _("an EIN"),
             "tin": _("a taxpayer ID number")}
    what = ", ".join(names.get(k, k) for k in kinds)
    return _("🔒 I removed {what} from your message and did not store it. I never need it. "
             "You may want to delete your message from this chat too.").format(what=what)


def scam_warning(lang: str) -> str:
    return _("🚨 <b>This looks like it could be a scam.</b> The IRS does not ask for gift cards, wire "
             "transfers or crypto, and does not threaten arrest. Do not pay or call back a number from "
             "the message.") + "\n\n" + esc(scam_guide(lang))


# --- splitting --------------------------------------------------------------------------------
