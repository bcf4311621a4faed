"""The feed server's defects from issue 17, one regression test each, named after it."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.dispatcher import make_i18n
from storage import feeds
from storage import notices as store
from storage.models import Notice, NoticeStatus, User
from tests.domain.calendar.conftest import parse
from web import feed

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def http(sessionmaker) -> AsyncIterator[TestClient]:
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), domain="bot.example.org")
    async with TestClient(TestServer(app)) as client:
        yield client


async def person_with(sessionmaker, *days_until_due: int, uid: int = 1) -> str:
    """A person (UTC) with one open CP14 per entry, due that many days from today; their token."""
    async with sessionmaker() as session:
        user = User(id=uid, language="en", timezone="UTC", updated_at=NOW - timedelta(days=9))
        session.add(user)
        await session.flush()
        for i, days in enumerate(days_until_due):
            session.add(Notice(user_id=uid, code="CP14", tax_years=[2024], amount_cents=341218,
                               notice_date=NOW.date() - timedelta(days=30), respond_by=NOW.date() + timedelta(days=days),
                               status=NoticeStatus.OPEN, created_at=NOW - timedelta(days=30),
                               updated_at=NOW - timedelta(days=20 - i)))  # fmt: skip
        token = await feeds.issue_token(session, user, NOW - timedelta(days=10))
        await session.commit()
        # issue_token's write set updated_at to the real time; put it back in the past.
        user.updated_at = NOW - timedelta(days=9)
        await session.commit()
    return token


def last_modified(resp) -> datetime:  # type: ignore[no-untyped-def]
    return parsedate_to_datetime(resp.headers["Last-Modified"])


async def test_last_modified_goes_backwards_after_a_delete(http, sessionmaker):
    # Regression: Last-Modified was the newest *listed* notice, so deleting the newest moved it
    # back; a client asking only If-Modified-Since got 304 and kept the deleted deadline.
    token = await person_with(sessionmaker, 10, 20)
    first = await http.get(feed.feed_path(token))
    async with sessionmaker() as session:
        newest = (await session.scalars(select(Notice).order_by(Notice.updated_at.desc()))).first()
        assert newest is not None
        await store.delete_notice(session, newest, NOW)
        await session.commit()
    after = await http.get(feed.feed_path(token), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert after.status == 200
    assert last_modified(after) > last_modified(first)
    assert len(parse(await after.read()).events()) == 2  # one deadline and its "Watch the mail"


async def test_last_modified_goes_backwards_when_a_resolved_notice_leaves(http, sessionmaker):
    token = await person_with(sessionmaker, 10, 20)
    first = await http.get(feed.feed_path(token))
    async with sessionmaker() as session:
        n = (await session.scalars(select(Notice).order_by(Notice.id))).first()
        assert n is not None
        await store.set_status(session, n, NoticeStatus.PAID, NOW)
        await session.commit()
    after = await http.get(feed.feed_path(token), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert after.status == 200 and last_modified(after) >= last_modified(first)


async def test_etag_is_strong_though_the_bytes_differ_per_request(http, sessionmaker):
    token = await person_with(sessionmaker, 10)
    a, b = await http.get(feed.feed_path(token)), await http.get(feed.feed_path(token))
    assert a.headers["ETag"] == b.headers["ETag"] and a.headers["ETag"].startswith('W/"')


async def test_feed_is_not_compressed(http, sessionmaker):
    token = await person_with(sessionmaker, *range(5, 45))
    plain = await http.get(feed.feed_path(token), headers={"Accept-Encoding": "identity"}, auto_decompress=False)
    body = await plain.read()
    assert "Content-Encoding" not in plain.headers
    zipped = await http.get(feed.feed_path(token), headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    raw = await zipped.read()
    assert len(raw) * 5 < len(body)
    # Same events (only DTSTAMP may differ between the two builds).
    assert len(parse(gzip.decompress(raw)).events()) == len(parse(body).events()) == 80


async def test_overdue_notices_leave_nothing_on_today(http, sessionmaker):
    token = await person_with(sessionmaker, -3)
    resp = await http.get(feed.feed_path(token))
    (deadline,) = [e for e in parse(await resp.read()).events() if "-next-" not in str(e["UID"])]
    assert deadline.decoded("DTSTART") == NOW.date()
    assert str(deadline["SUMMARY"]).startswith("Overdue: respond to IRS CP14")
    # The body changes with the day: so do the ETag (it holds the date) and Last-Modified.
    midnight = datetime.combine(NOW.date(), datetime.min.time(), tzinfo=UTC)
    assert last_modified(resp) == max(midnight, NOW - timedelta(days=9))


async def test_uid_domain_is_the_same_in_every_deployment(http, sessionmaker):
    token = await person_with(sessionmaker, 10)
    uids = [str(e["UID"]) for e in parse(await (await http.get(feed.feed_path(token))).read()).events()]
    assert uids and all(uid.endswith("@bot.example.org") for uid in uids)


async def test_head_and_304_keep_the_headers(http, sessionmaker):
    token = await person_with(sessionmaker, 10)
    resp = await http.get(feed.feed_path(token))
    head = await http.head(feed.feed_path(token))
    assert head.status == 200 and head.headers["ETag"] == resp.headers["ETag"]
    cond = await http.get(feed.feed_path(token), headers={"If-None-Match": resp.headers["ETag"]})
    assert cond.status == 304 and cond.headers["Last-Modified"] == resp.headers["Last-Modified"]
    assert cond.headers["Last-Modified"] == format_datetime(last_modified(resp), usegmt=True)
