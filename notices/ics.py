"""Pure iCalendar builder for IRS notice deadlines (issues 6 and 17).

Plain data in, bytes out: no I/O, no bot or database imports. The live feed, the /calendar file
and the notice card's file all call :func:`build_calendar`; what each event looks like is decided
here (:func:`notice_events`), how it is written in notices/ics_render.py.

What a phone shows (issue 17, from Google's, Apple's and Microsoft's own documentation):
- the deadline is one all-day event titled with the action, "(estimated)" in the title when the
  date is an estimate; transparent (free), so a deadline day is not marked busy;
- an expected next notice is a one-day transparent "Watch the mail" event at the start of its
  window (a 3-5 month all-day span buried the deadline under several bars);
- an open notice whose date has passed is shown on today's date ("Overdue") until it is resolved;
- a resolved notice leaves the feed; a file to import says CANCELLED for its events instead;
- UIDs come from a random identifier stored with the notice (``CalendarNotice.uid``), never from a
  row id, so a new notice can never take over the UID (and SEQUENCE) of a deleted one.

Alarms. Subscribed calendars: Google and Outlook drop alarms, Apple keeps them only when the
person turns alerts on, so the feed keeps DISPLAY alarms relative to the all-day start (which
Apple represents) and the bot's reminders stay the alarm. Imported files: an alarm some hours
after an all-day start cannot be represented on Android and Outlook moves it to the day before
and keeps only the first, so the file carries one short *timed* reminder event per reminder day,
at the person's reminder time (floating: the phone's local time), each with one alarm at its
start; see docs/calendar.md for what each client keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from notices import ics_render
from notices.deadlines import ExpectedNotice
from notices.ics_render import EventSpec, Kind, Options
from notices.ics_texts import texts
from notices.money import money
from notices.words import ENGLISH, Words, long_date

__all__ = [
    "DEADLINES_FILENAME",
    "CalendarNotice",
    "build_calendar",
    "calendar_filename",
    "clean_text",
    "notice_events",
]

DEADLINES_FILENAME = "irs-deadlines.ics"
STATUSES = frozenset({"open", "paid", "plan", "disputed", "closed"})
REMINDER_LENGTH = timedelta(minutes=15)  # a timed reminder event in an imported file
_ONE_DAY = timedelta(days=1)  # all-day events end (exclusively) the next day


@dataclass(frozen=True)
class CalendarNotice:
    notice_id: int
    uid: str  # random, stored with the notice (storage.models.Notice.uid); never a row id
    code: str
    title: str
    tax_years: tuple[int, ...]
    amount_cents: int | None
    respond_by: date
    hard: bool
    hard_label: str | None
    meaning: str
    next_step: str
    phone: str | None
    estimate: bool
    expected_next: tuple[ExpectedNotice, ...]  # the ladder's next steps
    status: str
    resolved_at: datetime | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    notes: str = ""


# RFC 5545 forbids CONTROL (%x00-08, %x0A-1F, %x7F) in text, except that icalendar escapes the
# newline. Tab is allowed (WSP). C1 controls and lone surrogates (which cannot be encoded as
# UTF-8) are dropped too: they have no legitimate use in a note.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029")
_NOT_FILENAME = re.compile(r"[^A-Za-z0-9]+")


def clean_text(text: str) -> str:
    """Normalise newlines to LF and remove characters RFC 5545 forbids in TEXT values."""
    # The usual case (every character printable, LF apart) is checked at C speed.
    if text.isprintable() or ("\n" in text and text.replace("\n", "").isprintable()):
        return text
    return _FORBIDDEN.sub("", _NEWLINES.sub("\n", text))


def _slug(code: str) -> str:
    # Codes are like "CP14", "LT11" or "Letter 1058"; keep UIDs and filenames plain ASCII.
    if code.isascii() and code.isalnum():
        return code
    return _NOT_FILENAME.sub("-", code).strip("-") or "notice"


def calendar_filename(code: str | None = None, respond_by: date | None = None) -> str:
    """Safe ASCII filename: "irs-CP14-2026-12-04.ics"; without arguments the multi-notice file."""
    if code is None or respond_by is None:
        return DEADLINES_FILENAME
    return f"irs-{_slug(code)}-{respond_by.isoformat()}.ics"


def _utc(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)


def _summary(n: CalendarNotice, t: Mapping[str, str], overdue: bool) -> str:
    """The title a phone shows: the action first, then what makes it urgent or uncertain."""
    key = ("overdue" if overdue else "respond") + ("_estimated" if n.estimate else "")
    text = t[key].format(code=n.code)
    if n.hard:
        text += f" — {n.hard_label or t['hard']}"
    years = sorted(set(n.tax_years))
    if years:
        text += f" ({t['year' if len(years) == 1 else 'years'].format(years=', '.join(map(str, years)))})"
    if n.amount_cents is not None:
        text += f": {t['due'].format(amount=money(n.amount_cents, cents=True))}"
    return clean_text(text)


def _description(n: CalendarNotice, t: Mapping[str, str], overdue: bool, lang: str) -> str:
    lines = [f"{n.title} (IRS {n.code})" if n.title else f"IRS {n.code}"]
    if overdue:
        lines.append(t["overdue_desc"].format(date=long_date(n.respond_by, lang)))
    if n.meaning:
        lines.append(t["meaning"].format(text=n.meaning))
    if n.next_step:
        lines.append(t["next"].format(text=n.next_step))
    if n.phone:
        lines.append(t["phone"].format(text=n.phone))
    if n.estimate:
        lines.append(t["estimate"])
    notes = clean_text(n.notes or "")
    if notes.strip():  # cleaned first: a note of only control characters is no note
        lines.append(t["notes"].format(text=notes))
    return clean_text("\n".join(lines))


def _is_listed(n: CalendarNotice, for_import: bool) -> tuple[bool, bool]:
    """(listed, cancelled): resolved notices leave the feed; a file to import cancels them."""
    if n.status not in STATUSES:
        raise ValueError(f"notice {n.notice_id}: unknown status {n.status!r}")
    if n.status == "open":
        return True, False
    return for_import, True


def notice_events(
    n: CalendarNotice, *, today: date, tr: Words = ENGLISH, domain: str, remind_days: Sequence[int] = ()
) -> list[EventSpec]:
    """The events of one notice: its deadline, one "Watch the mail" event per expected next
    notice and, for a file to import, one timed reminder event per day of ``remind_days``; phrases
    and dates in ``tr``'s language."""
    t, lang = texts(tr), tr.language
    overdue = n.status == "open" and n.respond_by < today
    day = today if overdue else n.respond_by
    # The overdue event moves every day with the same SEQUENCE and a newer DTSTAMP, which wins at
    # equal SEQUENCE (RFC 5546 2.1.5). A daily SEQUENCE bump could exceed the one an edit or a
    # resolution gives later, and a client respecting SEQUENCE would then ignore that change.
    summary = _summary(n, t, overdue)
    events = [
        EventSpec(Kind.DEADLINE, f"{n.uid}@{domain}", day, day + _ONE_DAY, summary,
                  _description(n, t, overdue, lang), n.sequence)
    ]  # fmt: skip
    for exp in n.expected_next[:1]:  # the next step only: later ones follow from it
        slug = _slug(exp.code)
        title = clean_text(t["watch"].format(code=exp.code, parent=n.code))
        events.append(
            EventSpec(Kind.WATCH, f"{n.uid}-next-{slug}@{domain}", exp.earliest, exp.earliest + _ONE_DAY,
                      title, "", n.sequence)
        )  # fmt: skip
    for days in remind_days:
        on = n.respond_by - timedelta(days=days)
        if on < today and n.status == "open":  # a reminder in the past is no reminder
            continue
        key = "remind_today" if days == 0 else "remind_tomorrow" if days == 1 else "remind_in"
        title = clean_text(t[key].format(days=days, code=n.code, date=long_date(n.respond_by, lang)))
        events.append(
            EventSpec(Kind.REMIND, f"{n.uid}-remind-{days}@{domain}", on, on, title, summary, n.sequence)
        )
    return events


