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
        "• /checklist, /letter, /timeline, /calendar: help with your most urgent notice\n"
        "• /feed: a private link that keeps your phone's calendar in sync\n"
        "• /scam: how to tell a real IRS letter or call from a scam\n"
        "• /settings: time zone, reminder time, quiet hours, language (/tz, /time, /language)\n"
        "• /export: all your data; /forget: delete it all\n"
        "• /privacy: what I keep and why\n\n"
        "I am not the IRS and not a tax professional. For a hard case, a Low Income Taxpayer Clinic "
        "or the Taxpayer Advocate Service (1-877-777-4778) can help for free or at low cost."
    )


def privacy_text() -> str:
    return _(
        "<b>Privacy</b>\n"
        "• I keep only what you confirm about each notice: code, tax years, amount, dates, status, "
        "your notes and calls you log, plus your language, time zone and reminder settings.\n"
        "• Social Security numbers, ITINs and EINs are removed before anything is stored or logged.\n"
        "• Photos and PDFs are read and thrown away; only the details found in them are kept.\n"
        "• Only you can see your data. /export sends you all of it; /forget deletes all of it."
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
