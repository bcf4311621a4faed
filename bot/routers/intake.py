"""Registering a notice: free text, PDFs and photos become confirmation cards (one per notice found,
each its own draft: ``bot.drafts``); the latest card's missing fields are asked one at a time. The
card's buttons are in ``bot.routers.draft_card``. Works at any moment, onboarding or not."""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

import documents
from bot import drafts, intake, not_notice, texts
from bot.i18n import words
from bot.routers.common import person_today, send
from notices import reader
from services import User
from services.unit import Unit

log = logging.getLogger("noticebot.intake")
router = Router(name="intake")

PDF_TYPES = {"application/pdf", "application/x-pdf"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/tiff", "image/bmp"}


async def handle_text(message: Message, text: str, state: FSMContext, unit: Unit, user: User,
                      *, from_file: bool = False) -> bool:
    """Read ``text`` as one or more notices; False when it is neither a notice nor something to warn about."""
    today = person_today(user)
    found_all = reader.read_all(text, today, user.language)
    found = reader.best(found_all)
    if found.redacted:
        await message.answer(texts.ssn_removed(found.redacted_kinds))
    if found.scam_signals:
        await send(message, texts.scam_warning(user.language))
    draft = await drafts.latest(state)
    if draft is not None and draft.asking and await state.get_state() == drafts.Intake.answering.state \
            and not from_file and not (found.notice and found.notice != draft.code and draft.asking != "code"):
        if not draft.answer(draft.asking, "".join(d.text for d in found_all), today, user.language):
            if not found.scam_signals:
                await message.answer(texts.bad_answer(draft.asking))
            return True
        if draft.saving and draft.before_saving() is None:
            await drafts.save(message, draft, state, unit, user)  # Save was pressed: this was all it waited for
        else:
            await drafts.show_card(message, draft, state, unit, user)
        return True
    if found.scam_signals:
        return True  # a scam message gets the scam answer, never a card to save
    if found.not_notice and found.not_notice != "irs_letter":  # a W-2, a statement...: the whole document
        await message.answer(not_notice.document_text(found.not_notice, words(user.language)))
        return True
    letters_found = {d.notice: d for d in found_all if d.not_notice == "irs_letter"}  # CP01A, CP09...: once each
    for letter in letters_found.values():
        await send(message, not_notice.letter_text(letter, today, words(user.language)))
    notices_found = [d for d in found_all if d.not_notice is None and intake.looks_like_notice(d)]
    if notices_found:
        if len(notices_found) > 1:
            codes = ", ".join(d.notice or "?" for d in notices_found)
            await message.answer(_("I found {count} notices here ({codes}). Each has its own card below: "
                                   "save or cancel them in any order.").format(count=len(notices_found), codes=codes))
        for found_notice in notices_found:
            await drafts.show_card(message, intake.DraftData.from_reader(found_notice), state, unit, user)
        return True
    if letters_found:
        return True
    if from_file:
        await message.answer(_("I could not find a notice code, amount or date in that file. "
                               "Please type what the letter says, for example <i>CP14, tax year 2024, "
                               "$1,250, dated Nov 3</i>."))
        return True
    return bool(found.scam_signals or found.redacted)


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
