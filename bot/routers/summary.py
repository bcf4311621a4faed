"""The case summary for a professional (issue 16): the "Summary for a tax professional" button on a
case, and /summary (which asks which case when there are several). Sends one PDF in the person's
language; pressing twice sends it again and changes nothing. The owned case comes from the case
middleware; the data from ``services.case_summary``; the document from ``notices.case_summary``."""

from __future__ import annotations

import asyncio

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot import case_texts, keyboards, texts
from bot.callbacks import CaseAction, CaseCb
from bot.i18n import words
from bot.routers.common import chat_message
from notices import case_summary as doc
from services import Case, User, cases
from services import case_summary as gathering
from services.unit import Unit

router = Router(name="summary")


async def send_summary(target: Message, unit: Unit, user: User, case: Case) -> None:
    summary = await gathering.gather(unit, user.id, case.id)
    body = await asyncio.to_thread(doc.pdf, summary, words(user.language))  # fpdf2: off the event loop
    years = "-".join(str(y) for y in sorted(case.tax_years or ())) or "case"
    caption = _("🧾 Summary of the case {case} for a tax professional: the notices, deadlines, what you did "
                "and what is still open. Hand it to a CPA, an enrolled agent or a Low Income Taxpayer Clinic.").format(
        case=texts.esc(case_texts.case_title(case)))
    if not summary.details:
        caption += "\n" + _("Your notes are not in it: turn on “Notes in calendars” in /settings to include them.")
    await target.answer_document(BufferedInputFile(body, filename=f"case-summary-{years}.pdf"), caption=caption)


@router.callback_query(CaseCb.filter(F.action == CaseAction.SUMMARY))
async def summary_button(query: CallbackQuery, case: Case, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    await send_summary(msg, unit, user, case)


@router.message(Command("summary"))
async def summary_command(message: Message, unit: Unit, user: User) -> None:
    found = (await cases.case_list(unit, user.id, include_closed=True)).cases
    if not found:
        await message.answer(_("You have no notices yet, so there is no case to summarise. Send me what your "
                               "letter says, or a photo or PDF of it."))
        return
    if len(found) == 1:
        await send_summary(message, unit, user, found[0].case)
        return
    await message.answer(_("Which case should the summary be about? One case is one debt (a tax form and its "
                           "years), most urgent first."),
                         reply_markup=keyboards.summary_cases_keyboard((s.case, s.notices) for s in found))
