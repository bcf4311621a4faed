"""The saved notice's card (facts, same-case notices, history) and the person's list of notices,
rendered from what the use-case layer returns."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot import keyboards, texts
from bot.routers.common import notice_assessment, person_today, send
from services import Notice, User, queries
from services.unit import Unit


async def card_text(u: Unit, n: Notice, user: User) -> str:
    today = person_today(user)
    a = notice_assessment(n, today, user.language)
    earlier = []
    if a.info is not None:
        earlier = await queries.earlier_notices(u, user.id, n.tax_years or (), a.info.stage, exclude_id=n.id)
    text = texts.notice_card(n, a, today, user.language, earlier)
    history = [line for e in await queries.history(u, n) if (line := texts.event_line(e, user.language))]
    if history:
        text += "\n\n" + _("<b>History</b>") + "\n" + "\n".join(f"• {line}" for line in history[-10:])
    return text


async def show_card(target: Message, u: Unit, n: Notice, user: User) -> None:
    await send(target, await card_text(u, n, user), keyboards.notice_keyboard(n))


async def send_list(message: Message, u: Unit, user: User, include_closed: bool) -> None:
    found = await queries.notice_list(u, user.id, include_closed=include_closed)
    today = person_today(user)
    facts = {n.id: notice_assessment(n, today, user.language) for n in found.notices}
    text = texts.notices_list(found.notices, facts, today, user.language, found.closed, include_closed)
    await send(message, text, keyboards.list_keyboard(found.notices, show_closed_button=found.closed > 0))
