"""Pure iCalendar builder for IRS notice deadlines (issue 6).

Plain data in, bytes out: no I/O, no bot or database imports. The live feed endpoint and the
"send as a document" handler both call :func:`build_calendar`.

Design notes:
- All deadline events are all-day (DATE value, exclusive DTEND), so there is no timezone to get
  wrong; alarms are relative to the all-day start, which calendar apps read as local midnight.
- Every piece of text goes through icalendar's TEXT escaping (the fast path below uses a
  byte-level copy of it, tested against icalendar); we only strip the control characters
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
from typing import Any, NamedTuple

from icalendar import Alarm, Calendar, Event, vDuration, vText
from icalendar.enums import CLASS, STATUS, TRANSP

from notices.deadlines import ExpectedNotice
from notices.money import money

__all__ = [
    "DEADLINES_FILENAME",
    "CalendarNotice",
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
_ONE_DAY = timedelta(days=1)  # all-day events end (exclusively) the next day


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
    expected_next: tuple[ExpectedNotice, ...]  # the ladder's next steps
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
    # Nothing to do if every character is printable (no control, separator or surrogate), LF
    # apart: the usual case, also for a description (lines joined by LF), checked at C speed.
    if text.isprintable() or ("\n" in text and text.replace("\n", "").isprintable()):
        return text
    return _FORBIDDEN.sub("", _NEWLINES.sub("\n", text))


def _one_line(text: str) -> str:
    # A calendar name is shown on one line; newlines in it would only confuse calendar apps.
    return " ".join(clean_text(text).split())


def _slug(code: str) -> str:
    # Codes are like "CP14", "LT11" or "Letter 1058"; keep UIDs and filenames plain ASCII.
    if code.isascii() and code.isalnum():  # the usual case, without the regex
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


def _long_date(day: date, t: dict[str, str]) -> str:
    return _format_date(day, t["date"], t["months"])


@lru_cache(maxsize=4096)  # a feed has a few hundred distinct dates; formatting one costs ~1 us
def _format_date(day: date, pattern: str, months: str) -> str:
    return pattern.format(month=months.split()[day.month - 1], day=day.day, year=day.year)


def _summary(n: CalendarNotice, t: dict[str, str]) -> str:
    years = sorted(set(n.tax_years))
    subject = f"IRS {n.code}"
    if years:
        key = "year" if len(years) == 1 else "years"
        subject += f" ({t[key].format(years=', '.join(map(str, years)))})"
    if n.hard:
        text = f"{n.hard_label or t['hard']}: {subject}"
        if n.amount_cents is not None:
            text += f", {t['due'].format(amount=money(n.amount_cents, cents=True))}"
    else:
        text = t["respond"].format(subject=subject)
        if n.amount_cents is not None:
            text += f": {t['due'].format(amount=money(n.amount_cents, cents=True))}"
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


class _EventText(NamedTuple):  # a tuple: built 600 times per cold 200-notice feed
    """The per-notice values of one VEVENT; everything else depends only on the options."""

    uid: str
    start: date
    end: date  # exclusive
    summary: str
    description: str


def _event_texts(n: CalendarNotice, t: dict[str, str], domain: str) -> list[_EventText]:
    """The deadline event first, then one per expected next notice."""
    texts = [
        _EventText(
            uid=f"notice-{n.notice_id}@{domain}",
            start=n.respond_by,
            end=n.respond_by + _ONE_DAY,
            summary=_summary(n, t),
            description=_description(n, t),
        )
    ]
    seen: set[str] = set()
    for exp in n.expected_next:
        slug = _slug(exp.code)
        if slug in seen:  # a duplicate code would produce a duplicate UID
            continue
        seen.add(slug)
        latest = max(exp.latest, exp.earliest)
        texts.append(
            _EventText(
                uid=f"notice-{n.notice_id}-next-{slug}@{domain}",
                start=exp.earliest,
                end=latest + _ONE_DAY,
                summary=clean_text(t["expected"].format(code=exp.code)),
                description=clean_text(
                    t["expected_desc"].format(
                        parent=n.code,
                        code=exp.code,
                        earliest=_long_date(exp.earliest, t),
                        latest=_long_date(latest, t),
                    )
                ),
            )
        )
    return texts


def _event(
    e: _EventText,
    *,
    expected: bool,
    cancelled: bool,
    stamp: dict[str, Any],
    offsets: Sequence[int],
    reminder: timedelta,
    t: dict[str, str],
) -> Event:
    if expected:
        status, transp, category = STATUS.TENTATIVE, TRANSP.TRANSPARENT, t["cat_expected"]
    else:
        status, transp, category = STATUS.CONFIRMED, TRANSP.OPAQUE, t["cat_deadline"]
    event = Event.new(
        uid=e.uid,
        start=e.start,
        end=e.end,
        summary=e.summary,
        description=e.description,
        status=STATUS.CANCELLED if cancelled else status,
        transparency=transp,
        categories=[category],
        classification=CLASS.PRIVATE,  # financial details; hidden if the calendar is shared
        **stamp,
    )
    if not (expected or cancelled):
        for days in offsets:
            # Relative to the all-day start (local midnight): fire at reminder time that day.
            event.add_component(
                Alarm.new_display(_alarm_text(days, e.summary, t), timedelta(days=-days) + reminder)
            )
    return event


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
    """The notice's events as icalendar components (the reference for the fast path below)."""
    stamp = {
        "stamp": now,
        "created": _utc(n.created_at, "created_at"),
        "last_modified": _utc(n.updated_at, "updated_at"),
        "sequence": n.sequence,
    }
    texts = _event_texts(n, t, domain)
    return [
        _event(e, expected=i > 0, cancelled=cancelled, stamp=stamp, offsets=offsets, reminder=reminder, t=t)
        for i, e in enumerate(texts)
    ]


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
    if any(d < 0 for d in alarm_days):
        raise ValueError(f"alarm_days must be >= 0, got {list(alarm_days)}")
    offsets = sorted(set(alarm_days), reverse=True)
    # Only the wall-clock part matters: the all-day start is floating local midnight.
    reminder = timedelta(hours=reminder_time.hour, minutes=reminder_time.minute, seconds=reminder_time.second)

    title = _one_line(name) or "IRS deadlines (noticebot)"

    listed = []
    for n in notices:
        keep, cancelled = _is_listed(n, now)
        if keep:
            listed.append((n, cancelled))
    listed.sort(key=lambda item: (item[0].respond_by, item[0].notice_id))

    stamp = b"\r\nDTSTAMP:" + _ical_utc(now, "now") + b"\r\n"
    parts = [_header(title, lang)]
    for n, cancelled in listed:
        args = (n, cancelled, tuple(offsets), reminder, lang, domain)
        try:
            block = _notice_block(*args)
        except TypeError:  # unhashable input (e.g. a list instead of a tuple): build uncached
            block = _notice_block.__wrapped__(*args)
        parts.append(block.replace(_PLACEHOLDER_STAMP, stamp))
    parts.append(_END)
    return b"".join(parts)


