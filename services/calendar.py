"""The calendar query: a person's notices, from the database to .ics bytes (used by /calendar, the card's Calendar
button, /export and the live feed).

Texts come from the catalog and the gettext catalogs in the person's language (``words``), passed
explicitly, so this works the same inside a Telegram update, in the feed's HTTP handler and in a test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notices import catalog, facts
from notices.ics import CalendarNotice, build_calendar
from notices.instruments import still_counting
from scheduler.facts import input_of
from scheduler.planner import local_today, zone
from services.translations import words
from storage.models import Notice, NoticeStatus, User

# Bump when the calendar's content changes for the same rows (new wording here, in notices/ics.py
# or in the catalog), so feed clients holding an old ETag get the new file.
FORMAT_VERSION = "3"  # 3: a disputed notice with a hard date stays in the calendar
FALLBACK_DOMAIN = "noticebot.invalid"  # no PUBLIC_URL: a name that can never be someone else's


def uid_domain(public_url: str | None) -> str:
    """The UIDs' domain: this deployment's public host name (PUBLIC_URL), so that two
    deployments never share UIDs."""
    host = urlsplit(public_url).hostname if public_url else None
    return host or FALLBACK_DOMAIN


def hard_label(info: catalog.NoticeInfo | None, lang: str) -> str | None:
    """What a hard deadline is the last day for; None gives the builder's generic wording."""
    if info is None or not info.hard:
        return None
    _ = words(lang).gettext
    if info.cdp:
        return _("Last day to request a CDP hearing")
    if info.stage_key == "deficiency":
        return _("Last day to petition the Tax Court")
    return None


def calendar_name(lang: str) -> str:
    _ = words(lang).gettext
    return _("IRS deadlines (noticebot)")


def to_calendar_notice(n: Notice, lang: str, *, details: bool = False) -> CalendarNotice:
    """One saved notice (with a respond-by date) as the pure builder's input.

    The person's notes and the IRS phone number go in only with ``details`` (their
    ``calendar_details`` setting): a calendar file is shared, synced and backed up far from here.
    """
    if n.respond_by is None:
        raise ValueError(f"notice {n.id} has no respond-by date")
    if n.uid is None:  # set when the row is first written; never made up from the id
        raise ValueError(f"notice {n.id} has no calendar uid yet (not saved)")
    derived = facts.derive(input_of(n, with_status=False), n.respond_by, lang)
    info = derived.info
    actions = info.actions.get(lang) if info else ()
    counting = still_counting(n.code, NoticeStatus(n.status).value)
    return CalendarNotice(
        notice_id=n.id,
        uid=n.uid,
        code=info.code if info else n.code,
        title=info.title.get(lang) if info else "",
        tax_years=tuple(n.tax_years or ()),
        amount_cents=n.amount_cents,
        respond_by=n.respond_by,
        hard=derived.hard,
        hard_label=hard_label(info, lang),
        meaning=info.meaning.get(lang) if info else "",
        next_step=actions[0] if actions else "",
        phone=(n.phone or None) if details else None,
        estimate=n.respond_by_estimated,
        expected_next=derived.expected,
        # a disputed notice with a hard date is still a live deadline in the calendar
        status="open" if counting else NoticeStatus(n.status).value,
        resolved_at=None if counting else n.status_changed_at,
        sequence=n.sequence,
        created_at=n.created_at,
        updated_at=n.updated_at,
        notes=(n.notes or "") if details else "",
    )


