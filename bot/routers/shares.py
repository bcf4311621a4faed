"""Sharing a case read-only (issue 16). The owner: "👥 Share this case" lists who has access and
creates a one-time Telegram invite or a private web link, and revokes one in a tap. The invited
person: opens the bot with the invite's deep link (``/start <token>``), then sees that case, and
only it, read-only (/shared lists the cases shared with them). The case reaches these handlers
through ``bot.middlewares.OwnedCaseMiddleware``: may change for the owner's buttons, may view for
the viewer's; a viewer's press on any button that changes something is refused there."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from app.config import Settings
from bot import share_texts
from bot.callbacks import ShareAction, ShareCb, SharedCb
from bot.routers.common import chat_message, person_today, send
from services import Case, User, shares
from services.feeds import looks_like_token
from services.ownership import NotYours
from services.unit import Unit
from web.share import share_url

router = Router(name="shares")


@router.message(CommandStart(deep_link=True, magic=F.args.func(looks_like_token)))
async def accept_invite(message: Message, command: CommandObject, unit: Unit, user: User) -> None:
    first_name = message.from_user.first_name if message.from_user else ""
    got = await shares.accept(unit, user.id, first_name, command.args or "")
    await message.answer(share_texts.invite_answer(got.outcome))
    if got.case is not None and got.outcome is not shares.Invite.OWN:
        await _show_case(message, unit, user, got.case.id)


@router.message(Command("shared", "compartidos"))
async def shared_list(message: Message, unit: Unit, user: User) -> None:
    text, markup = share_texts.shared_list(await shares.shared_with(unit, user.id))
    await message.answer(text, reply_markup=markup)


async def _show_case(message: Message, unit: Unit, user: User, case_id: int) -> None:
    view = await shares.view_shared(unit, user.id, case_id, user.language)
    text, markup = share_texts.shared_case(view, person_today(user), user.language)
    await send(message, text, markup)


@router.callback_query(SharedCb.filter())
async def shared_case(query: CallbackQuery, callback_data: SharedCb, case: Case, unit: Unit, user: User,
                      callback_answer: CallbackAnswer) -> None:
    if (msg := chat_message(query)) is None:
        return
    if not callback_data.notice:
        await _show_case(msg, unit, user, case.id)
        return
    view = await shares.view_shared(unit, user.id, case.id, user.language)
    notice = next((n for n in view.notices if n.id == callback_data.notice), None)
    if notice is None:  # moved out of the shared case, or deleted
        callback_answer.text, callback_answer.show_alert = _("That notice is no longer in this case."), True
        return
    await send(msg, share_texts.shared_notice(notice, person_today(user), user.language),
               share_texts.back_to_shared(case.id))


async def _menu(msg: Message, unit: Unit, user: User, case: Case) -> None:
    text, markup = share_texts.shares_menu(case, await shares.shares_of(unit, user.id, case.id), user.language)
    await msg.answer(text, reply_markup=markup)


@router.callback_query(ShareCb.filter(F.action == ShareAction.MENU))
async def menu(query: CallbackQuery, case: Case, unit: Unit, user: User) -> None:
    if (msg := chat_message(query)) is not None:
        await _menu(msg, unit, user, case)


@router.callback_query(ShareCb.filter(F.action.in_({ShareAction.INVITE, ShareAction.LINK})))
async def create(query: CallbackQuery, callback_data: ShareCb, case: Case, unit: Unit, user: User,
                 settings: Settings) -> None:
    if (msg := chat_message(query)) is None:
        return
    kind = shares.TELEGRAM if callback_data.action == ShareAction.INVITE else shares.WEB
    new = await shares.create(unit, user.id, case.id, kind, user.language)
    if kind == shares.TELEGRAM:
        me = await msg.bot.me() if msg.bot else None
        text = share_texts.new_invite(f"https://t.me/{me.username if me else ''}?start={new.token}")
    else:
        text = share_texts.new_link(share_url(settings.base_public_url, new.token))
    await msg.answer(text, disable_web_page_preview=True)
    await _menu(msg, unit, user, case)


@router.callback_query(ShareCb.filter(F.action == ShareAction.REVOKE))
async def revoke(query: CallbackQuery, callback_data: ShareCb, case: Case, unit: Unit, user: User,
                 callback_answer: CallbackAnswer) -> None:
    try:
        changed = await shares.revoke(unit, user.id, case.id, callback_data.share)
    except NotYours:  # pragma: no cover - the middleware checked the case just before
        return
    callback_answer.text = _("Access revoked: it ends now.") if changed else _("That access was already revoked.")
    if changed and (msg := chat_message(query)) is not None:
        await _menu(msg, unit, user, case)
