"""Corrections in plain words ("actually it was dated the 12th", "sorry the amount is $2,140", "no wait
it's a CP501", "tax year 2022 not 2023", "I live in Texas", "en realidad la fecha es el 12"...): the
latest open card changes (or, with no card open, the latest saved notice, through the edit use case,
which works the respond-by date out again with ``notices.facts.derive`` and re-plans reminders), and
the person sees what changed, old -> new. What a message is comes from ``notices.intent.classify``;
a message that is a new notice is left to intake, which starts a new card."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot import drafts, intake, keyboards, texts, zones
from bot.cards import show_card
from bot.intake import DraftData
from bot.routers.common import notice_assessment, person_today
from notices import corrections, facts, intent
from notices.corrections import Correction
from notices.money import money
from scheduler.facts import input_of
from services import Notice, User, people, queries
from services import notices as cases
from services.ownership import NotYours
from services.unit import Unit

router = Router(name="corrections")

# The saved notice's column for each corrected field.
COLUMNS = {"due_date": "stated_due_date", "amount": "amount_cents"}


@router.message(F.text & ~F.text.startswith("/"))
async def on_correction(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    today = person_today(user)
    found = intent.classify(message.text or "", today, user.language)
    if found.kind is not intent.Kind.CORRECTION or found.correction is None:
        raise SkipHandler  # a new notice (intake) or something the fallback answers
    c = found.correction
    draft = await drafts.latest(state)
    if draft is not None and draft.asking and c.fields == (draft.asking,) \
            and await state.get_state() == drafts.Intake.answering.state:
        raise SkipHandler  # the answer to the card's own question: intake takes it as one
    if draft is not None:
        await _correct_draft(message, c, draft, state, unit, user, today)
        return
    notice = await queries.latest_notice(unit, user.id, prefer=await drafts.last_notice_id(state))
    if notice is not None:
        await _correct_notice(message, c, notice, state, unit, user, today)
    elif c.place is not None:
        await _place_only(message, c.place, unit, user)
    else:
        await message.answer(_("There is no notice to correct yet. Send me what your IRS letter says (for "
                               "example <i>CP14, tax year 2024, $1,250, dated Nov 3</i>), or a photo or PDF of it."))


async def _correct_draft(message: Message, c: Correction, draft: DraftData, state: FSMContext, unit: Unit,
                         user: User, today: date) -> None:
    changes = corrections.changes(c, draft.facts_input(), today)
    place = changes.pop("place", None)
    if await _refused(message, changes, today):
        return
    zone_lines, offer = await _place(place, user, unit, abroad=draft.abroad, changes=changes)
    before = intake.assess_draft(draft, today, user.language)
    old = draft.facts_input()
    draft.apply(changes)
    after = intake.assess_draft(draft, today, user.language)
    lines = _change_lines(changes, old, user.language) + _respond_by_line(before, after, user.language) + zone_lines
    await drafts.show_card(message, draft, state, unit, user, head=_head(lines, draft.code, user.language))
    if offer is not None:
        await message.answer(offer[0], reply_markup=offer[1])


async def _correct_notice(message: Message, c: Correction, notice: Notice, state: FSMContext, unit: Unit,
                          user: User, today: date) -> None:
    old = input_of(notice)
    changes = corrections.changes(c, old, today)
    place = changes.pop("place", None)
    if await _refused(message, changes, today):
        return
    zone_lines, offer = await _place(place, user, unit, abroad=bool(notice.abroad), changes=changes)
    before = notice_assessment(notice, today, user.language)
    code = notice.code
    if changes:
        try:
            notice = await cases.edit(unit, user.id, notice.id, _columns(changes), today)  # re-derived, re-planned
        except NotYours:
            await message.answer(_("That notice is gone. Use /notices to see your notices."))
            return
    await drafts.remember_notice(state, notice.id)
    after = notice_assessment(notice, today, user.language)
    lines = _change_lines(changes, old, user.language) + _respond_by_line(before, after, user.language) + zone_lines
    head = _head(lines, code, user.language)
    if changes:
        head += "\n" + _("Reminders follow the new details.")
    await message.answer(head)
    await show_card(message, unit, notice, user)
    if offer is not None:
        await message.answer(offer[0], reply_markup=offer[1])


async def _place_only(message: Message, place: str, unit: Unit, user: User) -> None:
    lines, offer = await _place(place, user, unit, abroad=False, changes={})
    await message.answer(_head(lines, None, user.language))
    if offer is not None:
        await message.answer(offer[0], reply_markup=offer[1])


async def _refused(message: Message, changes: dict[str, Any], today: date) -> bool:
    """A notice or received date after today is a typo: asked again, nothing changed."""
    if any(changes.get(name) is not None and changes[name] > today for name in ("notice_date", "received_date")):
        await message.answer(_("That date is after today, so I changed nothing. The notice date is printed on "
                               "the letter; send it like <i>dated Nov 12, 2026</i>."))
        return True
    return False


async def _place(place: str | None, user: User, unit: Unit, *, abroad: bool,
                 changes: dict[str, Any]) -> tuple[list[str], tuple[str, InlineKeyboardMarkup] | None]:
    """Where the person lives: a US state means the notice was not addressed abroad (only ever
    that way: "abroad" gives a later Tax Court date, so it is never read from words), and the time
    zone follows (as when the person names a state on its own)."""
    if place is None:
        return [], None
    in_state = zones.state_zone(place, codes=False)
    found = zones.resolve(place, codes=False)
    zone = in_state or found.zone
    if in_state is not None and abroad:
        changes["abroad"] = False
    if zone is None and found.choices:
        return [], (_("Which time zone should your reminders follow?"),
                    keyboards.zone_choice_keyboard([(z, zones.label(z)) for z in found.choices]))
    if zone is None:
        return [_("I could not tell where that is. To set your time zone, send /tz with your city.")], None
    if zone == user.timezone:
        return [_("Time zone: {zone} (no change)").format(zone=texts.esc(zones.label(zone)))], None
    old = user.timezone
    await people.change_settings(unit, user, timezone=zone, timezone_confirmed=True)  # reminders re-planned
    return [_("Time zone: {old} → {new}").format(old=texts.esc(zones.label(old)), new=texts.esc(zones.label(zone)))], None


def _columns(changes: dict[str, Any]) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "amount":
            cols["amount_cents"] = int(value * 100)
        elif name == "tax_years":
            cols["tax_years"] = sorted(value)
        else:
            cols[COLUMNS.get(name, name)] = value
    return cols


def _change_lines(changes: dict[str, Any], old: facts.NoticeInput, lang: str) -> list[str]:
    before = {"code": old.code, "notice_date": old.notice_date, "due_date": old.printed_due,
              "received_date": old.received_date, "amount": old.amount, "tax_years": old.tax_years,
              "abroad": old.abroad}
    return [_("{field}: {old} → {new}").format(field=keyboards.field_label(name), old=_shown(name, before[name], lang),
                                              new=_shown(name, value, lang))
            for name, value in changes.items()]


def _shown(name: str, value: Any, lang: str) -> str:
    if value is None or value == ():
        return _("not known")
    if name == "amount":
        return money(Decimal(value), lang=lang)
    if name == "tax_years":
        return texts.years_text(value)
    if name == "abroad":
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return texts.fdate(value, lang)
    return texts.esc(value)


def _respond_by_line(before: intake.Assessment, after: intake.Assessment, lang: str) -> list[str]:
    if before.respond_by == after.respond_by:
        return []
    return [_("Respond by: {old} → {new}").format(
        old=texts.fdate(before.respond_by, lang) if before.respond_by else _("not known"),
        new=texts.fdate(after.respond_by, lang) if after.respond_by else _("not known"))]


def _head(lines: list[str], code: str | None, lang: str) -> str:
    if not lines:
        return _("That is what I have already; nothing changed.")
    title = _("✏️ <b>Changed</b> ({code}):").format(code=texts.esc(code)) if code else _("✏️ <b>Changed</b>:")
    return "\n".join([title, *(f"• {line}" for line in lines)])
