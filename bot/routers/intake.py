"""Registering a notice: free text, PDFs and photos become a confirmation card; missing fields are
asked one at a time; Save commits, then says so. Works at any moment, onboarding or not."""

from __future__ import annotations

import io
import logging
from typing import Any

from aiogram import BaseMiddleware, Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

import documents
from bot import intake, keyboards, texts
from bot.keyboards import DraftCb
from bot.middlewares import Handler
from bot.routers.common import chat_message, notice_assessment, person_today, send
from notices import reader
from services import User, queries
from services import notices as cases
from services.unit import Unit

log = logging.getLogger("noticebot.intake")
router = Router(name="intake")

PDF_TYPES = {"application/pdf", "application/x-pdf"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/tiff", "image/bmp"}


class Intake(StatesGroup):
    answering = State()  # a question about the draft is open; any other notice still gets through


async def _load(state: FSMContext) -> intake.DraftData | None:
    raw = (await state.get_data()).get("draft")
    return intake.DraftData.load(raw) if raw else None


async def _keep(state: FSMContext, draft: intake.DraftData | None) -> None:
    await state.update_data(draft=draft.dump() if draft else None)
    await state.set_state(Intake.answering if draft and draft.asking else None)


async def show_card(message: Message, draft: intake.DraftData, state: FSMContext, unit: Unit,
                    user: User) -> None:
    """Ask the next missing field (if any) and show what we understood so far."""
    today = person_today(user)
    draft.asking = draft.next_question()
    assessment = intake.assess_draft(draft, today, user.language)
    code = assessment.info.code if assessment.info is not None else draft.code
    earlier = await queries.same_case(unit, user.id, code, draft.tax_years)
    await _keep(state, draft)
    text = texts.draft_card(draft, assessment, today, user.language, earlier)
    await send(message, text, keyboards.draft_keyboard(draft.token, draft.asking))


# What a document is when it is not an IRS notice about money owed (reader.Draft.not_notice).
def _not_notice_text(kind: str) -> str:
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


async def handle_text(message: Message, text: str, state: FSMContext, unit: Unit, user: User,
                      *, from_file: bool = False) -> bool:
    """Read ``text`` as one or more notices; False when it is neither a notice nor something to warn about."""
    today = person_today(user)
    drafts = reader.read_all(text, today, user.language)
    found = reader.best(drafts)
    if found.redacted:
        await message.answer(texts.ssn_removed(found.redacted_kinds))
    if found.scam_signals:
        await send(message, texts.scam_warning(user.language))
    draft = await _load(state)
    if draft is not None and draft.asking and await state.get_state() == Intake.answering.state \
            and not from_file and not (found.notice and found.notice != draft.code and draft.asking != "code"):
        if not draft.answer(draft.asking, "".join(d.text for d in drafts), today, user.language):
            if not found.scam_signals:
                await message.answer(texts.bad_answer(draft.asking))
            return True
        await show_card(message, draft, state, unit, user)
        return True
    if found.scam_signals:
        return True  # a scam message gets the scam answer, never a card to save
    if found.not_notice:
        await message.answer(_not_notice_text(found.not_notice))
        return True
    notices_found = [d for d in drafts if intake.looks_like_notice(d)]
    if notices_found:
        first, *rest = notices_found
        await state.update_data(pending=[intake.DraftData.from_reader(d).dump() for d in rest])
        if rest:
            codes = ", ".join(d.notice or "?" for d in notices_found)
            await message.answer(_("I found {count} notices here ({codes}). I will show them one at a time: "
                                   "save or cancel this one and the next one follows.").format(
                count=len(notices_found), codes=codes))
        await show_card(message, intake.DraftData.from_reader(first), state, unit, user)
        return True
    if from_file:
        await message.answer(_("I could not find a notice code, amount or date in that file. "
                               "Please type what the letter says, for example <i>CP14, tax year 2024, "
                               "$1,250, dated Nov 3</i>."))
        return True
    return bool(found.scam_signals or found.redacted)


async def show_next_pending(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    """After a card is saved or cancelled: the next notice found in the same message, if any."""
    pending = (await state.get_data()).get("pending") or []
    if pending:
        await state.update_data(pending=pending[1:])
        await show_card(message, intake.DraftData.load(pending[0]), state, unit, user)


# No state filter: the routers before this one take the answers to their own questions.
@router.message(F.text & ~F.text.startswith("/"))
async def on_text(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    if not await handle_text(message, message.text or "", state, unit, user):
        raise SkipHandler  # not about a notice: the fallback answers


# --- files ------------------------------------------------------------------------------------


async def _download(bot: Bot, file_id: str) -> bytes:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return buffer.getvalue()


def _unreadable_text(reason: str) -> str:
    why = {
        "damaged": _("I could not open that file; it may be damaged."),
        "password": _("That PDF is protected with a password, so I cannot open it. Please send a copy "
                      "without a password (most PDF viewers can print it to a new PDF)."),
        "too_big": _("That file is too large for me to read."),
        "too_much_text": _("That file has far more text than an IRS notice. Please send only the pages "
                           "of the notice."),
        "timeout": _("Reading that file took too long."),
        "no_ocr": _("I cannot read photos or scans on this server yet."),
    }[reason]
    return why + " " + _("Please type what the letter says, for example <i>CP14, tax year 2024, $1,250, "
                         "dated Nov 3</i>.")


async def _read_file(message: Message, bot: Bot, file_id: str, size: int | None, kind: str,
                     state: FSMContext, unit: Unit, user: User) -> None:
    if size and size > documents.MAX_FILE_BYTES:
        await message.answer(_("That file is too big for me. Please type what the letter says instead."))
        return
    if kind == "photo" and not documents.ocr_available():
        await message.answer(_unreadable_text("no_ocr"))
        return
    data = await _download(bot, file_id)
    try:
        text = await documents.read(data, kind)  # in a worker process, with a time limit
    except documents.Unreadable as exc:
        log.info("file not readable", extra={"kind": kind, "error": exc.reason})
        await message.answer(_unreadable_text(exc.reason))
        return
    finally:
        del data  # the file itself is never kept
    if not text.strip():
        hint = _("I could not read any text in it.") if kind == "pdf" else _("I could not read the text in that photo.")
        await message.answer(hint + " " + _("Please type what the letter says, for example <i>CP14, tax year "
                                            "2024, $1,250, dated Nov 3</i>, or try a sharper, flat photo."))
        return
    caption = message.caption or ""
    await handle_text(message, f"{caption}\n{text}", state, unit, user, from_file=True)


@router.message(F.document)
async def on_document(message: Message, bot: Bot, state: FSMContext, unit: Unit, user: User) -> None:
    doc = message.document
    assert doc is not None
    mime = (doc.mime_type or "").split(";")[0].lower()
    name = (doc.file_name or "").lower()
    if mime in PDF_TYPES or name.endswith(".pdf"):
        kind = "pdf"
    elif mime in IMAGE_TYPES or name.endswith((".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff")):
        kind = "photo"
    else:
        await message.answer(_("I can read PDFs and photos of a notice. For anything else, please type what "
                               "the letter says."))
        return
    await _read_file(message, bot, doc.file_id, doc.file_size, kind, state, unit, user)


@router.message(F.photo)
async def on_photo(message: Message, bot: Bot, state: FSMContext, unit: Unit, user: User) -> None:
    photo = (message.photo or [])[-1]
    await _read_file(message, bot, photo.file_id, photo.file_size, "photo", state, unit, user)


# --- the confirmation card's buttons ------------------------------------------------------------


class CurrentDraft(BaseMiddleware):
    """Inner middleware of this router's card buttons: the handler gets the draft the card shows
    (``draft``); a card that was saved, cancelled or replaced is refused here, once."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        pressed = data.get("callback_data")
        if not isinstance(pressed, DraftCb):
            return await handler(event, data)
        if pressed.action == "save":
            saved_drafts = (await data["state"].get_data()).get("saved_drafts") or {}
            if pressed.token in saved_drafts:  # a second tap on Save: it is saved, once
                data["callback_answer"].text = _("Saved.")
                return None
        draft = await _load(data["state"])
        if draft is None or draft.token != pressed.token:
            answer: CallbackAnswer = data["callback_answer"]
            answer.text = _("This card is out of date (it was saved, cancelled or replaced). "
                            "Send the notice details again, or see /notices.")
            answer.show_alert = True
            return None
        data["draft"] = draft
        return await handler(event, data)


router.callback_query.middleware(CurrentDraft())


@router.callback_query(DraftCb.filter(F.action == "save"))
async def on_save(query: CallbackQuery, draft: intake.DraftData, state: FSMContext, unit: Unit, user: User,
                  callback_answer: CallbackAnswer) -> None:
    saved_drafts: dict[str, int] = (await state.get_data()).get("saved_drafts") or {}
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
    )  # committed: saved before we say so
    await _forget_draft(state, saved_drafts, draft.token, saved.notice.id)
    msg = chat_message(query)
    if saved.duplicate:
        if msg is not None:
            await msg.edit_reply_markup(reply_markup=None)
            await msg.answer(_("You already saved this notice ({code}, dated {date}). I did not save it again.")
                             .format(code=texts.esc(saved.notice.code),
                                     date=texts.fdate(saved.notice.notice_date, user.language)),
                             reply_markup=keyboards.open_notice_keyboard(saved.notice.id))
            await show_next_pending(msg, state, unit, user)
        return
    callback_answer.text = _("Saved.")
    if msg is None:
        return
    await msg.edit_reply_markup(reply_markup=None)
    notice = saved.notice
    head = _("✅ <b>Saved.</b> I will remind you before the date. Here is your notice:")
    card = texts.notice_card(notice, notice_assessment(notice, today, user.language), today, user.language,
                             saved.earlier)
    await send(msg, head + "\n\n" + card, keyboards.notice_keyboard(notice))
    await show_next_pending(msg, state, unit, user)


async def _forget_draft(state: FSMContext, saved_drafts: dict[str, int], token: str, notice_id: int) -> None:
    """The draft is done; its token is remembered (the last 20) so a repeated Save is answered calmly."""
    recent = dict(list(saved_drafts.items())[-19:]) | {token: notice_id}
    await state.update_data(draft=None, saved_drafts=recent)
    await state.set_state(None)


@router.callback_query(DraftCb.filter(F.action == "cancel"))
async def on_cancel(query: CallbackQuery, state: FSMContext, unit: Unit, user: User) -> None:
    await state.update_data(draft=None)
    await state.set_state(None)
    if (msg := chat_message(query)) is not None:
        await msg.edit_reply_markup(reply_markup=None)
        await msg.answer(_("Cancelled. Nothing was saved."))
        await show_next_pending(msg, state, unit, user)


@router.callback_query(DraftCb.filter(F.action == "fix"))
async def on_fix(query: CallbackQuery, draft: intake.DraftData) -> None:
    if (msg := chat_message(query)) is not None:
        asks_abroad = bool(draft.info and draft.info.stage_key == "deficiency")
        await msg.answer(_("Which field should I fix?"),
                         reply_markup=keyboards.draft_fields_keyboard(draft.token, abroad=asks_abroad))


@router.callback_query(DraftCb.filter(F.action == "field"))
async def on_field(query: CallbackQuery, callback_data: DraftCb, draft: intake.DraftData, state: FSMContext) -> None:
    if callback_data.field not in keyboards.DRAFT_FIELDS:
        return
    draft.asking = callback_data.field
    if draft.asking in draft.unknown:
        draft.unknown.remove(draft.asking)
    await _keep(state, draft)
    if (msg := chat_message(query)) is not None:
        await msg.answer(texts.question(draft.asking, draft.info) + "\n" + _("Type the new value."),
                         reply_markup=keyboards.draft_keyboard(draft.token, draft.asking))


@router.callback_query(DraftCb.filter(F.action == "skip"))
async def on_skip(query: CallbackQuery, callback_data: DraftCb, draft: intake.DraftData, state: FSMContext,
                  unit: Unit, user: User) -> None:
    field = callback_data.field if callback_data.field in keyboards.DRAFT_FIELDS else draft.asking
    if field and field not in draft.unknown:
        draft.unknown.append(field)
    if (msg := chat_message(query)) is not None:
        await show_card(msg, draft, state, unit, user)
