"""/export's readable summary: a short plain-text document in the person's language listing each notice
(code and what it is, amount, dates in words, the deadline with any estimate or assumption said, status,
the calls and letters logged), next to the JSON file.

It never carries an identifier: no SSN, ITIN or EIN (free text is redacted again), no Telegram or
database id, no phone number, badge, confirmation or tracking number, no calendar link. No aiogram
here: it renders with a ``Words`` translator (``bot.i18n.words``), so it can be tested alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from notices import catalog, facts
from notices.money import money
from notices.redact import redact
from notices.words import Words, long_date
from scheduler.facts import input_of
from services import Notice, NoticeEvent

FILENAME = "noticebot-summary.txt"


def _status(value: str, tr: Words) -> str:
    _ = tr.gettext
    return {"open": _("open"), "paid": _("paid"), "plan": _("payment plan"), "disputed": _("disputed"),
            "closed": _("closed")}.get(value, value)


def _day(d: date | None, tr: Words) -> str:
    return long_date(d, tr.language) if d is not None else tr.gettext("not known")


def deadline_lines(a: facts.Facts, tr: Words) -> list[str]:
    """The deadline in plain words, any estimate or assumption said, a hard deadline named."""
    _ = tr.gettext
    lines = []
    if a.pay_by is not None:
        lines.append(_("Pay by: {date}").format(date=_day(a.pay_by, tr)))
    label = _("Last day to dispute") if a.pay_by is not None else _("Respond by")
    if a.respond_by is None:
        lines.append(_("{label}: not known yet (the date printed on the notice counts)").format(label=label))
    elif a.at_the_latest or "notice_date_assumed" in a.notes:
        lines.append(_("{label}: {date} (an assumption: worked out without the date printed on the notice, "
                       "so it is early on purpose; the printed date counts)").format(
            label=label, date=_day(a.respond_by, tr)))
    elif a.estimated:
        lines.append(_("{label}: {date} (estimate: the printed date counts)").format(
            label=label, date=_day(a.respond_by, tr)))
    else:
        lines.append(_("{label}: {date}").format(label=label, date=_day(a.respond_by, tr)))
    if a.hard:
        lines.append(_("This is a hard deadline: missing it loses a legal right."))
    return lines


def _logged(e: NoticeEvent, tr: Words) -> str:
    _ = tr.gettext
    data = e.data or {}
    when = long_date(date.fromisoformat(data["date"]), tr.language) if data.get("date") else _day(e.at.date(), tr)
    line = (_("Call on {date}") if e.kind == "call" else _("Letter on {date}")).format(date=when)
    if data.get("agreed"):  # the person's own words, without any identifier in them
        line += " — " + _("what was said or agreed: {text}").format(text=redact(str(data["agreed"]), strict=True).text)
    return line


def notice_lines(n: Notice, logged: list[NoticeEvent], number: int, today: date, tr: Words) -> list[str]:
    _ = tr.gettext
    lang = tr.language
    info = catalog.get(n.code)
    if info is not None:
        title = f"{info.code} — {info.title.get(lang)}"
    elif n.code and n.code != catalog.UNKNOWN_CODE:
        title = _("{code} (not in my catalog yet)").format(code=n.code)
    else:
        title = _("Notice code not known yet")
    amount = None if n.amount_cents is None else Decimal(n.amount_cents) / 100
    a = facts.derive(input_of(n), today, lang)
    lines = [f"{number}. {title}"]
    if info is not None:
        lines.append(_("What it is: {meaning}").format(meaning=info.meaning.get(lang)))
    lines += [
        _("Tax years: {years}").format(years=", ".join(str(y) for y in sorted(n.tax_years or ())) or _("not known")),
        _("Amount: {amount}").format(amount=money(amount, lang=lang) if amount is not None else _("not known")),
        _("Notice date: {date}").format(date=_day(n.notice_date, tr)),
    ]
    if n.received_date is not None:
        lines.append(_("Received: {date}").format(date=_day(n.received_date, tr)))
    lines += deadline_lines(a, tr)
    lines.append(_("Status: {status}").format(status=_status(n.status.value, tr)))
    if logged:
        lines.append(_("Calls and letters you logged:"))
        lines += [f"  - {_logged(e, tr)}" for e in logged]
    else:
        lines.append(_("Calls and letters you logged: none"))
    if info is not None:
        lines.append(_("Official page: {url}").format(url=info.source_for(lang)))
    return ["   " + line if i else line for i, line in enumerate(lines)]


def summary(rows: list[tuple[Notice, list[NoticeEvent]]], today: date, tr: Words) -> str:
    _ = tr.gettext
    lines = [_("Your IRS notices: a summary from noticebot"),
             _("Made on {date}. The dates printed on your notices are the ones that count. noticebot is not "
               "the IRS and not a tax professional.").format(date=long_date(today, tr.language)), ""]
    if not rows:
        lines.append(_("You have no saved notices."))
    for number, (n, logged) in enumerate(rows, 1):
        lines += [*notice_lines(n, logged, number, today, tr), ""]
    return "\n".join(lines).rstrip() + "\n"
