"""How the calendar's events are written: icalendar components, and a measured fast path.

:func:`component` is the one definition of each event's shape (properties, parameters, alarms),
with icalendar's public API. Writing 200 notices with ``component(...).to_ical()`` costs ~190 ms
of CPU (``Event.new`` validation, a ``Parameters`` dict per value, folding character by
character), ten times the feed's 20 ms target for a cold 200-notice feed (bench/ics_feed.py,
figures in bench/README.md). An event's shape depends only on the options, never on the notice,
so icalendar writes each shape once with markers where a notice's values go, and that becomes a
bytes %-format (:class:`_Template`). A notice is then one ``%`` per event: its texts escaped by
icalendar's own ``vText`` (all of a notice's texts in one call) and each line longer than 74
octets folded by icalendar's own ``Contentline``. No escaping or folding is written here;
tests/domain/test_calendar_render.py checks the result byte for byte against ``component``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from icalendar import Alarm, Calendar, Event, vDDDTypes, vDuration, vText
from icalendar.enums import CLASS, STATUS, TRANSP
from icalendar.parser import Contentline

from notices.ics_texts import texts
from notices.words import Words

PRODID = "-//noticebot//IRS deadlines//EN"
# Suggested refresh for subscribers (Apple honours X-PUBLISHED-TTL, RFC 7986 clients
# REFRESH-INTERVAL; Google ignores both and polls every several hours).
REFRESH = timedelta(hours=1)
END = b"END:VCALENDAR\r\n"


class Kind(enum.Enum):
    DEADLINE = "deadline"  # all-day, on the response date (or today when overdue)
    WATCH = "watch"  # all-day, one day: an expected next notice may arrive
    REMIND = "remind"  # timed, at the reminder time: a file to import (alarms that survive)


class EventSpec(NamedTuple):
    """One event's per-notice values. For REMIND, ``start`` is the day (the time is an option)."""

    kind: Kind
    uid: str
    start: date
    end: date  # exclusive
    summary: str
    description: str
    sequence: int


class Options(NamedTuple):
    tr: Words  # the person's language
    alarm_days: tuple[int, ...]  # DISPLAY alarms on the deadline event (the feed)
    reminder: timedelta  # wall-clock time of day of alarms and reminder events
    reminder_length: timedelta


def _alarm_text(days: int, t: Mapping[str, str]) -> str:
    key = "alarm_today" if days == 0 else "alarm_tomorrow" if days == 1 else "alarm_in"
    return t[key].format(days=days)


def _when(e: EventSpec, o: Options) -> tuple[date | datetime, date | datetime]:
    if e.kind is Kind.REMIND:  # floating local time: the phone's own zone, like an all-day date
        start = datetime.combine(e.start, datetime.min.time()) + o.reminder
        return start, start + o.reminder_length
    return e.start, e.end


def component(e: EventSpec, cancelled: bool, stamp: datetime, o: Options) -> Event:
    """The event as an icalendar component: the reference for the fast path."""
    t = texts(o.tr)
    status = {Kind.DEADLINE: STATUS.CONFIRMED, Kind.WATCH: STATUS.TENTATIVE, Kind.REMIND: STATUS.CONFIRMED}
    start, end = _when(e, o)
    event = Event.new(
        uid=e.uid,
        start=start,
        end=end,
        summary=e.summary,
        description=e.description,
        status=STATUS.CANCELLED if cancelled else status[e.kind],
        transparency=TRANSP.TRANSPARENT,  # a deadline does not make the person busy all day
        classification=CLASS.PRIVATE,  # financial details; hidden if the calendar is shared
        stamp=stamp,
        sequence=e.sequence,
    )
    if not e.description:  # a "Watch the mail" title says it all
        del event["DESCRIPTION"]
    if cancelled:
        return event
    if e.kind is Kind.DEADLINE:
        for days in o.alarm_days:
            # Relative to the all-day start (local midnight): at the reminder time that day.
            event.add_component(Alarm.new_display(_alarm_text(days, t), timedelta(days=-days) + o.reminder))
    elif e.kind is Kind.REMIND:  # one alarm at the start: every client can represent it
        event.add_component(Alarm.new_display(t["alarm_remind"], timedelta(0)))
    return event


@lru_cache(maxsize=64)
def header(title: str, tr: Words) -> bytes:
    """The VCALENDAR's own properties (everything before the first VEVENT)."""
    t = texts(tr)
    # Not Calendar.new: that adds a random UID (new bytes on every build), and in icalendar 7.3
    # NAME / X-WR-* are "unknown" properties written raw, so a ";" in a name would not be escaped.
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", vText(title))
    cal.add("X-WR-CALNAME", vText(title))
    cal.add("DESCRIPTION", t["cal_desc"])
    cal.add("X-WR-CALDESC", vText(t["cal_desc"]))
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})  # RFC 7986
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return cal.to_ical().removesuffix(END)


