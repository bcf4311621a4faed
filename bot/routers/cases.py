"""Cases (issue 16): open a case (its timeline and its notices), its timeline picture, its calendar
file, and moving a notice to another case or a new one. /notices (the list of cases) is in the
notices router. The owned case comes from the case middleware, the owned notice from the notice
middleware; the target of a move is checked by the move use case (the same ownership rule)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from app.config import Settings
from bot import case_texts, keyboards, texts
from bot.callbacks import CaseAction, CaseCb, MoveCb, NoticeAction, NoticeCb
from bot.case_picture import case_timeline_png
from bot.routers.calendar import send_file
from bot.routers.common import chat_message, person_today, send
from notices.ics import calendar_filename
from services import Case, Notice, User, cases
from services.calendar import calendar_rows, render, uid_domain
from services.ownership import NotYours
from services.unit import Unit

router = Router(name="cases")


@router.callback_query(CaseCb.filter(F.action == CaseAction.OPEN))
async def open_case(query: CallbackQuery, case: Case, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    view = await cases.case_view(unit, user.id, case.id, user.language)
    text = case_texts.case_view(view, person_today(user), user.language)
    await send(msg, text, keyboards.case_keyboard(view.case, view.notices))


@router.callback_query(CaseCb.filter(F.action == CaseAction.TIMELINE))
async def case_picture(query: CallbackQuery, case: Case, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    view = await cases.case_view(unit, user.id, case.id, user.language)
    title = case_texts.case_title(view.case)
    await msg.answer_photo(BufferedInputFile(case_timeline_png(view, user.language), filename="timeline-case.png"),
                           caption=_("Timeline of the case {case}").format(case=texts.esc(title)))


@router.callback_query(CaseCb.filter(F.action == CaseAction.CALENDAR))
async def case_calendar(query: CallbackQuery, case: Case, unit: Unit, user: User, settings: Settings,
                        callback_answer: CallbackAnswer) -> None:
    rows = await calendar_rows(unit.session, user, case_id=case.id)
    if not rows:
        callback_answer.text = _("No notice in this case has a response date yet. Edit a notice to add the "
                                 "date printed on it.")
        callback_answer.show_alert = True
        return
    if (msg := chat_message(query)) is None:
        return
    body = render(rows, user, now=datetime.now(UTC), domain=uid_domain(settings.public_url), for_import=True)
    title = _("📅 <b>Calendar for the case {case}</b>: {count} deadlines, with reminders.").format(
        case=texts.esc(case_texts.case_title(case)), count=len(rows))
    await send_file(msg, body, calendar_filename().replace(".ics", f"-case-{case.id}.ics"), title)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.MOVE))
async def ask_where(query: CallbackQuery, notice: Notice, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is None:
        return
    others = await cases.other_cases(unit, user.id, notice)
    text = _("Move {code} to which case? A case is one debt: the same tax form and tax year.").format(
        code=texts.esc(notice.code))
    await msg.answer(text, reply_markup=keyboards.move_keyboard(notice.id, others))


@router.callback_query(MoveCb.filter())
async def move(query: CallbackQuery, callback_data: MoveCb, notice: Notice, unit: Unit, user: User,
               callback_answer: CallbackAnswer) -> None:
    try:
        moved = await cases.move(unit, user.id, notice.id, callback_data.to or None)
    except NotYours:  # the target case was emptied, deleted, or is not theirs
        callback_answer.text, callback_answer.show_alert = _(
            "That case no longer exists. Tap Move again to see your cases now."), True
        return
    plain_title = case_texts.case_title(moved.case)  # a button's answer is plain text
    callback_answer.text = (_("Moved {code} to the case {case}.") if moved.changed else
                            _("{code} is already in the case {case}.")).format(code=notice.code, case=plain_title)
    title = texts.esc(plain_title)
    if (msg := chat_message(query)) is not None and moved.changed:
        view = await cases.case_view(unit, user.id, moved.case.id, user.language)
        head = _("Moved {code} to the case {case}.").format(code=texts.esc(notice.code), case=title)
        await send(msg, head + "\n\n" + case_texts.case_view(view, person_today(user), user.language),
                   keyboards.case_keyboard(view.case, view.notices))