@lru_cache(maxsize=256)
def _header(title: str, lang: str) -> bytes:
    """The VCALENDAR's own properties (everything before the first VEVENT)."""
    t = TEXTS.get(lang, TEXTS["en"])
    # Built by hand rather than with Calendar.new: that adds a random UID (new bytes, new ETag on
    # every build) and in icalendar 7.3 NAME / X-WR-* are "unknown" properties written raw, so
    # a ";" or "," in a person's calendar name would not be escaped. vText escapes them.
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
    return cal.to_ical().removesuffix(_END)


# Why not just `event.to_ical()` per notice: icalendar 7.3 spends ~0.5 ms per event (Event.new
# validation, a Parameters dict per value, character-by-character folding), i.e. 350-570 ms for a
# cold 200-notice feed against a 20 ms budget. But an event's shape (which properties, their
# order, parameters and constant values, the alarms) depends only on the options, never on the
# notice. So icalendar builds each shape once, with markers in place of the per-notice values,
# and we turn it into a bytes %-format (a "template", see _Template). A notice is then rendered
# with one %-format per event: its values encoded like icalendar's vText/vDate/vInt do (a
# notice's nine texts escaped in one go), and only the lines that hold a text value filled and,
# when longer than 74 octets, folded exactly like icalendar folds them. Plain Python: ~25 us a
# notice, of which composing the texts is ~40% and filling/folding lines ~35%.
# tests/domain/calendar/test_fast_path.py checks the result byte for byte against plain icalendar.
#
# DTSTAMP (= now) is the one value that changes on every build: blocks are cached with a
# placeholder DTSTAMP that build_calendar swaps for the real one. The placeholder can only match
# a whole property line, because text values are escaped (no raw CR/LF) and folded lines start
# with a space.
_END = b"END:VCALENDAR\r\n"
_PLACEHOLDER_NOW = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_STAMP = b"\r\nDTSTAMP:19700101T000000Z\r\n"

