"""/calendar (an .ics file of all open notices), the notice card's Calendar button (that notice's
file) and /feed (a private link calendar apps subscribe to; /feed reset replaces it)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from app.config import Settings
from bot.callbacks import NoticeAction, NoticeCb
from bot.routers.common import chat_message
from bot.texts import esc, fdate
from notices.ics import calendar_filename
from services import Notice, User
from services.calendar import calendar_rows, person_calendar, render, uid_domain
from services.feeds import issue_feed
from services.unit import Unit
from web.feed import feed_urls
from web.subscribe import subscribe_path

router = Router(name="calendar")


def import_caption(title: str) -> str:
    """How to import the file, per platform; a Telegram caption holds at most 1,024 characters."""
    return (
        title
        + "\n\n"
        + _(
            "<b>iPhone / iPad:</b> tap the file, then “Add All”.\n"
            "<b>Android / Google Calendar:</b> the app cannot import files. On a computer, open "
            "calendar.google.com → Settings → Import &amp; export → Import, and choose this file.\n"
            "<b>Outlook:</b> open the file and choose “Add to calendar” (Outlook on the web: Add "
            "calendar → Upload from file).\n\n"
            "Reminders come as short events at your reminder time, each with its own alert, so "
            "they ring in every calendar app.\n\n"
            "Importing makes a copy: after a change, import the new file again, or use /feed to "
            "subscribe to a calendar that updates itself."
        )
    )


async def send_file(message: Message, body: bytes, filename: str, title: str) -> None:
    await message.answer_document(BufferedInputFile(body, filename=filename), caption=import_caption(title))


@router.message(Command("calendar"))
async def calendar_command(message: Message, unit: Unit, user: User, settings: Settings) -> None:
    now = datetime.now(UTC)
    rows = await calendar_rows(unit.session, user)
    if not rows:
        await message.answer(
            _("You have no open notices with a response date yet, so there is nothing to add to a calendar.")
        )
        return
    title = _("📅 <b>Your IRS deadlines ({count})</b>, with reminders.").format(count=len(rows))
    body = render(rows, user, now=now, domain=uid_domain(settings.public_url), for_import=True)
    await send_file(message, body, calendar_filename(), title)


@router.callback_query(NoticeCb.filter(F.action == NoticeAction.CALENDAR))
async def calendar_button(
    query: CallbackQuery, notice: Notice, unit: Unit, user: User, settings: Settings, callback_answer: CallbackAnswer
) -> None:
    n = notice  # the ownership middleware already refused anyone else's
    if n.respond_by is None:
        callback_answer.text = _(
            "{code} has no response date yet. Edit the notice to add the date printed on it."
        ).format(code=n.code)
        callback_answer.show_alert = True
        return
    msg = chat_message(query)
    if msg is None:
        return
    body = await person_calendar(
        unit.session, user, notice_id=n.id, now=datetime.now(UTC), domain=uid_domain(settings.public_url)
    )
    if n.is_open:
        title = _("📅 <b>IRS {code}: respond by {date}</b>, with reminders.").format(
            code=esc(n.code), date=fdate(n.respond_by, user.language)
        )
        await send_file(msg, body, calendar_filename(n.code, n.respond_by), title)
        return
    # Resolved: the same UIDs, CANCELLED, so a calendar the person imported it into drops it.
    text = _(
        "✅ <b>IRS {code} is resolved.</b> If you added it to a calendar from a file, open this file "
        "and add it too: it removes (cancels) that notice's deadline and reminders there. A "
        "subscribed calendar (/feed) removes it by itself."
    ).format(code=esc(n.code))
    await msg.answer_document(BufferedInputFile(body, filename=calendar_filename(n.code, n.respond_by)), caption=text)


def feed_text(settings: Settings, token: str) -> str:
    page = settings.base_public_url + subscribe_path(token, get_i18n().current_locale)
    https, _webcal = feed_urls(settings.base_public_url, token)
    text = _(
        "📅 <b>Your private calendar link</b>\n\n"
        "Open this page and tap your calendar app: {page}\n\n"
        "Your calendar then follows your notices by itself: new deadlines, changed dates, overdue "
        "notices on today, and resolved notices removed. Google refreshes subscribed calendars only "
        "every several hours, so for an immediate copy send /calendar and import the file.\n\n"
        "<b>Alerts:</b> in Apple Calendar (iPhone, iPad, Mac) turn off “Remove Alerts” when you "
        "subscribe (later: the calendar's settings). Google Calendar and Outlook never alert for "
        "subscribed calendars: my reminders here stay your alarm. A file from /calendar keeps its "
        "alerts in all three.\n\n"
        "Other apps: add a calendar by URL and paste <code>{https}</code>\n\n"
        "Anyone with this link can see your deadlines: do not share it. /feed reset makes a new "
        "link and turns this one off."
    ).format(page=esc(page), https=esc(https))
    if settings.public_url is None:
        text += "\n\n" + _(
            "(This bot has no public address configured, so the link only works on the computer it runs on.)"
        )
    return text


@router.message(Command("feed"))
async def feed_command(
    message: Message, command: CommandObject, unit: Unit, user: User, settings: Settings
) -> None:
    arg = (command.args or "").strip().lower()
    if arg not in ("", "reset"):
        await message.answer(_("Use /feed for your calendar link, or /feed reset to replace it."))
        return
    if user.feed_token_hash is not None and arg != "reset":
        # Only a hash is stored, so the link cannot be shown twice.
        await message.answer(
            _(
                "You already have a calendar link (made on {date}). For your privacy I keep only a "
                "fingerprint of it, so I cannot show it again. Lost it? /feed reset makes a new link "
                "and turns the old one off."
            ).format(date=fdate(user.feed_updated_at, user.language))
        )
        return
    link = await issue_feed(unit, user)
    text = feed_text(settings, link.token)
    if link.replaced:
        text = _("Done: the old link no longer works.") + "\n\n" + text
    await message.answer(text, disable_web_page_preview=True)
