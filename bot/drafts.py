"""The draft notices a person has open, and saving one.

Each confirmation card is its own draft (its token is on its buttons) until it is saved or cancelled,
so a person can send three notices in a row and save them in any order. The latest draft (the card
shown or changed last) takes typed answers and plain-language corrections. Drafts live in the FSM
storage (memory or Redis) as JSON; the tokens of recently saved and cancelled cards are remembered so
a second tap is answered calmly. The latest saved notice is remembered for corrections after Save.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot import intake, keyboards, texts
from bot.intake import DraftData
from bot.routers.common import notice_assessment, person_today, send
from services import User, queries
from services import notices as cases
from services.unit import Unit

MAX_OPEN = 10  # open cards kept; an older one's buttons then say it is out of date
REMEMBERED = 20  # saved / cancelled tokens remembered for a calm second tap


class Intake(StatesGroup):
    answering = State()  # the latest draft asks a question; any other notice still gets through


async def open_drafts(state: FSMContext) -> dict[str, DraftData]:
    """Every open draft by token, the latest last."""
    raw = (await state.get_data()).get("drafts") or {}
    return {token: DraftData.load(d) for token, d in raw.items()}


async def get(state: FSMContext, token: str) -> DraftData | None:
    return (await open_drafts(state)).get(token)


async def latest(state: FSMContext) -> DraftData | None:
    drafts = await open_drafts(state)
    return next(reversed(drafts.values()), None)


async def keep(state: FSMContext, draft: DraftData) -> None:
    """Store ``draft`` as the latest (the oldest beyond MAX_OPEN are dropped)."""
    drafts = await open_drafts(state)
    drafts.pop(draft.token, None)
    drafts[draft.token] = draft
    await _store(state, dict(list(drafts.items())[-MAX_OPEN:]))


async def close(state: FSMContext, token: str, saved_notice_id: int | None = None) -> None:
    """The draft is done (saved as ``saved_notice_id``, or cancelled)."""
    data = await state.get_data()
    drafts = await open_drafts(state)
    drafts.pop(token, None)
    if saved_notice_id is not None:
        saved = dict(list((data.get("saved_drafts") or {}).items())[-(REMEMBERED - 1):]) | {token: saved_notice_id}
        await state.update_data(saved_drafts=saved, last_notice=saved_notice_id)
    else:
        cancelled = [*(data.get("cancelled_drafts") or [])[-(REMEMBERED - 1):], token]
        await state.update_data(cancelled_drafts=cancelled)
    await _store(state, drafts)


async def saved_as(state: FSMContext, token: str) -> int | None:
    return ((await state.get_data()).get("saved_drafts") or {}).get(token)


async def was_cancelled(state: FSMContext, token: str) -> bool:
    return token in ((await state.get_data()).get("cancelled_drafts") or [])


async def last_notice_id(state: FSMContext) -> int | None:
    return (await state.get_data()).get("last_notice")


async def remember_notice(state: FSMContext, notice_id: int) -> None:
    await state.update_data(last_notice=notice_id)


async def _store(state: FSMContext, drafts: dict[str, DraftData]) -> None:
    await state.update_data(drafts={token: d.dump() for token, d in drafts.items()})
    current = await state.get_state()
    if current in (None, Intake.answering.state):  # never end another open question (an edit, a form)
        newest = next(reversed(drafts.values()), None)
        await state.set_state(Intake.answering if newest is not None and newest.asking else None)


async def show_card(message: Message, draft: DraftData, state: FSMContext, unit: Unit, user: User,
                    *, head: str = "") -> None:
    """Ask the draft's next missing field (if any) and show what we understood so far; the card
    becomes the latest."""
    today = person_today(user)
    draft.asking = draft.next_question()
    assessment = intake.assess_draft(draft, today, user.language)
    code = assessment.info.code if assessment.info is not None else draft.code
    earlier = await queries.same_case(unit, user.id, code, draft.tax_years)
    await keep(state, draft)
    text = texts.draft_card(draft, assessment, today, user.language, earlier)
    await send(message, (head + "\n\n" if head else "") + text, keyboards.draft_keyboard(draft.token, draft.asking))


async def ask_before_saving(message: Message, draft: DraftData, state: FSMContext) -> bool:
    """Save was pressed: ask what matters first (a hard notice's date, the tax year), with "I don't
    know" on the question; True when a question was asked (the draft is saved once it is answered)."""
    field = draft.before_saving()
    if field is None:
        return False
    draft.asking, draft.saving = field, True
    await keep(state, draft)
    await message.answer(_("One question before I save it:") + "\n" + texts.question(field, draft.info),
                         reply_markup=keyboards.draft_keyboard(draft.token, field))
    return True


async def save(message: Message, draft: DraftData, state: FSMContext, unit: Unit, user: User) -> bool:
    """Save the draft (committed before we say so) and show the saved notice; False for a duplicate."""
    today = person_today(user, unit.now())
    a = intake.assess_draft(draft, today, user.language)
    amount = draft.amount_decimal
    saved = await cases.register(
        unit, user.id,
        code=(a.info.code if a.info else draft.code) or intake.UNKNOWN_CODE,
        tax_years=sorted(draft.tax_years),
        amount_cents=int(amount * 100) if amount is not None else None,
        notice_date=draft.day("notice_date"), stated_due_date=draft.day("due_date"),
        received_date=draft.day("received_date"), respond_by=a.respond_by,
        respond_by_estimated=a.estimated or a.respond_by is None, abroad=draft.abroad,
    )
    await close(state, draft.token, saved.notice.id)
    notice = saved.notice
    if saved.duplicate:
        await message.answer(_("You already saved this notice ({code}, dated {date}). I did not save it again.")
                             .format(code=texts.esc(notice.code), date=texts.fdate(notice.notice_date, user.language)),
                             reply_markup=keyboards.open_notice_keyboard(notice.id))
        return False
    head = _("✅ <b>Saved.</b> I will remind you before the date. Here is your notice:")
    card = texts.notice_card(notice, notice_assessment(notice, today, user.language), today, user.language,
                             saved.earlier)
    await send(message, head + "\n\n" + card, keyboards.notice_keyboard(notice))
    return True
