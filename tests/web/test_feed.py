"""GET /calendar/<token>.ics in process: tokens, 404s, weak ETag / Last-Modified, 304, gzip, rate
limits per token and per IP (issue 17)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from ipaddress import ip_network

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.dispatcher import make_i18n
from storage import feeds
from storage.models import Notice, NoticeStatus, User
from tests.domain.calendar.conftest import parse
from web import feed

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def http(sessionmaker) -> AsyncIterator[TestClient]:
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n())
    async with TestClient(TestServer(app)) as client:
        yield client


async def person(sessionmaker, uid: int = 1, **notice) -> str:
    """A person with one CP14 (fields overridable) and a feed token; returns the token."""
    async with sessionmaker() as session:
        user = User(id=uid, language="en", timezone="UTC", updated_at=NOW - timedelta(days=3))
        session.add(user)
        await session.flush()
        fields = {
            "user_id": uid, "code": "CP14", "tax_years": [2024], "amount_cents": 341218,
            "notice_date": NOW.date() - timedelta(days=5), "respond_by": NOW.date() + timedelta(days=16),
            "status": NoticeStatus.OPEN, "status_changed_at": NOW - timedelta(days=5),
            "created_at": NOW - timedelta(days=5), "updated_at": NOW - timedelta(days=5), "uid": f"uid-{uid}",
        }  # fmt: skip
        session.add(Notice(**(fields | notice)))
        token = await feeds.issue_token(session, user, NOW - timedelta(days=1))
        await session.commit()
    return token


async def test_token_is_random_long_and_stored_only_as_hash(sessionmaker):
    token = await person(sessionmaker)
    assert len(token) >= 22 and feeds.looks_like_token(token)  # 192 bits here; 128 is the floor
    async with sessionmaker() as session:
        user = await session.get(User, 1)
        assert user is not None
        assert user.feed_token_hash == feeds.hash_token(token) != token
        assert len(user.feed_token_hash) == 64
        assert (await feeds.user_by_token(session, token)) is user
        for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 200, token + "/", "ä" * 30):
            assert await feeds.user_by_token(session, wrong) is None


async def test_feed_serves_calendar_with_cache_headers(http, sessionmaker):
    token = await person(sessionmaker)
    resp = await http.get(feed.feed_path(token))
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert resp.headers["Cache-Control"] == "private, no-cache"
    assert resp.headers["ETag"].startswith('W/"')  # DTSTAMP differs per build: same meaning, not bytes
    async with sessionmaker() as session:  # the newest of the notice, the person's row, the token
        user = await session.get(User, 1)
        assert user is not None and user.updated_at > NOW - timedelta(days=1)
        newest = max(user.updated_at, NOW - timedelta(days=1), NOW - timedelta(days=5))
    assert resp.headers["Last-Modified"] == format_datetime(newest.replace(microsecond=0), usegmt=True)
    p = parse(await resp.read())
    assert p.event("uid-1@noticebot.invalid").decoded("DTSTART") == NOW.date() + timedelta(days=16)
    head = await http.head(feed.feed_path(token))
    assert head.status == 200 and head.headers["ETag"] == resp.headers["ETag"]


async def test_etag_and_last_modified_give_304(http, sessionmaker):
    token = await person(sessionmaker)
    first = await http.get(feed.feed_path(token))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = await http.get(feed.feed_path(token), headers={"If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag and not await again.read()
    assert (await http.get(feed.feed_path(token), headers={"If-None-Match": f'"x", {etag}'})).status == 304
    strong = etag.removeprefix("W/")  # RFC 9110: If-None-Match compares weakly
    assert (await http.get(feed.feed_path(token), headers={"If-None-Match": strong})).status == 304
    assert (await http.get(feed.feed_path(token), headers={"If-Modified-Since": modified})).status == 304
    older = format_datetime(NOW - timedelta(days=2), usegmt=True)
    assert (await http.get(feed.feed_path(token), headers={"If-Modified-Since": older})).status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110): a stale tag means a full answer.
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
    assert (await http.get(feed.feed_path(token), headers=stale)).status == 200

    async with sessionmaker() as session:  # the notice changes: new ETag, full answer
        n = await session.get(Notice, 1)
        assert n is not None
        n.respond_by, n.sequence, n.updated_at = date(2027, 1, 5), 1, datetime.now(UTC)
        await session.commit()
    changed = await http.get(feed.feed_path(token), headers={"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert parse(await changed.read()).event("uid-1@noticebot.invalid").decoded("DTSTART") == date(2027, 1, 5)


async def test_every_miss_is_the_same_404(http, sessionmaker):
    token = await person(sessionmaker)
    other = await person(sessionmaker, uid=2)
    bodies = set()
    for path in (
        feed.feed_path("A" * 32),  # well-formed, unknown
        feed.feed_path("short"),
        feed.feed_path(token)[:-4],  # no .ics
        f"/calendar/{token}.ICS",
        "/calendar/%00.ics",
        "/calendar/",
        "/nothing-here",  # aiohttp's own 404
    ):
        resp = await http.get(path)
        assert resp.status == 404, path
        assert "ETag" not in resp.headers
        bodies.add(await resp.read())
    assert bodies == {b"404: Not Found"}
    async with sessionmaker() as session:  # a reset turns the old link off, not the other person's
        user = await session.get(User, 1)
        assert user is not None
        new = await feeds.issue_token(session, user, NOW)
        await session.commit()
    assert (await http.get(feed.feed_path(token))).status == 404
    assert (await http.get(feed.feed_path(new))).status == 200
    assert (await http.get(feed.feed_path(other))).status == 200


async def test_resolved_notice_leaves_the_feed(http, sessionmaker):
    token = await person(sessionmaker, status=NoticeStatus.PAID, status_changed_at=NOW - timedelta(hours=1))
    assert parse(await (await http.get(feed.feed_path(token))).read()).events() == []


async def test_rate_limit_per_ip_across_all_tokens(http, sessionmaker):
    # Regression: the limit was per IP across all tokens, and Google, Outlook.com and iCloud fetch
    # everyone's feeds from shared addresses: the 31st request in a minute got 429 for any token.
    # The limits' clock stands still: on a busy machine the 90 requests took long enough to refill one.
    http.server.app[feed.FEED].clock = lambda: 1000.0
    tokens = [await person(sessionmaker, uid=i) for i in range(1, 4)]
    for token in tokens:
        statuses = [(await http.get(feed.feed_path(token))).status for _ in range(feed.RATE_PER_MINUTE)]
        assert statuses == [200] * feed.RATE_PER_MINUTE
    limited = await http.get(feed.feed_path(tokens[0]))
    assert limited.status == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert (await http.get(feed.feed_path(tokens[1]))).status == 429
    assert (await http.get(feed.feed_path(await person(sessionmaker, uid=9)))).status == 200  # a new token


async def test_per_ip_ceiling_stops_guessing(sessionmaker):
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), per_ip=5)
    token = await person(sessionmaker)
    async with TestClient(TestServer(app)) as client:
        misses = [(await client.get(feed.feed_path(f"{'A' * 31}{c}"))).status for c in "BCDEF"]
        assert misses == [404] * 5
        assert (await client.get(feed.feed_path(token))).status == 429  # the ceiling counts everything


async def test_behind_a_trusted_proxy_each_client_has_its_own_ceiling(sessionmaker):
    """Behind the reverse proxy deploy/README recommends, every request comes from the proxy: with
    TRUSTED_PROXIES the forwarded client address is limited, not the proxy's."""
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), (ip_network("127.0.0.0/8"),), per_ip=3)
    token = await person(sessionmaker)
    async with TestClient(TestServer(app)) as client:
        def get(forwarded_for: str):  # type: ignore[no-untyped-def]
            return client.get(feed.feed_path(token), headers={"X-Forwarded-For": forwarded_for})

        for _ in range(3):
            assert (await get("203.0.113.7")).status == 200
        assert (await get("203.0.113.7")).status == 429
        assert (await get("198.51.100.2")).status == 200  # another client behind the same proxy
        # What a client writes itself stays on the left and is not believed.
        assert (await get("198.51.100.99, 203.0.113.7")).status == 429


