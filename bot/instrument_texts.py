"""What the bot says about the instrument that keeps a notice's right: the guide message with its
sources, the logged sending, and the answer to "Disputed" on a hard notice (its name and button label
are in ``bot.texts``). Call inside the gettext context."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _

from bot import texts
from bot.i18n import words
from bot.intake import Assessment
from notices import instruments
from notices.instruments import Kind
from notices.words import long_date


def sources_line(urls: tuple[str, ...]) -> str:
    links = " · ".join(f'<a href="{texts.esc(u)}">{texts.esc(instruments.source_label(u))}</a>' for u in urls)
    return _("Sources: {links}").format(links=links)


def guide_text(kind: Kind, code: str, a: Assessment, today: date, lang: str) -> str:
    """The guide for ``kind``: title, the last day (and whether it is firm), the steps, the sources."""
    late = a.respond_by is not None and a.respond_by < today
    g = instruments.guide(kind, code, a.respond_by, words(lang), late=late)
    lines = [f"<b>{texts.esc(g.title)}</b> — {texts.esc(code)}", ""]
    if a.respond_by is not None and a.estimated:
        lines += [_("⚠️ This is the latest safe date I can work out without the date printed on your notice, "
                    "which controls. Send it to me (✏️ Edit on the card) and I will use it."), ""]
    elif a.respond_by is None:
        lines += [_("⚠️ I do not know the date of your notice yet: send me the date printed on it."), ""]
    if kind == Kind.ABATEMENT and a.pay_by is not None:  # the two dates, side by side
        lines += [_("💵 Payment due by: <b>{pay}</b>. 🛡 Last day for the 60-day request: <b>{last}</b>.").format(
            pay=texts.fdate(a.pay_by, lang), last=texts.fdate(a.respond_by, lang)), ""]
    lines += [f"• {texts.esc(p)}" for p in g.paragraphs]
    lines += ["", sources_line(g.sources)]
    return "\n".join(lines)


def sent_text(kind: Kind, sent_on: date, tracking: str | None, lang: str) -> str:
    key = f"sent.{kind.value}"
    text = texts.esc(instruments.say(key, lang, sent_on=long_date(sent_on, lang)))
    if tracking:
        text += "\n" + _("Number on file: {number}").format(number=texts.esc(tracking))
    return text


def disputed_text(kind: Kind, respond_by: date | None, lang: str) -> str:
    """The answer to "Disputed" on a hard notice: the clock still runs; was the instrument sent?"""
    if respond_by is None:
        head = _("Marked as disputed. Saying so does not keep your right: only {instrument} does. "
                 "I keep reminding you until the date printed on the notice.")
    else:
        head = _("Marked as disputed. Saying so does not keep your right: only {instrument} does, so I keep "
                 "reminding you until {date}.")
    return head.format(instrument=texts.instrument_name(kind), date=texts.fdate(respond_by, lang)) + "\n\n" + _(
        "<b>Did you already send it?</b>")