# Text markers (private-use characters, untouched by escaping; UTF-8 here) and the typed
# properties whose value is replaced wholesale; the sentinel values only have to be valid for
# icalendar.
_MARK = re.compile(b"\xee\x80\x80([a-z]+)\xee\x80\x81")  # "\ue000name\ue001"
_TEXT_FIELDS = ("uid", "summary", "description")
_TYPED_FIELDS = {
    b"DTSTART": b"start",
    b"DTEND": b"end",
    b"CREATED": b"created",
    b"LAST-MODIFIED": b"modified",
    b"SEQUENCE": b"sequence",
}
_SENTINEL_DAY = date(2000, 1, 1)
_FOLD_AT = 74  # icalendar folds before a line would reach 75 octets
# Fields with a fixed-width encoding (vDate, UTC vDatetime): a line holding one is short enough
# never to be folded, so the template holds the value in place.
_FIXED_WIDTH = {b"start": 8, b"end": 8, b"created": 16, b"modified": 16}


def _fold(line: bytes) -> bytes:
    """icalendar's folding (parser.string._foldline) of one line, on UTF-8 bytes, no CRLF added.

    Cut before the octet that would make a line 75 octets long, never inside a UTF-8 sequence,
    and never right after a backslash or caret (an escape would be split; issue #1501).
    """
    if len(line) <= _FOLD_AT:  # most lines: the length in octets is all that matters
        return line
    parts = []
    start = 0
    while len(line) - start > _FOLD_AT:
        end = start + _FOLD_AT
        while line[end] & 0xC0 == 0x80:  # continuation octet: back up to the character start
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _literal(text: bytes) -> bytes:
    return text.replace(b"%", b"%%")  # a "%" in a constant part of a %-format (a translation)


class _Template(NamedTuple):
    """One event shape: `fmt % values` is the event, once `values` holds every line slot.

    `fmt` is the event as icalendar writes it (folded), with `%(field)s` for the fixed-width
    values and `%(key)s` for each line that holds any other value. `lines` says how to make
    those: values[key] = fold(prefix + values[field] + suffix).
    """

    fmt: bytes
    lines: tuple[tuple[bytes, bytes, bytes, bytes], ...]  # (key, prefix, field, suffix)


@lru_cache(maxsize=64)
def _template(
    expected: bool, cancelled: bool, offsets: tuple[int, ...], reminder: timedelta, lang: str
) -> _Template:
    t = TEXTS.get(lang, TEXTS["en"])
    marked = _EventText(
        **{name: f"\ue000{name}\ue001" for name in _TEXT_FIELDS},
        start=_SENTINEL_DAY,
        end=_SENTINEL_DAY + _ONE_DAY,
    )
    stamp = {
        "stamp": _PLACEHOLDER_NOW,
        "created": _PLACEHOLDER_NOW,
        "last_modified": _PLACEHOLDER_NOW,
        "sequence": 0,
    }
    event = _event(
        marked, expected=expected, cancelled=cancelled, stamp=stamp, offsets=offsets, reminder=reminder, t=t
    )
    fmt = []
    lines: list[tuple[bytes, bytes, bytes, bytes]] = []
    for line in event.to_ical().replace(b"\r\n ", b"").split(b"\r\n")[:-1]:
        head = line.partition(b":")[0]
        field = _TYPED_FIELDS.get(head.partition(b";")[0])
        if field:  # a typed value: the sentinel is replaced wholesale
            prefix, suffix = head + b":", b""
        elif mark := _MARK.search(line):
            prefix, field, suffix = line[: mark.start()], mark.group(1), line[mark.end() :]
            if _MARK.search(suffix):
                raise AssertionError(f"two per-notice values in one line: {line!r}")
        else:  # a constant line
            fmt.append(_literal(_fold(line)) + b"\r\n")
            continue
        if field in _FIXED_WIDTH and len(prefix + suffix) + _FIXED_WIDTH[field] <= _FOLD_AT:
            fmt.append(_literal(prefix) + b"%(" + field + b")s" + _literal(suffix) + b"\r\n")
        else:  # filled and folded for each event
            key = b"line%d" % len(lines)
            lines.append((key, prefix, field, suffix))
            fmt.append(b"%(" + key + b")s\r\n")
    return _Template(b"".join(fmt), tuple(lines))