@lru_cache(maxsize=4096)  # a polled feed rebuilds only the notices that changed
def _notice_block(
    n: CalendarNotice, cancelled: bool, today: date, domain: str, remind_days: tuple[int, ...], o: Options
) -> bytes:
    events = notice_events(n, today=today, tr=o.tr, domain=domain, remind_days=remind_days)
    return ics_render.notice_block(tuple(events), cancelled, o)


def build_calendar(
    notices: Iterable[CalendarNotice],
    *,
    alarm_days: Sequence[int] = (7, 3, 1, 0),
    reminder_time: time = time(9, 0),
    name: str = "IRS deadlines (noticebot)",
    now: datetime,
    today: date | None = None,
    tr: Words = ENGLISH,
    domain: str = "noticebot.invalid",
    for_import: bool = False,
) -> bytes:
    """Build one VCALENDAR (METHOD:PUBLISH) with the person's deadlines; UTF-8, CRLF lines.

    ``today`` is the person's local date (default: the UTC date of ``now``); ``tr`` writes the
    phrases and dates in the person's language. The live feed (``for_import=False``) lists open
    notices, with DISPLAY alarms ``alarm_days`` before the deadline at ``reminder_time`` (wall
    clock; a tzinfo on it is ignored). A file to import
    (``for_import=True``) has timed reminder events instead of alarms on the all-day event,
    and resolved notices in it are CANCELLED (a per-notice update file). ``now`` (aware) becomes
    DTSTAMP, so the bytes change with it: the feed's ETag is weak and made from the notices.
    """
    now = _utc(now, "now").replace(microsecond=0)
    today = today or now.date()
    if any(d < 0 for d in alarm_days):
        raise ValueError(f"alarm_days must be >= 0, got {list(alarm_days)}")
    offsets = tuple(sorted(set(alarm_days), reverse=True))
    reminder = timedelta(hours=reminder_time.hour, minutes=reminder_time.minute, seconds=reminder_time.second)
    options = Options(
        tr=tr,
        alarm_days=() if for_import else offsets,
        reminder=reminder,
        reminder_length=REMINDER_LENGTH,
    )
    remind_days: tuple[int, ...] = offsets if for_import else ()
    listed = []
    for n in notices:
        keep, cancelled = _is_listed(n, for_import)
        if keep:
            listed.append((n, cancelled))
    listed.sort(key=lambda item: (max(item[0].respond_by, today), item[0].notice_id))
    parts = [ics_render.header(" ".join(clean_text(name).split()) or "IRS deadlines (noticebot)", tr)]
    for n, cancelled in listed:
        args = (n, cancelled, today, domain, remind_days, options)
        try:
            parts.append(_notice_block(*args))
        except TypeError:  # unhashable input (e.g. a list instead of a tuple): build uncached
            parts.append(_notice_block.__wrapped__(*args))
    parts.append(ics_render.END)
    return ics_render.stamp(b"".join(parts), now)
