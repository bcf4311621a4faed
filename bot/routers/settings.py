"""Settings: time zone (US state or IANA zone), reminder time, quiet hours, reminder days, language;
/export and /forget. Every change that moves reminders re-plans them before the commit."""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot import keyboards, texts
from bot.keyboards import ForgetCb, LangCb, SettingsCb, StateCb
from bot.routers.common import chat_message
from notices.ics import DEADLINES_FILENAME
from notices.redact import redact, without_controls
from notices.words import language_name
from services import User, calendar
from services import people as cases
from services.unit import Unit

router = Router(name="settings")

# Each state's (or territory's) most populous zone; a person elsewhere can send an IANA zone.
STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "America/Chicago"), "AK": ("Alaska", "America/Anchorage"),
    "AZ": ("Arizona", "America/Phoenix"), "AR": ("Arkansas", "America/Chicago"),
    "CA": ("California", "America/Los_Angeles"), "CO": ("Colorado", "America/Denver"),
    "CT": ("Connecticut", "America/New_York"), "DE": ("Delaware", "America/New_York"),
    "DC": ("District of Columbia", "America/New_York"), "FL": ("Florida", "America/New_York"),
    "GA": ("Georgia", "America/New_York"), "HI": ("Hawaii", "Pacific/Honolulu"),
    "ID": ("Idaho", "America/Boise"), "IL": ("Illinois", "America/Chicago"),
    "IN": ("Indiana", "America/Indiana/Indianapolis"), "IA": ("Iowa", "America/Chicago"),
    "KS": ("Kansas", "America/Chicago"), "KY": ("Kentucky", "America/Kentucky/Louisville"),
    "LA": ("Louisiana", "America/Chicago"), "ME": ("Maine", "America/New_York"),
    "MD": ("Maryland", "America/New_York"), "MA": ("Massachusetts", "America/New_York"),
    "MI": ("Michigan", "America/Detroit"), "MN": ("Minnesota", "America/Chicago"),
    "MS": ("Mississippi", "America/Chicago"), "MO": ("Missouri", "America/Chicago"),
    "MT": ("Montana", "America/Denver"), "NE": ("Nebraska", "America/Chicago"),
    "NV": ("Nevada", "America/Los_Angeles"), "NH": ("New Hampshire", "America/New_York"),
    "NJ": ("New Jersey", "America/New_York"), "NM": ("New Mexico", "America/Denver"),
    "NY": ("New York", "America/New_York"), "NC": ("North Carolina", "America/New_York"),
    "ND": ("North Dakota", "America/Chicago"), "OH": ("Ohio", "America/New_York"),
    "OK": ("Oklahoma", "America/Chicago"), "OR": ("Oregon", "America/Los_Angeles"),
    "PA": ("Pennsylvania", "America/New_York"), "RI": ("Rhode Island", "America/New_York"),
    "SC": ("South Carolina", "America/New_York"), "SD": ("South Dakota", "America/Chicago"),
    "TN": ("Tennessee", "America/Chicago"), "TX": ("Texas", "America/Chicago"),
    "UT": ("Utah", "America/Denver"), "VT": ("Vermont", "America/New_York"),
    "VA": ("Virginia", "America/New_York"), "WA": ("Washington", "America/Los_Angeles"),
    "WV": ("West Virginia", "America/New_York"), "WI": ("Wisconsin", "America/Chicago"),
    "WY": ("Wyoming", "America/Denver"), "PR": ("Puerto Rico", "America/Puerto_Rico"),
    "GU": ("Guam", "Pacific/Guam"), "VI": ("U.S. Virgin Islands", "America/St_Thomas"),
}
# Spanish names that differ from the English ones.
_SPANISH = {
    "hawái": "HI", "luisiana": "LA", "misuri": "MO", "misisipi": "MS", "nueva york": "NY",
    "nueva jersey": "NJ", "nuevo méxico": "NM", "nuevo mexico": "NM", "nuevo hampshire": "NH",
    "carolina del norte": "NC", "carolina del sur": "SC", "dakota del norte": "ND",
    "dakota del sur": "SD", "pensilvania": "PA", "virginia occidental": "WV", "tejas": "TX",
    "islas vírgenes": "VI", "distrito de columbia": "DC",
}
_BY_NAME = {name.lower(): code for code, (name, _zone) in STATES.items()} | _SPANISH
_ZONES_LOWER = {z.lower(): z for z in available_timezones()}


class Ask(StatesGroup):
    state = State()  # onboarding: which US state (two-letter codes accepted only here)
    value = State()  # a setting typed after tapping its button