def _escape(text: bytes) -> bytes:
    r"""icalendar's TEXT escaping (parser.string._escape_char), on UTF-8 bytes.

    The same result: every character it replaces is ASCII, and no multi-byte UTF-8 sequence holds
    an ASCII octet. Bytes because str.replace is twice as slow on text with an emoji (UCS-4).
    Order as in icalendar: \N to newline, then backslashes, then the rest; CR LF and a lone CR
    become a newline, and every newline becomes \n.
    """
    if b"\\" in text:
        text = text.replace(b"\\N", b"\n").replace(b"\\", b"\\\\")
    text = text.replace(b";", b"\\;").replace(b",", b"\\,")
    if b"\r" in text:
        text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return text.replace(b"\n", b"\\n")


def _ical_text(text: str) -> bytes:
    # What vText(text).to_ical() returns, minus the Parameters dict each vText allocates (which
    # is two thirds of its cost); test_fast_path checks the two agree on any text.
    return _escape(text.encode())


def _ical_texts(texts: list[str]) -> list[bytes]:
    """[_ical_text(text) for text in texts], escaped in one go (a notice has 9 texts).

    Escaping never touches, nor matches across, a NUL between two texts; a text that holds a NUL
    itself (a cleaned one never does) makes us do them one by one.
    """
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [_ical_text(text) for text in texts]
    return _escape(joined.encode()).split(b"\x00")


@lru_cache(maxsize=4096)  # a feed has a few hundred distinct dates
def _ical_date(day: date) -> bytes:
    # What vDate writes (a zero-padded year, like vDate; strftime's %Y would not pad).
    return b"%04d%02d%02d" % (day.year, day.month, day.day)


def _ical_utc(value: datetime, field: str) -> bytes:
    # The DATE-TIME "UTC" form vDatetime writes, without its timezone lookups (~15 us a call).
    # Not strftime: "%Y" does not zero-pad years before 1000.
    u = _utc(value, field)
    return b"%04d%02d%02dT%02d%02d%02dZ" % (u.year, u.month, u.day, u.hour, u.minute, u.second)


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
    values = {
        b"created": _ical_utc(n.created_at, "created_at"),
        b"modified": _ical_utc(n.updated_at, "updated_at"),
        b"sequence": b"%d" % n.sequence,  # what vInt writes
    }
    events = _event_texts(n, t, domain)
    encoded = iter(_ical_texts([text for e in events for text in (e.uid, e.summary, e.description)]))
    parts = []
    template = _template(False, cancelled, offsets, reminder, lang)
    for i, e in enumerate(events):
        if i == 1:  # the expected-next-notice events share a second shape
            template = _template(True, cancelled, offsets, reminder, lang)
        values[b"uid"] = next(encoded)
        values[b"summary"] = next(encoded)
        values[b"description"] = next(encoded)
        values[b"start"] = _ical_date(e.start)
        values[b"end"] = _ical_date(e.end)
        for key, prefix, field, suffix in template.lines:
            line = prefix + values[field] + suffix
            values[key] = line if len(line) <= _FOLD_AT else _fold(line)
        parts.append(template.fmt % values)
    return b"".join(parts)
