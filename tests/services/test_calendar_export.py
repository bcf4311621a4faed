"""Database rows → CalendarNotice → .ics: wording, hard labels, languages, ownership, UIDs, ETags."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.dispatcher import make_i18n
from services.calendar import (
    calendar_rows,
    feed_version,
    last_change,
    person_calendar,
    to_calendar_notice,
    uid_domain,
)
from storage.models import Notice, NoticeStatus, User
from tests.domain.calendar.conftest import parse

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def i18n() -> Iterator[None]:
    with make_i18n().context():
        yield


def notice(**fields) -> Notice:
    values = {
        "user_id": 1, "code": "CP14", "tax_years": [2024], "amount_cents": 341218,
        "notice_date": date(2026, 11, 3), "respond_by": date(2026, 11, 24), "status": NoticeStatus.OPEN,
        "status_changed_at": NOW - timedelta(days=18), "sequence": 0, "notes": "",
        "created_at": NOW - timedelta(days=18), "updated_at": NOW - timedelta(days=18),
    }  # fmt: skip
    values.update(fields)
    values.setdefault("uid", f"uid-{values.get('id')}")
    return Notice(**values)


async def add(sessionmaker, *rows: Notice, users=(1, 2), language="en") -> None:
    async with sessionmaker() as session:
        for uid in users:
            session.add(User(id=uid, language=language, reminder_offsets=[7, 1], reminder_minute=8 * 60 + 30,
                             timezone="America/Chicago"))
        await session.flush()
        session.add_all(rows)
        await session.commit()


async def user(session, uid: int = 1) -> User:
    found = await session.get(User, uid)
    assert found is not None
    return found


def test_cp14_row_maps_to_catalog_texts_and_expected_ladder():
    n = notice(id=5, phone="800-829-1040", notes="called")
    c = to_calendar_notice(n, "en", details=True)
    assert (c.code, c.tax_years, c.amount_cents, c.respond_by) == (
        "CP14",
        (2024,),
        341218,
        date(2026, 11, 24),
    )
    assert c.title and c.meaning and c.next_step
    assert not c.hard and c.hard_label is None
    assert [e.code for e in c.expected_next] == ["CP501"]
    assert c.expected_next[0].earliest > c.respond_by
    assert c.phone == "800-829-1040" and c.notes == "called" and c.status == "open"


@pytest.mark.parametrize(
    ("code", "lang", "label"),
    [
        ("LT11", "en", "Last day to request a CDP hearing"),
        ("LTR1058", "en", "Last day to request a CDP hearing"),
        ("CP3219A", "en", "Last day to petition the Tax Court"),
        ("LT11", "es", "Último día para solicitar una audiencia CDP"),
        ("CP3219A", "es", "Último día para presentar una petición ante el Tribunal Tributario"),
        ("CP11", "en", None),  # hard, but neither: the builder's generic "Hard deadline"
        ("CP14", "en", None),
    ],
)
def test_hard_labels(code, lang, label):
    c = to_calendar_notice(notice(id=1, code=code), lang)
    assert c.hard_label == label
    assert c.hard == (code != "CP14")


def test_unknown_code_and_no_notice_date():
    c = to_calendar_notice(notice(id=1, code="CP9999", notice_date=None), "en")
    assert (c.title, c.meaning, c.next_step, c.expected_next, c.hard) == ("", "", "", (), False)


def test_printed_date_before_notice_date_is_ignored_and_the_ladder_follows_the_notice_date():
    # One rule with the card (notices.facts.derive): a printed date before the notice date is a
    # misreading; the stored respond-by stays, the expected notices come from the notice date.
    c = to_calendar_notice(notice(id=1, stated_due_date=date(2026, 10, 1)), "en")
    assert c.respond_by == date(2026, 11, 24)
    assert c.expected_next == to_calendar_notice(notice(id=1), "en").expected_next != ()


async def test_person_calendar_is_a_file_to_import_of_open_notices(sessionmaker):
    await add(
        sessionmaker,
        notice(id=1, notes="Ref; a,b \\ 😀\r\nATTENDEE:mailto:x@y"),
        notice(id=2, code="LT11", status=NoticeStatus.PAID, status_changed_at=NOW - timedelta(days=3),
               respond_by=date(2026, 12, 1), sequence=2),
        notice(id=4, respond_by=None),  # no date: nothing to put in a calendar
        notice(id=5, user_id=2),  # someone else's
    )  # fmt: skip
    async with sessionmaker() as session:
        p = parse(await person_calendar(session, await user(session), now=NOW, domain="bot.example.org"))
    assert sorted(str(e["UID"]) for e in p.events()) == [
        "uid-1-next-CP501@bot.example.org", "uid-1-remind-1@bot.example.org", "uid-1@bot.example.org",
    ]  # fmt: skip (7 days before Nov 24 is already past on Nov 21: no reminder event for it)
    assert str(p.event("uid-1@bot.example.org")["SUMMARY"]) == "Respond to IRS CP14 (tax year 2024): $3,412.18 due"
    assert str(p.ical["X-WR-CALNAME"]) == "IRS deadlines (noticebot)"
    # The person's reminder settings: 7 and 1 days before, at 08:30 (their phone's time).
    remind = p.event("uid-1-remind-1@bot.example.org")
    assert remind.decoded("DTSTART") == datetime(2026, 11, 23, 8, 30)


async def test_resolved_notice_gives_a_cancelling_file(sessionmaker):
    await add(sessionmaker, notice(id=2, code="LT11", status=NoticeStatus.PAID, respond_by=date(2026, 12, 1), sequence=2))
    async with sessionmaker() as session:
        p = parse(await person_calendar(session, await user(session), notice_id=2, now=NOW))
    assert {str(e["STATUS"]) for e in p.events()} == {"CANCELLED"}
    assert str(p.event("uid-2@noticebot.invalid")["SUMMARY"]).startswith(
        "Respond to IRS LT11 — Last day to request a CDP hearing"
    )


async def test_spanish_person_gets_spanish_calendar(sessionmaker):
    await add(sessionmaker, notice(id=1, code="LT11"), language="es")
    async with sessionmaker() as session:
        p = parse(await person_calendar(session, await user(session), now=NOW))
    assert str(p.ical["X-WR-CALNAME"]) == "Plazos del IRS (noticebot)"
    summary = str(p.event("uid-1@noticebot.invalid")["SUMMARY"])
    assert summary.startswith("Responder al IRS LT11 — Último día para solicitar una audiencia CDP (año fiscal 2024)")


async def test_one_notice_and_ownership(sessionmaker):
    await add(sessionmaker, notice(id=1), notice(id=2, code="LT11"), notice(id=3, user_id=2))
    async with sessionmaker() as session:
        me = await user(session)
        p = parse(await person_calendar(session, me, notice_id=2, now=NOW))
        assert {str(e["UID"]).split("-")[1].split("@")[0] for e in p.events()} == {"2"}
        for other in (3, 999):  # someone else's, and one that does not exist: the same answer
            with pytest.raises(LookupError):
                await person_calendar(session, me, notice_id=other, now=NOW)
        assert [n.id for n in await calendar_rows(session, me)] == [1, 2]


def test_unsaved_notice_has_no_uid_and_is_refused():
    with pytest.raises(ValueError, match="uid"):
        to_calendar_notice(notice(id=1, uid=None), "en")


def test_uid_domain_comes_from_public_url():
    assert uid_domain("https://Bot.Example.org:8443/base/") == "bot.example.org"
    assert uid_domain(None) == uid_domain("") == "noticebot.invalid"


async def test_feed_version_changes_with_what_the_feed_shows(sessionmaker):
    await add(sessionmaker, notice(id=1), notice(id=2, code="LT11"))
    async with sessionmaker() as session:
        me = await user(session)
        rows = await calendar_rows(session, me)
        changed = await last_change(session, me)
        etag, modified = feed_version(rows, me, changed=changed, now=NOW)
        assert etag.startswith('W/"') and etag.endswith('"')
        assert modified == changed == max(me.updated_at, NOW - timedelta(days=18))
        assert feed_version(await calendar_rows(session, me), me, changed=changed, now=NOW + timedelta(hours=5))[0] == etag
        rows[0].sequence += 1
        assert feed_version(rows, me, changed=changed, now=NOW)[0] != etag
        rows[0].sequence -= 1
        assert feed_version(rows[1:], me, changed=changed, now=NOW)[0] != etag  # a deleted notice
        assert feed_version(rows, me, changed=changed, now=NOW, domain="x.org")[0] != etag
        me.reminder_offsets = [3]
        assert feed_version(rows, me, changed=changed, now=NOW)[0] != etag  # other alarms


async def test_feed_version_follows_the_persons_day_when_a_notice_is_overdue(sessionmaker):
    await add(sessionmaker, notice(id=1, respond_by=date(2026, 11, 20)))  # overdue on NOW (Nov 21)
    async with sessionmaker() as session:
        me = await user(session)  # America/Chicago: 09:00 on Nov 21 at NOW
        rows = await calendar_rows(session, me)
        today, _ = feed_version(rows, me, changed=None, now=NOW)
        late_evening, modified = feed_version(rows, me, changed=None, now=NOW + timedelta(hours=14, minutes=59))
        tomorrow, moved = feed_version(rows, me, changed=None, now=NOW + timedelta(hours=15))
        assert today == late_evening != tomorrow
        assert modified == datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # Chicago midnight, in UTC
        assert moved == datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
