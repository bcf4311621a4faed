"""/start (a welcome that never blocks), /help, /privacy, /scam and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot import texts
from bot.routers.settings import ask_state
from notices.checklists import scam_guide
from services import User

router = Router(name="basic")


def welcome_text() -> str:
    return _(
        "<b>Hi! I help with IRS letters that say you owe money.</b>\n\n"
        "Tell me what your letter says, for example:\n"
        "<i>got a CP14 for 2024, owe $3,412.18, dated Nov 3</i>\n"
        "or send a photo or PDF of it. I will explain what it means, work out your deadline, "
        "remind you before it passes and help you respond.\n\n"
        "I never need your Social Security number: if you send one, I delete it."
    )


def help_text() -> str:
    return _(
        "<b>What I can do</b>\n"
        "• Send the details of an IRS notice (code, tax year, amount, date) or a photo / PDF of it.\n"
        "• /notices: your notices, most urgent first\n"
        "• /summary: a PDF of a case to hand to a tax professional\n"
        "• /checklist, /letter, /timeline, /calendar: help with your most urgent notice\n"
        "• /feed: a private link that keeps your phone's calendar in sync\n"
        "• A case's 👥 Share button: let someone who helps you see it, read-only, until you stop it; "
        "/shared: cases others shared with you\n"
        "• /scam: how to tell a real IRS letter or call from a scam\n"
        "• /settings: time zone, reminder time, quiet hours, language (/tz, /time, /language)\n"
        "• /export: all your data; /forget: delete it all\n"
        "• /privacy: what I keep and why\n\n"
        "I am not the IRS and not a tax professional. For a hard case, a Low Income Taxpayer Clinic "
        "or the Taxpayer Advocate Service (1-877-777-4778) can help for free or at low cost."
    )


def privacy_text() -> str:
    # Keep in step with storage/models.py and docs/production.md ("Logs and privacy", "Deletion").
    return _(
        "<b>Privacy</b>\n"
        "<b>What I store</b>\n"
        "• About you: your Telegram id, language, time zone, reminder time, quiet hours, reminder days, "
        "whether notes go into calendars, and a fingerprint of your calendar link (not the link).\n"
        "• For each notice you save: its code, tax years, amount, dates, status, the IRS phone number "
        "and your notes; its history (status changes, calls and letters you log, checklist ticks); its "
        "reminders (when, and whether they were sent).\n"
        "• While you answer my questions: your draft, until you save or cancel it.\n"
        "• Never: Social Security numbers, ITINs or EINs (I remove them, and tell you when I do), "
        "and never your photos or PDFs (read, then thrown away).\n"
        "<b>Where it goes</b>\n"
        "• Messages pass through Telegram. Nothing is sold, and nothing is shared unless you share it.\n"
        "• A case you share (its 👥 Share button) can be seen, not changed, by the person you invite or "
        "anyone with its web link, until you stop sharing; for an invited person I keep their Telegram "
        "first name so you can see who has access, and they get copies of the case's reminders.\n"
        "• Calendar files (/calendar) and your live calendar link carry your deadlines, codes and "
        "amounts; your notes and the IRS phone number only if you turn that on in /settings. Your "
        "calendar app keeps its own copy, and anyone with your link can read it (/feed reset "
        "replaces the link).\n"
        "• My logs hold no text you send: only numbers that identify updates, and a coded id for you.\n"
        "<b>For how long</b>\n"
        "• Until you delete a notice (its 🗑 button) or everything (/forget). Nothing expires on "
        "its own; copies in the operator's backups last until those backups are replaced.\n"
        "• /export sends you all of it at any time."
    )


@router.message(CommandStart())
async def start(message: Message, user: User, state: FSMContext) -> None:
    if user.timezone_confirmed:
        await message.answer(welcome_text())
    else:  # one message: the welcome, then the state question with its buttons
        await ask_state(message, state, intro=welcome_text())


@router.message(Command("help"))
async def help_(message: Message) -> None:
    await message.answer(help_text())


@router.message(Command("privacy"))
async def privacy(message: Message) -> None:
    await message.answer(privacy_text())


@router.message(Command("scam", "estafa"))
async def scam(message: Message, user: User) -> None:
    await message.answer(texts.esc(scam_guide(user.language)))


@router.message(Command("cancel", "cancelar"))
async def cancel(message: Message, state: FSMContext) -> None:
    """Leave whatever question is open; a draft card stays until replaced."""
    await state.set_state(None)
    await message.answer(_("OK, cancelled. Send me a notice any time, or /help."))
