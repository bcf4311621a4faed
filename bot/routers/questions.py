"""Questions in plain words ("is this letter real?", "can I pay monthly?", "what does CP504 mean?",
"it says final notice at the top"): a short sourced answer, then the one next step for the person's
own most urgent notice. Tried before intake, so a question that names a code is not taken for a notice;
a question that also carries a notice's details is answered and then read as a notice too."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.routers import intake as intake_router
from bot.routers.common import chat_message, notice_assessment, person_today, send
from notices import catalog, checklists, intent, questions, reader
from notices.questions import Answer, Question, Topic
from services import Notice, User, queries
from services.unit import Unit

router = Router(name="questions")

NOT_LISTED = "-"


class WhichCodeCb(CallbackData, prefix="qc"):
    code: str  # a catalog code, or NOT_LISTED


@router.message(F.text & ~F.text.startswith("/"))
async def on_question(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    text = message.text or ""
    q = questions.understand(text)
    if q is None:
        raise SkipHandler  # intake reads it as a notice, or the fallback answers
    found = reader.read(text, person_today(user), user.language)
    carries_notice = intent.carries_notice(found)
    if q.topic is Topic.CODE_MEANING and carries_notice:
        raise SkipHandler  # "CP504, what does it mean, $5,000 dated Nov 3": the card explains it
    if q.topic is Topic.HEADING and (found.notice or carries_notice):
        raise SkipHandler  # "I got a CP14, balance due $1,250": the code is known, the card follows
    if q.topic is Topic.HEADING:
        await _ask_which_code(message, q, user.language)
        return
    notices = await queries.open_notices(unit, user.id)  # most urgent first; read once for text and button
    await send(message, _answer(q, notices, user, with_next_step=not carries_notice), _open_button(notices))
    if carries_notice:
        raise SkipHandler  # and read the notice it carries


@router.callback_query(WhichCodeCb.filter())
async def on_code_chosen(query: CallbackQuery, callback_data: WhichCodeCb, callback_answer: CallbackAnswer,
                         state: FSMContext, unit: Unit, user: User) -> None:
    message = chat_message(query)
    if message is None:
        return
    if callback_data.code == NOT_LISTED or catalog.get(callback_data.code) is None:
        await message.answer(_(
            "The code is printed at the top right of page 1, near the date (for example <b>CP504</b> or "
            "<b>LT11</b>). If there is none, type the heading and the first lines of the letter, or send "
            "a photo or PDF of it."))
        return
    await intake_router.handle_text(message, callback_data.code, state, unit, user)


async def _ask_which_code(message: Message, q: Question, lang: str) -> None:
    rows = [[InlineKeyboardButton(text=_label(code, lang), callback_data=WhichCodeCb(code=code).pack())]
            for code in q.candidates]
    rows.append([InlineKeyboardButton(text=_("None of these / I can't find it"),
                                           callback_data=WhichCodeCb(code=NOT_LISTED).pack())])
    await message.answer(_("Letters with that heading are one of these. Which code is printed at the top "
                           "right of your letter?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


def _label(code: str, lang: str) -> str:
    info = catalog.get(code)
    title = info.title.get(lang) if info else ""
    return f"{code}: {title}"[:60]


def _answer(q: Question, notices: list[Notice], user: User, *, with_next_step: bool) -> str:
    lang = user.language
    if q.topic is Topic.CODE_MEANING and q.code is not None:
        found = questions.code_answer(q.code, lang)
        body = _sourced(found) if found else ""
        return body + "\n\n" + _("If you have this notice, send me its date and amount and I will work out "
                                 "your deadline.")
    if q.topic in (Topic.MY_DEADLINE, Topic.WHAT_TO_DO):
        return _next_steps(notices, user, detailed=True)
    fixed = questions.answer(q.topic, lang)
    body = _sourced(fixed) if fixed else ""
    if with_next_step:
        body += "\n\n" + _next_steps(notices, user, detailed=False)
    return body


def _sourced(a: Answer) -> str:
    return texts.esc(a.text) + "\n\n" + _("Sources:") + "\n" + "\n".join(f"• {texts.esc(s)}" for s in a.sources)


def _next_steps(notices: list[Notice], user: User, *, detailed: bool) -> str:
    """The one next step for the person's most urgent open notice (or how to start)."""
    if not notices:
        return _("<b>Next step:</b> send me what your IRS letter says (the code at the top right, the amount "
                 "and the date), or a photo or PDF of it. I will work out your deadline and remind you.")
    today = person_today(user)
    lines = []
    for n in notices[: 3 if detailed else 1]:
        a = notice_assessment(n, today, user.language)
        when = texts.fdate(a.respond_by, user.language) if a.respond_by else _("date not known yet")
        hard = " ⚠️ " + _("a right is lost after this date") if a.hard and a.respond_by else ""
        lines.append(_("<b>{code}</b>: respond by {date} ({left}){hard}").format(
            code=texts.esc(n.code), date=when, left=texts.days_left(a.respond_by, today), hard=hard))
    first = checklists.checklist(notices[0].code, user.language)
    step = _("<b>Next step for {code}:</b> {step}").format(code=texts.esc(notices[0].code),
                                                         step=texts.esc(first[0].text)) if first else ""
    head = _("Your most urgent notices:") if detailed and len(lines) > 1 else _("Your most urgent notice:")
    return "\n".join([head, *lines, "", step]).strip()


def _open_button(notices: list[Notice]) -> InlineKeyboardMarkup | None:
    if not notices:
        return None
    n = notices[0]
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=_("Open {code}").format(code=n.code), callback_data=NoticeCb(action=NoticeAction.VIEW, notice_id=n.id).pack())]])