async def calendar_rows(
    session: AsyncSession, user: User, *, notice_id: int | None = None, case_id: int | None = None
) -> list[Notice]:
    """The person's open notices with a respond-by date (the feed and /calendar: resolved notices
    leave the calendar). With ``notice_id`` (or ``case_id``): that notice (the case's dated notices)
    only, if theirs (an empty list otherwise, whoever asks), whatever the status: a resolved one
    makes a cancelling event in the file."""
    query = select(Notice).where(Notice.user_id == user.id, Notice.respond_by.is_not(None))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    elif case_id is not None:
        query = query.where(Notice.case_id == case_id)
    else:
        # a disputed notice with a hard date stays: disputing does not stop a legal clock
        query = query.where(Notice.status.in_((NoticeStatus.OPEN, NoticeStatus.DISPUTED)))
    rows = (await session.scalars(query.order_by(Notice.id))).all()
    one = notice_id is not None or case_id is not None
    return [n for n in rows if one or still_counting(n.code, NoticeStatus(n.status).value)]


def render(
    rows: Sequence[Notice], user: User, *, now: datetime, domain: str = FALLBACK_DOMAIN, for_import: bool = False
) -> bytes:
    """The .ics bytes: the live feed, or (``for_import``) a file with reminder events that keep
    their alarms, where a resolved notice is cancelled."""
    lang = user.language
    offsets = [d for d in (user.reminder_offsets or ()) if d >= 0]
    minute = user.reminder_minute % (24 * 60)
    return build_calendar(
        [to_calendar_notice(n, lang, details=user.calendar_details) for n in rows],
        alarm_days=offsets,
        reminder_time=time(minute // 60, minute % 60),
        name=calendar_name(lang),
        now=now,
        today=local_today(now, user.timezone),
        tr=words(lang),
        domain=domain,
        for_import=for_import,
    )


async def person_calendar(
    session: AsyncSession, user: User, *, notice_id: int | None = None, now: datetime, domain: str = FALLBACK_DOMAIN
) -> bytes:
    """The person's calendar (or one notice's) as a file to import; UTF-8 with CRLF lines.

    Raises LookupError when ``notice_id`` is not one of the person's dated notices.
    """
    rows = await calendar_rows(session, user, notice_id=notice_id)
    if notice_id is not None and not rows:
        raise LookupError(f"notice {notice_id} is not in this person's calendar")
    return render(rows, user, now=now, domain=domain, for_import=True)


async def last_change(session: AsyncSession, user: User) -> datetime | None:
    """When anything the feed is made of last changed: any of the person's notices (resolved ones
    too: resolving removes a notice from the feed), the person's row (settings; a deleted notice
    touches it, see storage.notices.delete_notice) and the feed token. Never goes backwards."""
    latest = await session.scalar(select(func.max(Notice.updated_at)).where(Notice.user_id == user.id))
    stamps = [s for s in (latest, user.updated_at, user.feed_updated_at) if s is not None]
    return max(stamps, default=None)


def feed_version(
    rows: Sequence[Notice], user: User, *, changed: datetime | None, now: datetime, domain: str = FALLBACK_DOMAIN
) -> tuple[str, datetime | None]:
    """(weak ETag, Last-Modified) of the feed built from ``rows``.

    DTSTAMP changes on every build, so the ETag is weak (RFC 9110: same meaning, not same bytes)
    and made of what the events are made from: the notices, the person's calendar settings and,
    when a notice is overdue (it is shown on today's date), the person's date. Last-Modified is
    ``changed`` (see :func:`last_change`), moved to the start of today when an overdue notice
    moved to today: it only moves forward, also after a delete.
    """
    today = local_today(now, user.timezone)
    overdue = any(n.respond_by is not None and n.respond_by < today for n in rows)
    parts = [
        FORMAT_VERSION,
        domain,
        user.language,
        str(user.reminder_minute),
        ",".join(map(str, user.reminder_offsets or ())),
        today.isoformat() if overdue else "",
        "details" if user.calendar_details else "",
    ]
    parts += [f"{n.uid}:{n.sequence}:{n.updated_at.isoformat()}:{NoticeStatus(n.status).value}" for n in rows]
    etag = 'W/"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'
    if overdue:
        midnight = datetime.combine(today, time(0), tzinfo=zone(user.timezone)).astimezone(UTC)
        changed = max(changed, midnight) if changed is not None else midnight
    return etag, changed
