"""What the bot says about a document that is not an IRS notice about money owed (``reader.Draft.not_notice``):
a W-2, a 1099, a statement, a state letter, or an IRS letter such as CP01A, CP09 or CP12 (what it is,
whether anything is needed, the official page). Nothing is saved for any of them.

No aiogram here (``noticebot parse`` prints the same answers): texts come through a ``Words`` translator."""

from __future__ import annotations

from datetime import date
from html import escape

from bot import intake
from notices import letters, reader
from notices.words import Words, long_date


def esc(value: str) -> str:
    return escape(value, quote=False)


def _left(day: date, today: date, tr: Words) -> str:
    """Days left, in the words the cards use (the same catalog messages as ``bot.texts.days_left``)."""
    days = (day - today).days
    if days > 0:
        return tr.ngettext("{n} day left", "{n} days left", days).format(n=days)
    if days == 0:
        return tr.gettext("today is the last day")
    return tr.ngettext("{n} day late", "{n} days late", -days).format(n=-days)


def document_text(kind: str, tr: Words) -> str:
    """A W-2, a 1099, a 1098, a bank or card statement, a state tax letter."""
    _ = tr.gettext
    what = {
        "w2": _("a W-2 (a wage statement from an employer)"),
        "1099": _("a Form 1099 (an income statement)"),
        "1098": _("a Form 1098 (a mortgage or tuition statement)"),
        "statement": _("a bank or card statement"),
        "state": _("a letter from a state tax agency, not the IRS"),
    }[kind]
    return _("This looks like {what}, not an IRS notice about money owed, so I have not saved anything. "
             "If you also got a letter from the IRS, send it or type its code (top right, e.g. CP14).").format(
        what=what)


def letter_text(d: reader.Draft, today: date, tr: Words) -> str:
    """An IRS letter that is not about money owed: what it is, whether anything is needed, the official page."""
    _, lang = tr.gettext, tr.language
    letter = letters.get(d.notice)
    assert letter is not None  # the reader marks only the letters it knows
    lines = [_("ℹ️ <b>{code} is not a bill: this letter is not about money you owe.</b>").format(
        code=esc(letter.code)), esc(letters.what(letter, lang)), "",
        _("<b>Do you need to do anything?</b> {needed}").format(needed=esc(letters.needed(letter, lang)))]
    if letter.dispute_days and d.notice_date is not None:
        # the 60-day window's date by the card's own rule (IRC 7503 roll-forward), never later
        a = intake.assess(letter.code, d.notice_date, None, None, False, None, today, lang)
        if a.respond_by is not None:
            lines.append(_("📅 Last day to disagree: <b>{date}</b> — {left}").format(
                date=long_date(a.respond_by, lang), left=_left(a.respond_by, today, tr)))
    lines += ["", _("Official page: {url}").format(url=esc(letter.source_for(lang))),
              _("I have not saved anything and set no reminder. If you also got a letter about money owed, "
                "send it or type its code (top right, e.g. CP14).")]
    return "\n".join(lines)
