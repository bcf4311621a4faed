"""Settings: time zone (US state or IANA zone), reminder time, quiet hours, reminder days, language;
/export and /forget. Every change that moves reminders re-plans them before the commit."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import export_summary, keyboards, texts, zones
from bot.i18n import words as words_in
from bot.keyboards import ForgetCb, LangCb, SettingsCb, StateCb, TzCb
from bot.routers.common import chat_message, person_today
from notices import corrections
from notices.ics import DEADLINES_FILENAME
from notices.words import language_name
from services import User, calendar, queries
from services import people as cases
from services.unit import Unit

router = Router(name="settings")

class Ask(StatesGroup):
    state = State()  # onboarding: which US state (two-letter codes accepted only here)
    value = State()  # a setting typed after tapping its button


def zone_from_text(text: str, *, codes: bool) -> str | None:
    """'Texas', 'tx' (when ``codes``), 'Nueva York' or 'America/Chicago' → an IANA zone: what a plain
    message may be taken as without a question open (abbreviations and cities only when asked)."""
    zone = zones.state_zone(text, codes=codes)
    if zone is None and "/" in text:
        zone = zones.resolve(text, codes=False).zone
    return zone


class ZoneName(Filter):
    """A message that is only a US state name or an IANA zone; when the state question is open,
    anything bot.zones understands (a city, EST, GMT-5, or a region that needs a choice)."""

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool | dict[str, Any]:
        if raw_state == Ask.state.state:
            found = zones.resolve(message.text or "")
            return {"found": found} if found.zone or found.choices else False
        if corrections.place_of(message.text or ""):
            return False  # "I live in Texas": a correction, which also says what changed on the notice
        zone = zone_from_text(message.text or "", codes=False)
        return {"found": zones.Resolution(zone)} if zone else False


_NAMED_TIMES = {"noon": 720, "midday": 720, "mediodia": 720, "mediodía": 720, "midnight": 0, "medianoche": 0}


def parse_time(text: str) -> int | None:
    """'07:30', '7:30 pm', '7am', '10 p. m.', '19', 'noon' → minutes after midnight."""
    raw = (text or "").strip().lower()
    if raw in _NAMED_TIMES:
        return _NAMED_TIMES[raw]
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*", raw)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group(3).startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


# "10pm to 7am", "22:00-07:00", "de 10 pm a 7 am", "from 10 p.m. until 7 a.m.": words between the two
# times need spaces around them, so the "a" of "7 a.m." is never taken for Spanish "a".
_QUIET_SPLIT = re.compile(r"\s*[-–—]\s*|\s+(?:to|until|till|through|and|a|hasta|y)\s+")
_QUIET_OFF = {"off", "none", "no", "never", "ninguna", "ninguno", "apagado", "nunca", "sin horas de silencio"}


def parse_quiet(text: str) -> tuple[int | None, int | None] | None:
    raw = re.sub(r"\s+", " ", (text or "").strip().lower())
    if raw in _QUIET_OFF:
        return None, None
    raw = re.sub(r"^(?:from|between|de|desde|entre|de las|desde las)\s+", "", raw)
    parts = _QUIET_SPLIT.split(raw)
    if len(parts) != 2:
        return None
    start, end = parse_time(re.sub(r"^las?\s+", "", parts[0])), parse_time(re.sub(r"^las?\s+", "", parts[1]))
    if start is None or end is None or start == end:
        return None
    return start, end


# Reminder days typed in words: "7, 3, 1 and the day of", "una semana antes y el mismo día".
_DAY_WORDS = [
    (re.compile(r"\b(?:(?:on )?the day of(?: the deadline)?|same day|on the day|that day|day of|"
                r"el mismo d[ií]a|mismo d[ií]a|ese d[ií]a|el d[ií]a del? (?:vencimiento|plazo))\b"), " 0 "),
    (re.compile(r"\b(?:two weeks|2 weeks|dos semanas|2 semanas)\b"), " 14 "),
    (re.compile(r"\b(?:a week|one week|1 week|una semana|1 semana)\b"), " 7 "),
    (re.compile(r"\b(?:the day before|a day before|el d[ií]a antes|un d[ií]a antes)\b"), " 1 "),
]


def parse_offsets(text: str) -> list[int] | None:
    raw = (text or "").lower()
    for words, days in _DAY_WORDS:
        raw = words.sub(days, raw)
    values = re.findall(r"\d+", raw)
    if not values or len(values) > 6:
        return None
    found = sorted({int(v) for v in values}, reverse=True)
    return found if all(d <= 60 for d in found) else None


# --- showing ----------------------------------------------------------------------------------


def settings_text(user: User) -> str:
    quiet = (_("off") if user.quiet_start_minute is None
             else f"{texts.clock(user.quiet_start_minute, user.language)}–{texts.clock(user.quiet_end_minute, user.language)}")
    offsets = ", ".join(str(d) for d in user.reminder_offsets or ()) or _("none")
    return "\n".join([
        _("<b>Your settings</b>"),
        _("🌎 Time zone: {zone}").format(zone=texts.esc(user.timezone)),
        _("⏰ Reminder time: {time}").format(time=texts.clock(user.reminder_minute, user.language)),
        _("🌙 Quiet hours: {quiet}").format(quiet=quiet),
        _("🔔 Reminder days before a deadline: {days}").format(days=offsets),
        _("🗣 Language: {language}").format(language=language_name(user.language).capitalize()),
        (_("📅 Your notes and the IRS phone number in calendar files, the feed and case summaries: yes")
         if user.calendar_details else
         _("📅 Your notes and the IRS phone number in calendar files, the feed and case summaries: no")),
        "",
        _("Tap what you want to change. Shortcuts: /tz America/Chicago, /time 07:30, /language."),
    ])


def state_question() -> str:
    return _("<b>Which US state do you live in?</b> I use it for your time zone, so reminders come at the "
             "right hour. Tap it below, or type its name (or a time zone like America/Chicago). "
             "You can skip this: I use US Eastern time until you answer.")


async def ask_state(message: Message, state: FSMContext, intro: str = "") -> None:
    await state.set_state(Ask.state)
    await message.answer(f"{intro}\n\n{state_question()}" if intro else state_question(), reply_markup=keyboards.states_keyboard(
        (code, name) for code, (name, _zone) in zones.STATES.items()))


@router.message(Command("settings"))
async def show_settings(message: Message, user: User) -> None:
    await message.answer(settings_text(user), reply_markup=keyboards.settings_keyboard())


# --- time zone ----------------------------------------------------------------------------------


async def set_zone(message: Message, unit: Unit, user: User, state: FSMContext, zone: str) -> None:
    await cases.change_settings(unit, user, timezone=zone, timezone_confirmed=True)
    if await state.get_state() == Ask.state.state:
        await state.set_state(None)
    await message.answer(_("Time zone set to <b>{zone}</b>. I will send reminders at {time} your time; "
                           "change it with /time 07:30.").format(zone=texts.esc(zone),
                                                                 time=texts.clock(user.reminder_minute, user.language)))


async def answer_zone(message: Message, found: zones.Resolution, unit: Unit, user: User,
                      state: FSMContext) -> None:
    """Set the zone the words named, offer the choice they leave open, or say what is understood.
    What the person typed is never echoed or logged (it can be anything)."""
    if found.zone:
        await set_zone(message, unit, user, state, found.zone)
    elif found.choices:
        await message.answer(_("Which one do you mean?"), reply_markup=keyboards.zone_choice_keyboard(
            [(zone, zones.label(zone)) for zone in found.choices]))
    else:
        await message.answer(_("I could not find that time zone. Send a US state (Texas), a city (Houston), "
                               "an abbreviation (EST, PST), an offset (GMT-5), or share your location "
                               "(📎 → Location)."))


@router.message(Command("tz"))
async def tz_command(message: Message, command: CommandObject, unit: Unit, user: User,
                     state: FSMContext) -> None:
    if not command.args:
        await ask_state(message, state)
        return
    await answer_zone(message, zones.resolve(command.args), unit, user, state)


@router.message(F.text, StateFilter(None, Ask.state), ZoneName())
async def zone_typed(message: Message, found: zones.Resolution, unit: Unit, user: User, state: FSMContext) -> None:
    await answer_zone(message, found, unit, user, state)


@router.message(F.location)
async def location_shared(message: Message, unit: Unit, user: User, state: FSMContext) -> None:
    """Only the zone is kept; the coordinates are neither stored nor logged."""
    assert message.location is not None
    zone = await asyncio.to_thread(zones.zone_at, message.location.latitude, message.location.longitude)
    if zone is None or not zones.is_zone(zone):
        await message.answer(_("I could not tell the time zone of that place. Send your US state (Texas) "
                               "or a city (Houston) instead."))
        return
    await set_zone(message, unit, user, state, zone)


@router.callback_query(TzCb.filter())
async def zone_picked(query: CallbackQuery, callback_data: TzCb, unit: Unit, user: User,
                      state: FSMContext, callback_answer: CallbackAnswer) -> None:
    if not zones.is_zone(callback_data.zone):
        callback_answer.text, callback_answer.show_alert = _("Sorry, I do not know that time zone."), True
        return
    if (msg := chat_message(query)) is not None:
        await msg.edit_reply_markup(reply_markup=None)
        await set_zone(msg, unit, user, state, callback_data.zone)


@router.callback_query(StateCb.filter())
async def state_picked(query: CallbackQuery, callback_data: StateCb, unit: Unit, user: User,
                       state: FSMContext, callback_answer: CallbackAnswer) -> None:
    entry = zones.STATES.get(callback_data.state)
    if entry is None:
        callback_answer.text, callback_answer.show_alert = _("Sorry, I do not know that state."), True
        return
    if (msg := chat_message(query)) is not None:
        await msg.edit_reply_markup(reply_markup=None)
        await set_zone(msg, unit, user, state, entry[1])


# --- time, quiet hours, reminder days, language ---------------------------------------------------


@router.message(Command("time"))
async def time_command(message: Message, command: CommandObject, unit: Unit, user: User) -> None:
    minute = parse_time(command.args or "")
    if minute is None:
        await message.answer(_("Send the time like this: /time 07:30 (24-hour) or /time 7:30 pm. "
                               "Now: {time}.").format(time=texts.clock(user.reminder_minute, user.language)))
        return
    await cases.change_settings(unit, user, reminder_minute=minute)
    await message.answer(_("Reminders will come at {time} your time.").format(time=texts.clock(minute, user.language)))


@router.message(Command("language", "idioma"))
async def language_command(message: Message, command: CommandObject, unit: Unit, user: User) -> None:
    choice = (command.args or "").strip().lower()[:2]
    if choice in cases.LANGUAGES:
        await _set_language(message, unit, user, choice)
        return
    await message.answer(_("Which language?"), reply_markup=keyboards.language_keyboard())


@router.callback_query(LangCb.filter())
async def language_picked(query: CallbackQuery, callback_data: LangCb, unit: Unit, user: User) -> None:
    if callback_data.language in cases.LANGUAGES and (msg := chat_message(query)) is not None:
        await msg.edit_reply_markup(reply_markup=None)
        await _set_language(msg, unit, user, callback_data.language)


async def _set_language(message: Message, unit: Unit, user: User, language: str) -> None:
    await cases.change_settings(unit, user, language=language, language_chosen=True)  # writing no longer switches it
    # the reply is already in the new language
    await message.answer(_("Done: I will speak {language}.", locale=language).format(
        language=language_name(language)))


@router.callback_query(SettingsCb.filter())
async def setting_button(query: CallbackQuery, callback_data: SettingsCb, state: FSMContext, unit: Unit,
                         user: User) -> None:
    msg = chat_message(query)
    if msg is None:
        return
    if callback_data.field == "caldetails":  # a switch: no question to ask
        await cases.change_settings(unit, user, calendar_details=not user.calendar_details)
        await msg.answer(_("Saved. Calendar files you download from now on, and your live feed, follow this.")
                         + "\n\n" + settings_text(user), reply_markup=keyboards.settings_keyboard())
    elif callback_data.field == "tz":
        await ask_state(msg, state)
    elif callback_data.field == "lang":
        await msg.answer(_("Which language?"), reply_markup=keyboards.language_keyboard())
    elif callback_data.field in {"time", "quiet", "offsets"}:
        await state.set_state(Ask.value)
        await state.update_data(setting=callback_data.field)
        await msg.answer({
            "time": _("What time of day should reminders come? (for example 07:30 or 7:30 pm)"),
            "quiet": _("Quiet hours, when I must not write (for example 22:00-07:00), or “off”."),
            "offsets": _("How many days before a deadline should I remind you? (for example 7, 3, 1, 0)"),
        }[callback_data.field])


@router.message(Ask.value, F.text & ~F.text.startswith("/"))
async def setting_value(message: Message, state: FSMContext, unit: Unit, user: User) -> None:
    field = (await state.get_data()).get("setting")
    text = message.text or ""
    changes: dict[str, Any] = {}
    if field == "time" and (minute := parse_time(text)) is not None:
        changes = {"reminder_minute": minute}
    elif field == "quiet" and (quiet := parse_quiet(text)) is not None:
        changes = {"quiet_start_minute": quiet[0], "quiet_end_minute": quiet[1]}
    elif field == "offsets" and (days := parse_offsets(text)) is not None:
        changes = {"reminder_offsets": days}
    elif field in {"time", "quiet", "offsets"}:
        await message.answer(_("Sorry, I could not read that. Try again, or /cancel."))
        return
    await state.set_state(None)
    await cases.change_settings(unit, user, **changes)
    await message.answer(_("Saved. Reminders follow the new settings.") + "\n\n" + settings_text(user),
                         reply_markup=keyboards.settings_keyboard())


# --- export and forget --------------------------------------------------------------------------


@router.message(Command("export"))
async def export(message: Message, unit: Unit, user: User) -> None:
    data = await cases.export(unit, user.id)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await message.answer_document(BufferedInputFile(body, filename="noticebot-export.json"),
                                  caption=_("All the data I keep about you. /forget deletes it."))
    readable = export_summary.summary(await queries.summary(unit, user.id), person_today(user, unit.now()),
                                      words_in(user.language))
    await message.answer_document(BufferedInputFile(readable.encode(), filename=export_summary.FILENAME),
                                  caption=_("The same, easy to read: each notice, its dates and what you logged."))
    ics = await calendar.person_calendar(unit.session, user, now=unit.now())
    await message.answer_document(BufferedInputFile(ics, filename=DEADLINES_FILENAME),
                                  caption=_("Your deadlines as a calendar file (.ics)."))


@router.message(Command("forget"))
async def forget(message: Message) -> None:
    await message.answer(_("Delete <b>everything</b> I keep about you: notices, history, checklists, reminders "
                           "and settings? This cannot be undone."), reply_markup=keyboards.forget_keyboard())


@router.callback_query(ForgetCb.filter())
async def forget_confirmed(query: CallbackQuery, callback_data: ForgetCb, unit: Unit, state: FSMContext) -> None:
    msg = chat_message(query)
    if not callback_data.confirm:
        if msg is not None:
            await msg.edit_text(_("Nothing was deleted."))
        return
    await cases.forget(unit, query.from_user.id)  # only ever the person pressing
    await state.clear()
    if msg is not None:
        await msg.edit_text(_("Done. I deleted everything I had about you. If you write to me again, I start "
                              "from zero."))
