"""What a follow-up reminder says (issue 16): "did the IRS answer your letter?" at 30 and 60 days,
and "today is the date the IRS gave you" after a call. No aiogram here (the reminder worker renders
it); the "The IRS answered" button packs like ``ReminderAction(action="fa")``."""

from __future__ import annotations

import html
from collections.abc import Callable

from notices import catalog, links
from notices.reminder_kinds import FOLLOW_UP_SLOTS, Slot
from notices.words import Words, long_date
from scheduler.items import DueItem

TAS_URL, FORM_911_URL, LITC_URL = links.TAS, links.FORM_911, links.LITC
ANSWERED = "fa"


def is_followup_item(item: DueItem) -> bool:
    return bool(item.kinds) and all(k.slot in FOLLOW_UP_SLOTS for k in item.kinds)


def render(item: DueItem, tr: Words) -> str:
    _ = tr.gettext
    code = html.escape(item.code)
    found = sorted((k for k in item.kinds if k.slot in FOLLOW_UP_SLOTS and k.day), key=lambda k: -(k.number or 0))
    lines: list[str] = []
    for f in found[:1]:  # the most advanced one speaks for the others combined with it
        when = long_date(f.day, tr.language) if f.day else ""
        days = f.number or 0
        if f.slot is Slot.CALLBACK:
            lines += [_("📞 <b>{code}: today is the date the IRS gave you on the phone ({date}).</b>").format(
                          code=code, date=when),
                      _("Call back at the number on the notice, as agreed. Have your notes of the last call "
                        "(the employee's name and badge number) ready, and log the new call on the card.")]
            continue
        lines.append(_("📬 <b>{code}: did the IRS answer your letter of {date}?</b> It has been {n} days.").format(
            code=code, date=when, n=days))
        if days < 60:
            lines.append(_("If not: call the number on the notice, say when you sent it (and the tracking number), "
                           "and log the call on the card. Keep paying attention to the dates on the notice: a "
                           "letter does not stop them."))
        else:
            lines.append(_("Still no answer? Call the number on the notice again. If the IRS did not answer by a "
                           "date it promised, or you face a hardship, the Taxpayer Advocate Service can help "
                           "(Form 911): {tas} — {form}").format(tas=TAS_URL, form=FORM_911_URL))
            lines.append(_("A Low Income Taxpayer Clinic may help for free: {url}").format(url=LITC_URL))
        info = catalog.get(item.code)
        if info is not None and info.stage_key == "proposed":
            lines.append(_("The IRS gives no fixed time to answer a reply to a proposed change (estimate: it "
                           "varies). If it does not accept your reply it sends a notice of deficiency: that one "
                           "has a hard 90-day Tax Court deadline, so send it to me the day it arrives."))
    lines.append(_("Tap <b>The IRS answered</b> when it does, and I will stop these follow-ups."))
    return "\n".join(lines)


def keyboard(item: DueItem, tr: Words,
             pack: Callable[[str, int], str]) -> dict[str, list[list[dict[str, str]]]]:
    _ = tr.gettext
    return {"inline_keyboard": [[{"text": _("✅ The IRS answered"), "callback_data": pack(ANSWERED, item.notice_id)}],
                                [{"text": _("📋 Checklist"), "callback_data": pack("list", item.notice_id)}]]}
