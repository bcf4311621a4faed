"""Looking after saved notices: /notices, the notice card and its buttons, /checklist, /letter,
/timeline. Every button re-checks that the notice belongs to the person pressing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import intake, keyboards, texts
from bot.callbacks import NoticeAction, NoticeCb
from bot.i18n import words
from bot.keyboards import ChecklistCb, EditCb, ListCb, LogCb
from bot.routers.common import chat_message, local_today, notice_assessment, owned_notice, poke, send, utcnow
from notices import catalog, checklists, letter, reader, timeline
from notices.redact import redact
from notices.words import short_date
from scheduler.planner import replan_notice
from storage import notices as store
from storage.models import Notice, NoticeStatus, User

router = Router(name="notices")

STATUS_OF = {
    NoticeAction.PAID: NoticeStatus.PAID, NoticeAction.PLAN: NoticeStatus.PLAN,
    NoticeAction.DISPUTED: NoticeStatus.DISPUTED, NoticeAction.CLOSED: NoticeStatus.CLOSED,
    NoticeAction.REOPEN: NoticeStatus.OPEN,
}
LOG_STEPS = {"call": ("date", "agent", "badge", "agreed", "confirmation"), "letter": ("date", "agreed", "confirmation")}
MAX_FIELD = 500  # a logged answer or a note; longer is cut, never refused


class EditNotice(StatesGroup):
    value = State()


class LogContact(StatesGroup):
    value = State()


# --- showing ----------------------------------------------------------------------------------


async def card_text(session: AsyncSession, n: Notice, user: User) -> str:
    today = local_today(user)
    a = notice_assessment(n, today, user.language)
    earlier = []
    if a.info is not None:
        earlier = await store.same_case(session, user.id, n.tax_years or (), a.info.stage, exclude_id=n.id)
    text = texts.notice_card(n, a, today, user.language, earlier)
    history = [line for e in await store.events(session, n.id, ("call", "letter", "status"))
               if (line := texts.event_line(e, user.language))]
    if history:
        text += "\n\n" + _("<b>History</b>") + "\n" + "\n".join(f"• {line}" for line in history[-10:])
    return text


async def show_card(target: Message, session: AsyncSession, n: Notice, user: User) -> None:
    await send(target, await card_text(session, n, user), keyboards.notice_keyboard(n))


@router.message(Command("notices"))
async def list_notices(message: Message, command: CommandObject, session: AsyncSession, user: User) -> None:
    include_closed = (command.args or "").strip().lower() in {"all", "closed", "todos", "todas", "cerrados"}
    await _send_list(message, session, user, include_closed)


@router.callback_query(ListCb.filter())
async def list_closed(query: CallbackQuery, callback_data: ListCb, session: AsyncSession, user: User) -> None:
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await _send_list(msg, session, user, callback_data.closed)


async def _send_list(message: Message, session: AsyncSession, user: User, include_closed: bool) -> None:
    notices = await store.list_for(session, user.id, include_closed=include_closed)
    closed = 0 if include_closed else await store.count_closed(session, user.id)
    today = local_today(user)
    facts = {n.id: notice_assessment(n, today, user.language) for n in notices}
    text = texts.notices_list(notices, facts, today, user.language, closed, include_closed)
    await send(message, text, keyboards.list_keyboard(notices, show_closed_button=closed > 0))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.VIEW))
async def view(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, user: User) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await show_card(msg, session, n, user)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.MEANING))
async def meaning(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, user: User) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await send(msg, texts.meaning_text(n, user.language))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.COST))
async def cost_of_waiting(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, user: User) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await send(msg, texts.cost_text(n, local_today(user), user.language))


# --- checklist, timeline, letter: buttons and commands ------------------------------------------


async def checklist_view(session: AsyncSession, n: Notice, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    items = checklists.checklist(n.code, lang)
    done = await store.checklist_done(session, n.id)
    head = _("<b>Checklist for {code}</b> ({done} of {total} done). Tap an item to tick it.").format(
        code=texts.esc(n.code), done=sum(1 for i in items if i.id in done), total=len(items))
    body = "\n".join(f"{'✅' if i.id in done else '⬜'} {texts.esc(i.text)}" for i in items)
    return head + "\n\n" + body, keyboards.checklist_keyboard(n.id, [(i.text, i.id in done) for i in items])


async def send_checklist(target: Message, session: AsyncSession, n: Notice, user: User) -> None:
    text, markup = await checklist_view(session, n, user.language)
    await send(target, text, markup)


def timeline_png(n: Notice, today: date, lang: str) -> bytes:
    info = catalog.get(n.code)
    a = notice_assessment(n, today, lang)
    by_number: dict[int, list[catalog.NoticeInfo]] = {}
    for entry in catalog.all_notices():
        if entry.audience == "individual":
            by_number.setdefault(entry.stage, []).append(entry)
    current = info.stage if info else None
    numbers = sorted(k for k in by_number if k >= 1 or k == current)
    stage_names = {s.key: s.name.get(lang) for s in catalog.load().stages.values()}
    rungs = []
    for number in numbers:
        entries = by_number[number]
        if info is not None and number == current:
            names = [info.stage_name.get(lang)]
        else:
            names = list(dict.fromkeys(stage_names[e.stage_key] for e in entries))
        rungs.append(timeline.Rung(number, " / ".join(names), ", ".join(e.code for e in entries)))
    # the picture is 900 px wide: Babel's short month names ("Sep 16, 2026", "16 sept 2026")
    when = short_date(a.respond_by, lang) if a.respond_by else _("date not known yet")
    here = _("You are here: {code}, respond by {date}").format(code=n.code, date=when)
    if a.estimated:
        here += " " + _("(estimated)")
    upcoming = []
    for nxt in a.expected:
        nxt_info = catalog.get(nxt.code)
        if nxt_info is None:
            continue
        label = _("{code} expected {start} – {end}").format(
            code=nxt.code, start=short_date(nxt.earliest, lang), end=short_date(nxt.latest, lang))
        if nxt.estimate:
            label += " " + _("(estimate)")
        upcoming.append(timeline.Upcoming(nxt_info.stage, label))
    picture = timeline.Timeline(
        title=_("{code}: where you are on the IRS collection ladder").format(code=n.code),
        rungs=tuple(rungs), current=current, here_label=here, upcoming=tuple(upcoming),
        footer=_("If nothing is done, each step usually follows the one before. Dates of next notices are ranges."),
    )
    return timeline.render(picture)


async def send_timeline(target: Message, session: AsyncSession, n: Notice, user: User) -> None:
    png = timeline_png(n, local_today(user), user.language)
    await target.answer_photo(BufferedInputFile(png, filename=f"timeline-{n.code}.png"),
                              caption=_("Timeline for {code}").format(code=texts.esc(n.code)))


async def send_letter(target: Message, session: AsyncSession, n: Notice, user: User) -> None:
    today = local_today(user)
    data = letter.LetterInput(
        name=_("[Your full name]"), notice_code=n.code,
        notice_date=n.notice_date or n.received_date or n.created_at.date(), today=today,
        tax_years=tuple(n.tax_years or ()),
        amount=Decimal(n.amount_cents) / 100 if n.amount_cents is not None else None,
        address_lines=(_("[Your address]"),),
    )
    text = letter.dispute_letter_text(data, words(user.language))
    pdf = letter.dispute_letter_pdf(data, words(user.language))
    await send(target, _("<b>Dispute letter for {code}</b> — fill in the parts in [brackets], explain why you "
                         "disagree, sign it and mail it to the address on your notice before the date. "
                         "Keep a copy and proof of mailing.").format(code=texts.esc(n.code))
               + "\n\n" + texts.esc(text))
    await target.answer_document(BufferedInputFile(pdf, filename=f"dispute-{n.code}.pdf"))


ACTIONS = {
    NoticeAction.CHECKLIST: send_checklist,
    NoticeAction.TIMELINE: send_timeline,
    NoticeAction.LETTER: send_letter,
}


@router.callback_query(NoticeCb.filter(F.action.in_(set(ACTIONS))))
async def action_button(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, user: User) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await ACTIONS[callback_data.action](msg, session, n, user)


@router.message(Command("checklist", "letter", "timeline"))
async def action_command(message: Message, command: CommandObject, session: AsyncSession, user: User) -> None:
    action = {"checklist": NoticeAction.CHECKLIST, "letter": NoticeAction.LETTER,
              "timeline": NoticeAction.TIMELINE}[command.command.lower()]
    notices = await store.list_for(session, user.id)
    if not notices:
        await message.answer(_("You have no open notices yet. Send me what your letter says first."))
    elif len(notices) == 1:
        await ACTIONS[action](message, session, notices[0], user)
    else:
        await message.answer(_("Which notice? The most urgent one is first."),
                             reply_markup=keyboards.pick_keyboard(notices, action))


@router.callback_query(ChecklistCb.filter())
async def tick(query: CallbackQuery, callback_data: ChecklistCb, session: AsyncSession, user: User) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    items = checklists.checklist(n.code, user.language)
    if not 0 <= callback_data.item < len(items):
        await query.answer(_("This checklist has changed. Here is the current one."))
    else:
        done = await store.toggle_item(session, n.id, items[callback_data.item].id, utcnow())
        await session.commit()
        await query.answer(_("Done ✅") if done else _("Unticked"))
    if (msg := chat_message(query)) is not None:
        text, markup = await checklist_view(session, n, user.language)
        await msg.edit_text(text, reply_markup=markup)


# --- status, delete -----------------------------------------------------------------------------


@router.callback_query(NoticeCb.filter(F.action.in_(set(STATUS_OF))))
async def change_status(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, user: User,
                        **data: Any) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    now = utcnow()
    new = STATUS_OF[callback_data.action]
    changed = await store.set_status(session, n, new, now)
    if changed:
        await replan_notice(session, n.id, now)
        await session.commit()
        poke(data)
    when = texts.fdate(local_today(user, now), user.language)
    done = {
        NoticeStatus.PAID: _("Marked as paid on {date}. I stopped the reminders for {code}; keep your proof of "
                             "payment until the IRS shows a zero balance."),
        NoticeStatus.PLAN: _("Marked as in a payment plan on {date}. I stopped the reminders for {code}."),
        NoticeStatus.DISPUTED: _("Marked as disputed on {date}. I stopped the reminders for {code}; follow up if "
                                 "you hear nothing in 30 days."),
        NoticeStatus.CLOSED: _("Closed on {date}. I stopped the reminders for {code}."),
        NoticeStatus.OPEN: _("Reopened on {date}. Reminders for {code} are back on."),
    }[new].format(date=when, code=texts.esc(n.code))
    await query.answer(done if changed else _("It already had that status."))
    msg = chat_message(query)
    if msg is not None and changed:
        await msg.edit_text(texts.split(await card_text(session, n, user))[0],
                            reply_markup=keyboards.notice_keyboard(n), disable_web_page_preview=True)
        await msg.answer(done)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.DELETE))
async def ask_delete(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await msg.answer(_("Delete {code} and its history and reminders? This cannot be undone.").format(
            code=texts.esc(n.code)), reply_markup=keyboards.delete_keyboard(n.id))


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.DELETE_CONFIRM))
async def delete(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession, **data: Any) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    code = n.code
    await store.delete_notice(session, n)
    await session.commit()
    poke(data)
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await msg.edit_text(_("Deleted {code}. Its reminders are gone too.").format(code=texts.esc(code)))


# --- edit ---------------------------------------------------------------------------------------


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.EDIT))
async def ask_edit(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await msg.answer(_("What should I change?"), reply_markup=keyboards.edit_keyboard(n.id))


@router.callback_query(EditCb.filter())
async def edit_field(query: CallbackQuery, callback_data: EditCb, session: AsyncSession, state: FSMContext) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None or callback_data.field not in keyboards.EDIT_FIELDS:
        return
    await state.set_state(EditNotice.value)
    await state.update_data(edit={"notice_id": n.id, "field": callback_data.field})
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await msg.answer(texts.question(callback_data.field) + "\n" + _("Type the new value, or /cancel."))


_PHONE = re.compile(r"^[\d\s().+-]{7,20}$")


@router.message(EditNotice.value, F.text & ~F.text.startswith("/"))
async def edit_value(message: Message, state: FSMContext, session: AsyncSession, user: User, **data: Any) -> None:
    if await _diverted(message, state, session, user):
        return
    edit = (await state.get_data()).get("edit") or {}
    n = await store.get_owned(session, user.id, int(edit.get("notice_id", 0)))
    if n is None:
        await state.set_state(None)
        await message.answer(_("That notice is gone. Use /notices to see your notices."))
        return
    field = edit["field"]
    today = local_today(user)
    text = redact(message.text or "").text  # never store an SSN typed into a note
    changes: dict[str, Any] = {}
    if field == "notes":
        changes["notes"] = text[:MAX_FIELD]
    elif field == "phone":
        if not _PHONE.match(text.strip()):
            await message.answer(_("That does not look like a phone number. Try again, or /cancel."))
            return
        changes["phone"] = text.strip()
    else:
        value = intake.parse_field(field, text, today)
        if value is None:
            await message.answer(texts.bad_answer(field, can_skip=False))
            return
        key = {"due_date": "stated_due_date", "amount": "amount_cents"}.get(field, field)
        if isinstance(value, Decimal):
            changes[key] = int(value * 100)
        elif isinstance(value, tuple):
            changes[key] = sorted(value)
        else:
            changes[key] = value
    now = utcnow()
    merged = {k: changes.get(k, getattr(n, k)) for k in ("code", "notice_date", "stated_due_date",
                                                          "received_date", "abroad")}
    a = intake.assess(merged["code"], merged["notice_date"], merged["stated_due_date"], merged["received_date"],
                      merged["abroad"], None, today, user.language)
    changes.update(respond_by=a.respond_by, respond_by_estimated=a.estimated or a.respond_by is None)
    await store.update(session, n, now, **changes)
    await replan_notice(session, n.id, now)
    await session.commit()
    poke(data)
    await state.set_state(None)
    await message.answer(_("Updated. Reminders follow the new details."))
    await show_card(message, session, n, user)


# --- log a call or a letter -------------------------------------------------------------------


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.LOG))
async def ask_log(query: CallbackQuery, callback_data: NoticeCb, session: AsyncSession) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await msg.answer(_("What do you want to log?"), reply_markup=keyboards.log_keyboard(n.id))


def _log_question(step: str, kind: str) -> str:
    return {
        "date": _("When was it? (for example today, or Nov 18)"),
        "agent": _("The IRS employee's name?"),
        "badge": _("Their badge (ID) number?"),
        "agreed": _("What was agreed or said?") if kind == "call" else _("What did the letter say, or what did you send?"),
        "confirmation": _("Any confirmation or tracking number?"),
    }[step]


async def _ask_step(target: Message, state: FSMContext, log: dict[str, Any]) -> None:
    step = LOG_STEPS[log["kind"]][log["step"]]
    await state.update_data(log=log)
    await state.set_state(LogContact.value)
    await target.answer(_log_question(step, log["kind"]), reply_markup=keyboards.skip_keyboard(log["notice_id"]))


@router.callback_query(LogCb.filter(F.kind.in_({"call", "letter"})))
async def start_log(query: CallbackQuery, callback_data: LogCb, session: AsyncSession, state: FSMContext) -> None:
    n = await owned_notice(session, query, callback_data.notice_id)
    if n is None:
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await _ask_step(msg, state, {"notice_id": n.id, "kind": callback_data.kind, "step": 0, "fields": {}})


@router.callback_query(LogCb.filter(F.kind == "skip"))
async def skip_step(query: CallbackQuery, callback_data: LogCb, session: AsyncSession, state: FSMContext,
                    user: User) -> None:
    log = (await state.get_data()).get("log")
    if await state.get_state() != LogContact.value.state or not log or log["notice_id"] != callback_data.notice_id:
        await query.answer(_("This question has expired. Use the card's 📞 button to log again."), show_alert=True)
        return
    await query.answer()
    if (msg := chat_message(query)) is not None:
        await _next_step(msg, state, session, user, log)


@router.message(LogContact.value, F.text & ~F.text.startswith("/"))
async def log_value(message: Message, state: FSMContext, session: AsyncSession, user: User) -> None:
    if await _diverted(message, state, session, user):
        return
    log = (await state.get_data()).get("log") or {}
    if not log:
        await state.set_state(None)
        return
    step = LOG_STEPS[log["kind"]][log["step"]]
    text = redact(message.text or "").text.strip()[:MAX_FIELD]
    if step == "date":
        when = intake.parse_field("received_date", text, local_today(user))
        if not isinstance(when, date):
            await message.answer(texts.bad_answer("received_date", can_skip=False))
            return
        text = when.isoformat()
    log["fields"][step] = text
    await _next_step(message, state, session, user, log)


async def _next_step(target: Message, state: FSMContext, session: AsyncSession, user: User,
                     log: dict[str, Any]) -> None:
    log["step"] += 1
    if log["step"] < len(LOG_STEPS[log["kind"]]):
        await _ask_step(target, state, log)
        return
    await state.set_state(None)
    await state.update_data(log=None)
    n = await store.get_owned(session, user.id, log["notice_id"])
    if n is None:
        await target.answer(_("That notice is gone, so I could not log this."))
        return
    fields = log["fields"]
    fields.setdefault("date", local_today(user).isoformat())
    await store.log_contact(session, n, log["kind"], utcnow(), fields)
    await session.commit()
    await target.answer(_("Logged. It is in the notice's history (and in /export)."))
    await show_card(target, session, n, user)


async def _diverted(message: Message, state: FSMContext, session: AsyncSession, user: User) -> bool:
    """A whole new notice typed in the middle of a question is a new notice, not an answer."""
    found = reader.read(message.text or "", local_today(user))
    if found.notice and found.amount is not None and (found.notice_date or found.tax_years):
        from bot.routers.intake import handle_text

        await state.set_state(None)
        await handle_text(message, message.text or "", state, session, user)
        return True
    return False