# DTSTAMP (= now) is the one value that changes on every build: blocks hold a placeholder that
# stamp() swaps for the real one. It can only match a whole property line: text values are
# escaped (no raw CR/LF) and folded lines start with a space.
_PLACEHOLDER_NOW = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_STAMP = b"\r\nDTSTAMP:19700101T000000Z\r\n"


def _ical_utc(value: datetime) -> bytes:
    # The UTC DATE-TIME form vDatetime writes, without its ~15 us of timezone lookups.
    u = value.astimezone(UTC)
    return b"%04d%02d%02dT%02d%02d%02dZ" % (u.year, u.month, u.day, u.hour, u.minute, u.second)


def stamp(body: bytes, now: datetime) -> bytes:
    return body.replace(_PLACEHOLDER_STAMP, b"\r\nDTSTAMP:" + _ical_utc(now) + b"\r\n")


def plain_block(events: tuple[EventSpec, ...], cancelled: bool, o: Options) -> bytes:
    """What :func:`notice_block` returns, written by icalendar alone (slow; for tests)."""
    return b"".join(component(e, cancelled, _PLACEHOLDER_NOW, o).to_ical() for e in events)


# The fast path. Text markers are private-use characters, untouched by escaping.
_MARK = re.compile(b"\xee\x80\x80([a-z]+)\xee\x80\x81")  # "\ue000name\ue001" in UTF-8
_TEXT_FIELDS = ("uid", "summary", "description")
_TYPED_FIELDS = {b"DTSTART": b"start", b"DTEND": b"end", b"SEQUENCE": b"sequence"}
_FOLD_AT = 74  # icalendar folds before a line would reach 75 octets


class _Template(NamedTuple):
    """`fmt % values` is the event once values[key] = fold(prefix + values[field] + suffix)."""

    fmt: bytes
    lines: tuple[tuple[bytes, bytes, bytes, bytes], ...]  # (key, prefix, field, suffix)


def _fold(line: bytes) -> bytes:
    if len(line) <= _FOLD_AT:  # most lines: nothing to fold
        return line
    return Contentline(line.decode()).to_ical()


def _literal(text: bytes) -> bytes:
    return text.replace(b"%", b"%%")  # a "%" in a constant part of a %-format (a translation)


@lru_cache(maxsize=64)
def _template(kind: Kind, cancelled: bool, o: Options) -> _Template:
    day = date(2000, 1, 1)
    description = "" if kind is Kind.WATCH else "\ue000description\ue001"  # WATCH has none
    marked = EventSpec(kind, "\ue000uid\ue001", day, day + timedelta(days=1), "\ue000summary\ue001", description, 0)
    event = component(marked, cancelled, _PLACEHOLDER_NOW, o)
    fmt: list[bytes] = []
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
        key = b"line%d" % len(lines)
        lines.append((key, prefix, field, suffix))
        fmt.append(b"%(" + key + b")s\r\n")
    return _Template(b"".join(fmt), tuple(lines))


@lru_cache(maxsize=4096)  # a feed has a few hundred distinct dates
def _ical_when(value: date | datetime) -> bytes:
    return vDDDTypes(value).to_ical()


def _ical_texts(values: list[str]) -> list[bytes]:
    """[vText(v).to_ical() for v in values] in one vText call: TEXT escaping never touches, nor
    matches across, a NUL; a value holding a NUL itself (a cleaned one never does) goes alone."""
    joined = "\x00".join(values)
    if joined.count("\x00") != len(values) - 1:
        return [vText(v).to_ical() for v in values]
    return vText(joined).to_ical().split(b"\x00")


def notice_block(events: tuple[EventSpec, ...], cancelled: bool, o: Options) -> bytes:
    """One notice's events, byte for byte what :func:`plain_block` writes, ~30x faster."""
    values: dict[bytes, bytes] = {}
    encoded = iter(_ical_texts([text for e in events for text in (e.uid, e.summary, e.description)]))
    parts = []
    for e in events:
        template = _template(e.kind, cancelled, o)
        start, end = _when(e, o)
        values[b"uid"], values[b"summary"], values[b"description"] = next(encoded), next(encoded), next(encoded)
        values[b"start"], values[b"end"] = _ical_when(start), _ical_when(end)
        values[b"sequence"] = b"%d" % e.sequence  # what vInt writes
        for key, prefix, field, suffix in template.lines:
            values[key] = _fold(prefix + values[field] + suffix)
        parts.append(template.fmt % values)
    return b"".join(parts)
