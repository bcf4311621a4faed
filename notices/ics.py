"""Pure iCalendar builder for IRS notice deadlines (issue 6).

Plain data in, bytes out: no I/O, no bot or database imports. The live feed endpoint and the
"send as a document" handler both call :func:`build_calendar`.

Design notes:
- All deadline events are all-day (DATE value, exclusive DTEND), so there is no timezone to get
  wrong; alarms are relative to the all-day start, which calendar apps read as local midnight.
- Every piece of text goes through icalendar's escaping; we only strip the control characters
  RFC 5545 forbids, because icalendar passes those through unchanged.
- Output is byte-for-byte deterministic for the same input (sorted events, no random UIDs), so
  the feed's ETag only changes when the data does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from icalendar import Alarm, Calendar, Event, vDuration, vText
from icalendar.enums import STATUS, TRANSP

__all__ = [
    "DEADLINES_FILENAME",
    "CalendarNotice",
    "ExpectedEvent",
    "build_calendar",
    "calendar_filename",
    "clean_text",
]

DEADLINES_FILENAME = "irs-deadlines.ics"
PRODID = "-//noticebot//IRS deadlines//EN"
STATUSES = frozenset({"open", "paid", "plan", "disputed", "closed"})
# A resolved notice stays in the feed this long as CANCELLED, so subscribed calendars drop it.
CANCELLED_GRACE = timedelta(days=30)
# Suggested refresh for subscribers (Apple honours X-PUBLISHED-TTL, RFC 7986 clients
# REFRESH-INTERVAL; Google ignores both and polls every several hours).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class ExpectedEvent:
    """A notice that may follow if nothing is done, with the window it may arrive in."""

    code: str
    earliest: date
    latest: date


@dataclass(frozen=True)
class CalendarNotice:
    notice_id: int
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
    expected_next: tuple[ExpectedEvent, ...]
    status: str
    resolved_at: datetime | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    notes: str = ""


# The few fixed phrases; anything else (title, meaning, next step, hard label) arrives localised.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "respond": "Respond to {subject}",
        "due": "{amount} due",
        "year": "tax year {years}",
        "years": "tax years {years}",
        "hard": "Hard deadline",
        "expected": "Expected: IRS {code} may arrive (estimate)",
        "expected_desc": (
            "If IRS {parent} is not resolved, the IRS may send {code} between {earliest} and "
            "{latest}. This is an estimate, not a date printed on a notice."
        ),
        "meaning": "What it means: {text}",
        "next": "Next step: {text}",
        "phone": "IRS phone (from your notice): {text}",
        "estimate": "Estimated date: check the response date printed on your notice",
        "notes": "Your notes: {text}",
        "today": "Today: {text}",
        "tomorrow": "Tomorrow: {text}",
        "in_days": "In {days} days: {text}",
        "cal_desc": (
            "Response deadlines from your IRS notices, kept up to date by noticebot. "
            "The date printed on your notice always wins."
        ),
        "cat_deadline": "IRS deadline",
        "cat_expected": "IRS expected notice",
        "months": ("January February March April May June July August September October November December"),
        "date": "{month} {day}, {year}",
    },
    "es": {
        "respond": "Responder al {subject}",
        "due": "{amount} a pagar",
        "year": "año fiscal {years}",
        "years": "años fiscales {years}",
        "hard": "Plazo definitivo",
        "expected": "Previsto: podría llegar el IRS {code} (estimación)",
        "expected_desc": (
            "Si el IRS {parent} no se resuelve, el IRS podría enviar el {code} entre el {earliest} "
            "y el {latest}. Es una estimación, no una fecha impresa en un aviso."
        ),
        "meaning": "Qué significa: {text}",
        "next": "Siguiente paso: {text}",
        "phone": "Teléfono del IRS (de su aviso): {text}",
        "estimate": "Fecha estimada: revise la fecha de respuesta impresa en su aviso",
        "notes": "Sus notas: {text}",
        "today": "Hoy: {text}",
        "tomorrow": "Mañana: {text}",
        "in_days": "En {days} días: {text}",
        "cal_desc": (
            "Plazos de respuesta de sus avisos del IRS, actualizados por noticebot. "
            "La fecha impresa en su aviso siempre prevalece."
        ),
        "cat_deadline": "Plazo del IRS",
        "cat_expected": "Aviso previsto del IRS",
        "months": (
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
        ),
        "date": "{day} de {month} de {year}",
    },
}

# RFC 5545 forbids CONTROL (%x00-08, %x0A-1F, %x7F) in text, except that icalendar escapes the
# newline. Tab is allowed (WSP). C1 controls and lone surrogates (which cannot be encoded as
# UTF-8) are dropped too: they have no legitimate use in a note.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029")
_NOT_FILENAME = re.compile(r"[^A-Za-z0-9]+")


def clean_text(text: str) -> str:
    """Normalise newlines to LF and remove characters RFC 5545 forbids in TEXT values."""
    return _FORBIDDEN.sub("", _NEWLINES.sub("\n", text))


def _one_line(text: str) -> str:
    # A calendar name is shown on one line; newlines in it would only confuse calendar apps.
    return " ".join(clean_text(text).split())


def _slug(code: str) -> str:
    # Codes are like "CP14", "LT11" or "Letter 1058"; keep UIDs and filenames plain ASCII.
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


def _money(cents: int) -> str:
    dollars, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}${dollars:,}.{rest:02d}"


def _long_date(day: date, t: dict[str, str]) -> str:
    month = t["months"].split()[day.month - 1]
    return t["date"].format(month=month, day=day.day, year=day.year)


def _summary(n: CalendarNotice, t: dict[str, str]) -> str:
    years = sorted(set(n.tax_years))
    subject = f"IRS {n.code}"
    if years:
        key = "year" if len(years) == 1 else "years"
        subject += f" ({t[key].format(years=', '.join(map(str, years)))})"
    if n.hard:
        text = f"{n.hard_label or t['hard']}: {subject}"
        if n.amount_cents is not None:
            text += f", {t['due'].format(amount=_money(n.amount_cents))}"
    else:
        text = t["respond"].format(subject=subject)
        if n.amount_cents is not None:
            text += f": {t['due'].format(amount=_money(n.amount_cents))}"
    return clean_text(text)


def _description(n: CalendarNotice, t: dict[str, str]) -> str:
    lines = [f"{n.title} (IRS {n.code})" if n.title else f"IRS {n.code}"]
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


def _alarm_text(days: int, summary: str, t: dict[str, str]) -> str:
    if days == 0:
        return t["today"].format(text=summary)
    if days == 1:
        return t["tomorrow"].format(text=summary)
    return t["in_days"].format(days=days, text=summary)


def _is_listed(n: CalendarNotice, now: datetime) -> tuple[bool, bool]:
    """(listed, cancelled) for a notice at `now`."""
    if n.status not in STATUSES:
        raise ValueError(f"notice {n.notice_id}: unknown status {n.status!r}")
    if n.status == "open":
        return True, False
    # Without a resolution time, the last update is when it was resolved.
    resolved = _utc(n.resolved_at or n.updated_at, "resolved_at")
    return now - resolved <= CANCELLED_GRACE, True


def _notice_events(
    n: CalendarNotice,
    *,
    cancelled: bool,
    now: datetime,
    offsets: Sequence[int],
    reminder: timedelta,
    t: dict[str, str],
    domain: str,
) -> list[Event]:
    stamp: dict[str, Any] = {
        "stamp": now,
        "created": _utc(n.created_at, "created_at"),
        "last_modified": _utc(n.updated_at, "updated_at"),
        "sequence": n.sequence,
        "classification": "PRIVATE",  # financial details; hidden if the calendar is shared
    }
    summary = _summary(n, t)
    main = Event.new(
        uid=f"notice-{n.notice_id}@{domain}",
        start=n.respond_by,
        end=n.respond_by + timedelta(days=1),
        summary=summary,
        description=_description(n, t),
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        transparency=TRANSP.OPAQUE,
        categories=[t["cat_deadline"]],
        **stamp,
    )
    if not cancelled:
        for days in offsets:
            # Relative to the all-day start (local midnight): fire at reminder time that day.
            main.add_component(
                Alarm.new_display(_alarm_text(days, summary, t), timedelta(days=-days) + reminder)
            )
    events = [main]
    seen: set[str] = set()
    for exp in n.expected_next:
        slug = _slug(exp.code)
        if slug in seen:  # a duplicate code would produce a duplicate UID
            continue
        seen.add(slug)
        latest = max(exp.latest, exp.earliest)
        events.append(
            Event.new(
                uid=f"notice-{n.notice_id}-next-{slug}@{domain}",
                start=exp.earliest,
                end=latest + timedelta(days=1),
                summary=clean_text(t["expected"].format(code=exp.code)),
                description=clean_text(
                    t["expected_desc"].format(
                        parent=n.code,
                        code=exp.code,
                        earliest=_long_date(exp.earliest, t),
                        latest=_long_date(latest, t),
                    )
                ),
                status=STATUS.CANCELLED if cancelled else STATUS.TENTATIVE,
                transparency=TRANSP.TRANSPARENT,
                categories=[t["cat_expected"]],
                **stamp,
            )
        )
    return events


def build_calendar(
    notices: Iterable[CalendarNotice],
    *,
    alarm_days: Sequence[int] = (7, 3, 1, 0),
    reminder_time: time = time(9, 0),
    name: str = "IRS deadlines (noticebot)",
    now: datetime,
    lang: str = "en",
    domain: str = "noticebot",
) -> bytes:
    """Build one VCALENDAR (METHOD:PUBLISH) with the person's deadlines; UTF-8, CRLF lines.

    Open notices give a deadline event with DISPLAY alarms `alarm_days` before it at
    `reminder_time` (wall clock; a tzinfo on it is ignored) plus tentative "expected" events;
    notices resolved within 30 days of `now` are kept as CANCELLED, older ones are left out.
    `now` (aware) becomes DTSTAMP, so the bytes change with it: an HTTP ETag should be derived
    from the notices (ids, sequences, updated_at), not from these bytes.
    """
    now = _utc(now, "now").replace(microsecond=0)
    t = TEXTS.get(lang, TEXTS["en"])
    if any(d < 0 for d in alarm_days):
        raise ValueError(f"alarm_days must be >= 0, got {list(alarm_days)}")
    offsets = sorted(set(alarm_days), reverse=True)
    # Only the wall-clock part matters: the all-day start is floating local midnight.
    reminder = timedelta(hours=reminder_time.hour, minutes=reminder_time.minute, seconds=reminder_time.second)

    # Built by hand rather than with Calendar.new: that adds a random UID (new bytes, new ETag on
    # every build) and in icalendar 7.3 NAME / X-WR-* are "unknown" properties written raw, so
    # a ";" or "," in a person's calendar name would not be escaped. vText escapes them.
    title = _one_line(name) or "IRS deadlines (noticebot)"
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", vText(title))
    cal.add("X-WR-CALNAME", vText(title))
    cal.add("DESCRIPTION", t["cal_desc"])
    cal.add("X-WR-CALDESC", vText(t["cal_desc"]))
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL.
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))

    listed = []
    for n in notices:
        keep, cancelled = _is_listed(n, now)
        if keep:
            listed.append((n, cancelled))
    listed.sort(key=lambda item: (item[0].respond_by, item[0].notice_id))

    header = cal.to_ical()
    stamp = f"\r\nDTSTAMP:{now:%Y%m%dT%H%M%SZ}\r\n".encode()
    parts = [header[: -len(_END)]]
    for n, cancelled in listed:
        args = (n, cancelled, tuple(offsets), reminder, lang, domain)
        try:
            block = _notice_block(*args)
        except TypeError:  # unhashable input (e.g. a list instead of a tuple): build uncached
            block = _notice_block.__wrapped__(*args)
        parts.append(block.replace(_PLACEHOLDER_STAMP, stamp))
    parts.append(_END)
    return b"".join(parts)


# Serialising with icalendar costs ~0.5 ms per event, far over the 20 ms budget for a 200-notice
# feed that calendar apps poll. The bytes of a notice's events depend only on the notice and the
# options, except DTSTAMP (= now): so they are cached with a placeholder DTSTAMP that is swapped
# for the real one. The placeholder can only match a whole property line, because text values
# are escaped (no raw CR/LF) and folded lines start with a space.
_END = b"END:VCALENDAR\r\n"
_PLACEHOLDER_NOW = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_STAMP = b"\r\nDTSTAMP:19700101T000000Z\r\n"


@lru_cache(maxsize=4096)
def _notice_block(
    n: CalendarNotice,
    cancelled: bool,
    offsets: tuple[int, ...],
    reminder: timedelta,
    lang: str,
    domain: str,
) -> bytes:
    t = TEXTS.get(lang, TEXTS["en"])
    events = _notice_events(
        n, cancelled=cancelled, now=_PLACEHOLDER_NOW, offsets=offsets, reminder=reminder, t=t, domain=domain
    )
    return b"".join(event.to_ical() for event in events)