async def test_without_trusted_proxies_x_forwarded_for_is_ignored(sessionmaker):
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), per_ip=3)
    token = await person(sessionmaker)
    async with TestClient(TestServer(app)) as client:
        for i in range(3):
            assert (await client.get(feed.feed_path(token), headers={"X-Forwarded-For": f"10.0.0.{i}"})).status == 200
        assert (await client.get(feed.feed_path(token), headers={"X-Forwarded-For": "10.9.9.9"})).status == 429


def test_client_ip_takes_the_rightmost_untrusted_hop():
    proxies = (ip_network("10.0.0.0/8"), ip_network("::1/128"))
    assert feed.client_ip("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.4", proxies) == "203.0.113.9"
    assert feed.client_ip("192.0.2.1", "203.0.113.9", proxies) == "192.0.2.1"  # not from a proxy
    assert feed.client_ip("10.0.0.5", None, proxies) == "10.0.0.5"
    assert feed.client_ip("10.0.0.5", "10.0.0.3, 10.0.0.4", proxies) == "10.0.0.3"  # proxies only
    assert feed.client_ip("::1", "not-an-ip", proxies) == "not-an-ip"
    assert feed.client_ip("10.0.0.5", "203.0.113.9", ()) == "10.0.0.5"


def test_rate_limiter_refills_and_stays_bounded():
    limiter = feed.RateLimiter(rate=2, max_tracked=3)
    assert [limiter.allow("a", 0.0)[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("a", 0.0) == (False, 30)
    assert limiter.allow("b", 0.0)[0]  # per key
    assert limiter.allow("a", 30.0)[0]  # one request back after half a minute
    for i in range(10):
        limiter.allow(f"key{i}", 100.0)
    assert len(limiter.buckets) <= 3


def test_feed_urls():
    assert feed.feed_urls("https://bot.example.org/", "tok") == (
        "https://bot.example.org/calendar/tok.ics",
        "webcal://bot.example.org/calendar/tok.ics",
    )
