"""The saved notice's card (facts, same-case notices, history) and the person's list of cases,
rendered from what the use-case layer returns."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot import case_texts, keyboards, texts
from bot.routers.common import notice_assessment, person_today, send
from notices import links
from services import Notice, NoticeStatus, User, cases, queries
from services.unit import Unit


async def card_text(u: Unit, n: Notice, user: User) -> str:
    today = person_today(user)
    a = notice_assessment(n, today, user.language)
    earlier = await queries.case_mates(u, n)
    text = texts.notice_card(n, a, today, user.language, earlier)
    if act := links.next_links(n.code, NoticeStatus(n.status).value):
        text += "\n" + _("Where to act: {links}").format(
            links=" · ".join(f'<a href="{links.URLS[k]}">{link_label(k)}</a>' for k in act))
    history = [line for e in await queries.history(u, n) if (line := texts.event_line(e, user.language))]
    if history:
        text += "\n\n" + _("<b>History</b>") + "\n" + "\n".join(f"• {line}" for line in history[-10:])
    return text


def link_label(key: str) -> str:
    return {
        "direct_pay": _("IRS Direct Pay"), "opa": _("Online Payment Agreement"),
        "online_account": _("IRS Online Account (balance, payoff amount)"), "form_9465": _("Form 9465"),
        "form_12153": _("Form 12153"), "form_843": _("Form 843"), "tas": _("Taxpayer Advocate Service"),
        "litc": _("Low Income Taxpayer Clinics"),
    }[key]


async def show_card(target: Message, u: Unit, n: Notice, user: User) -> None:
    await send(target, await card_text(u, n, user), keyboards.notice_keyboard(n))


async def send_list(message: Message, u: Unit, user: User, include_closed: bool) -> None:
    """/notices: the person's cases, most urgent first."""
    found = await cases.case_list(u, user.id, include_closed=include_closed)
    text = case_texts.case_list(found.cases, person_today(user), user.language, found.closed, include_closed)
    await send(message, text, keyboards.cases_keyboard([(s.case, s.notices) for s in found.cases],
                                                       show_closed_button=found.closed > 0))
