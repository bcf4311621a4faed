"""The calendar query: a person's notices, from the database to .ics bytes (used by /calendar, the card's Calendar
button, /export and the live feed).

Texts come from the catalog and gettext in the person's language, passed explicitly, so this
works both inside a Telegram update and in the feed's HTTP handler (which sets an I18n context).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, time

from aiogram.utils.i18n import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from notices import catalog, facts
from notices.ics import CANCELLED_GRACE, CalendarNotice, build_calendar
from scheduler.facts import input_of
from storage.models import Notice, NoticeStatus, User

# Bump when the calendar's content changes for the same rows (new wording here, in notices/ics.py
# or in the catalog), so feed clients holding an old ETag get the new file.
FORMAT_VERSION = "1"


def hard_label(info: catalog.NoticeInfo | None, lang: str) -> str | None:
    """What a hard deadline is the last day for; None gives the builder's generic wording."""
    if info is None or not info.hard:
        return None
    if info.cdp:
        return _("Last day to request a CDP hearing", locale=lang)
    if info.stage_key == "deficiency":
        return _("Last day to petition the Tax Court", locale=lang)
    return None


def calendar_name(lang: str) -> str:
    return _("IRS deadlines (noticebot)", locale=lang)


def to_calendar_notice(n: Notice, lang: str) -> CalendarNotice:
    """One saved notice (with a respond-by date) as the pure builder's input."""
    if n.respond_by is None:
        raise ValueError(f"notice {n.id} has no respond-by date")
    derived = facts.derive(input_of(n, with_status=False), n.respond_by, lang)
    info = derived.info
    actions = info.actions.get(lang) if info else ()
    return CalendarNotice(
        notice_id=n.id,
        code=info.code if info else n.code,
        title=info.title.get(lang) if info else "",
        tax_years=tuple(n.tax_years or ()),
        amount_cents=n.amount_cents,
        respond_by=n.respond_by,
        hard=derived.hard,
        hard_label=hard_label(info, lang),
        meaning=info.meaning.get(lang) if info else "",
        next_step=actions[0] if actions else "",
        phone=n.phone or None,
        estimate=n.respond_by_estimated,
        expected_next=derived.expected,
        status=NoticeStatus(n.status).value,
        resolved_at=None if n.is_open else n.status_changed_at,
        sequence=n.sequence,
        created_at=n.created_at,
        updated_at=n.updated_at,
        notes=n.notes or "",
    )


async def calendar_rows(
    session: AsyncSession, user: User, *, now: datetime, notice_id: int | None = None, open_only: bool = False
) -> list[Notice]:
    """The person's notices that belong in their calendar: dated, and open or resolved within the
    last 30 days (those are shown as cancelled, so subscribed calendars remove them). With
    ``open_only``, open ones only (a file to import: nothing to remove there). With
    ``notice_id``: that notice only, if it is theirs and dated (an empty list otherwise, whoever
    asks), whatever its status."""
    query = select(Notice).where(Notice.user_id == user.id, Notice.respond_by.is_not(None))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    elif open_only:
        query = query.where(Notice.status == NoticeStatus.OPEN)
    else:
        query = query.where(
            or_(Notice.status == NoticeStatus.OPEN, Notice.status_changed_at >= now - CANCELLED_GRACE)
        )
    rows = (await session.scalars(query.order_by(Notice.id))).all()
    return list(rows)


def render(rows: Sequence[Notice], user: User, *, now: datetime) -> bytes:
    lang = user.language
    offsets = [d for d in (user.reminder_offsets or ()) if d >= 0]
    minute = user.reminder_minute % (24 * 60)
    return build_calendar(
        [to_calendar_notice(n, lang) for n in rows],
        alarm_days=offsets,
        reminder_time=time(minute // 60, minute % 60),
        name=calendar_name(lang),
        now=now,
        lang=lang,
    )


async def person_calendar(
    session: AsyncSession, user: User, *, notice_id: int | None = None, now: datetime
) -> bytes:
    """The person's calendar (or one notice's) as .ics bytes; UTF-8 with CRLF lines.

    Raises LookupError when ``notice_id`` is not one of the person's dated notices.
    """
    rows = await calendar_rows(session, user, now=now, notice_id=notice_id)
    if notice_id is not None and not rows:
        raise LookupError(f"notice {notice_id} is not in this person's calendar")
    return render(rows, user, now=now)


def feed_version(rows: Sequence[Notice], user: User) -> tuple[str, datetime | None]:
    """(ETag, Last-Modified) of the feed built from ``rows``.

    DTSTAMP changes on every build, so the ETag is not a hash of the bytes but of what they are
    made from: the notices (ids, sequences, update times, statuses) and the person's calendar
    settings. The id list makes a deleted notice change the ETag too; Last-Modified cannot show
    a deletion (nothing left to date it), which is why the feed prefers If-None-Match.
    """
    parts = [
        FORMAT_VERSION,
        user.language,
        str(user.reminder_minute),
        ",".join(map(str, user.reminder_offsets or ())),
    ]
    parts += [f"{n.id}:{n.sequence}:{n.updated_at.isoformat()}:{NoticeStatus(n.status).value}" for n in rows]
    etag = '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'
    stamps = [n.updated_at for n in rows]
    if user.feed_updated_at is not None:
        stamps.append(user.feed_updated_at)
    return etag, max(stamps, default=None)