def zone_from_text(text: str, *, codes: bool) -> str | None:
    """'Texas', 'tx' (when ``codes``), 'Nueva York' or 'America/Chicago' → an IANA zone."""
    raw = re.sub(r"\s+", " ", (text or "").strip().strip(".!")).lower()
    if raw in _BY_NAME:
        return STATES[_BY_NAME[raw]][1]
    if codes and raw.upper() in STATES:
        return STATES[raw.upper()][1]
    zone = _ZONES_LOWER.get(raw.replace(" ", "_"))
    if zone and "/" in zone:
        return zone
    return None


class ZoneName(Filter):
    """A message that is only a US state name or an IANA zone (or a state code when asked)."""

    async def __call__(self, message: Message, raw_state: str | None = None) -> bool | dict[str, Any]:
        zone = zone_from_text(message.text or "", codes=raw_state == Ask.state.state)
        return {"zone": zone} if zone else False


def parse_time(text: str) -> int | None:
    """'07:30', '7:30 pm', '7am', '19' → minutes after midnight."""
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*", (text or "").lower())
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


def hhmm(minute: int | None) -> str:
    return "—" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


def parse_quiet(text: str) -> tuple[int | None, int | None] | None:
    raw = (text or "").strip().lower()
    if raw in {"off", "none", "no", "ninguna", "ninguno", "apagado"}:
        return None, None
    parts = re.split(r"\s*(?:-|–|to|a|hasta)\s*", raw)
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None or start == end:
        return None
    return start, end


def parse_offsets(text: str) -> list[int] | None:
    values = re.findall(r"\d+", text or "")
    if not values or len(values) > 6:
        return None
    days = sorted({int(v) for v in values}, reverse=True)
    return days if all(d <= 60 for d in days) else None


# --- showing ----------------------------------------------------------------------------------


def settings_text(user: User) -> str:
    quiet = (_("off") if user.quiet_start_minute is None
             else f"{hhmm(user.quiet_start_minute)}–{hhmm(user.quiet_end_minute)}")
    offsets = ", ".join(str(d) for d in user.reminder_offsets or ()) or _("none")
    return "\n".join([
        _("<b>Your settings</b>"),
        _("🌎 Time zone: {zone}").format(zone=texts.esc(user.timezone)),
        _("⏰ Reminder time: {time}").format(time=hhmm(user.reminder_minute)),
        _("🌙 Quiet hours: {quiet}").format(quiet=quiet),
        _("🔔 Reminder days before a deadline: {days}").format(days=offsets),
        _("🗣 Language: {language}").format(language=language_name(user.language).capitalize()),
        (_("📅 Your notes and the IRS phone number in calendar files and the feed: yes")
         if user.calendar_details else
         _("📅 Your notes and the IRS phone number in calendar files and the feed: no")),
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
        (code, name) for code, (name, _zone) in STATES.items()))


@router.message(Command("settings"))
async def show_settings(message: Message, user: User) -> None:
    await message.answer(settings_text(user), reply_markup=keyboards.settings_keyboard())


# --- time zone ----------------------------------------------------------------------------------


async def set_zone(message: Message, unit: Unit, user: User, state: FSMContext, zone: str) -> None:
    await cases.change_settings(unit, user, timezone=zone, timezone_confirmed=True)
    if await state.get_state() == Ask.state.state:
        await state.set_state(None)
    await message.answer(_("Time zone set to <b>{zone}</b>. I will send reminders at {time} your time; "
                           "change it with /time 07:30.").format(zone=texts.esc(zone), time=hhmm(user.reminder_minute)))


@router.message(Command("tz"))
async def tz_command(message: Message, command: CommandObject, unit: Unit, user: User,
                     state: FSMContext) -> None:
    if not command.args:
        await ask_state(message, state)
        return
    zone = zone_from_text(command.args, codes=True)
    if zone is None:
        try:
            zone = str(ZoneInfo(command.args.strip()).key)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            # echo at most a zone name's length, and never an identifier typed by mistake
            shown = redact(without_controls(command.args.strip()), strict=True).text
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            await message.answer(_("I do not know the time zone “{zone}”. Send a US state (Texas) or an IANA "
                                   "zone such as America/Chicago.").format(zone=texts.esc(shown)))
            return
    await set_zone(message, unit, user, state, zone)


@router.message(F.text, StateFilter(None, Ask.state), ZoneName())
async def zone_typed(message: Message, zone: str, unit: Unit, user: User, state: FSMContext) -> None:
    await set_zone(message, unit, user, state, zone)


@router.callback_query(StateCb.filter())
async def state_picked(query: CallbackQuery, callback_data: StateCb, unit: Unit, user: User,
                       state: FSMContext, callback_answer: CallbackAnswer) -> None:
    entry = STATES.get(callback_data.state)
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
                               "Now: {time}.").format(time=hhmm(user.reminder_minute)))
        return
    await cases.change_settings(unit, user, reminder_minute=minute)
    await message.answer(_("Reminders will come at {time} your time.").format(time=hhmm(minute)))


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
    await cases.change_settings(unit, user, language=language)
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
