"""The private live calendar feed: ``GET /calendar/<token>.ics`` on the bot's HTTP app.

Calendar apps subscribe to it and poll; the token in the URL is the only credential, so every miss
looks the same (no hint whether a token ever existed) and the token never reaches a log. Google,
Outlook.com and iCloud fetch everyone's feeds from a few shared addresses, so the rate limit is
per token, with a generous per-IP ceiling against guessing (behind a reverse proxy listed in
TRUSTED_PROXIES, the client's address it forwards). Bodies are gzipped when the client asks; the
ETag is weak (DTSTAMP differs per build) and Last-Modified only moves forward.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from ipaddress import ip_address

from aiogram.utils.i18n import I18n
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Network
from notices.ics import DEADLINES_FILENAME
from services.calendar import calendar_rows, feed_version, last_change, render
from services.feeds import looks_like_token, person_by_token

SUFFIX = ".ics"
# Calendar apps poll every few minutes to several hours; a person refreshing by hand stays far
# below this. It is about scrapers and broken clients, not about guessing 192-bit tokens.
RATE_PER_MINUTE = 30
# Per client IP, all tokens together: a shared fetcher (Google, iCloud, Outlook.com) polls many
# people's feeds from one address, so this is only a ceiling against guessing and floods.
IP_RATE_PER_MINUTE = 1_200
MAX_TRACKED = 100_000  # keys per limiter (~150 bytes each); beyond, full buckets are dropped
# The feed changes whenever a notice does: clients may keep a copy but must ask again (a 304 is
# cheap). "private": it is one person's financial data, not for shared caches.
CACHE_CONTROL = "private, no-cache"


def feed_path(token: str) -> str:
    return f"/calendar/{token}{SUFFIX}"


def feed_urls(base_public_url: str, token: str) -> tuple[str, str]:
    """(https://… for a browser or Google's "From URL", webcal://… that phones open as a subscription)."""
    https = base_public_url.rstrip("/") + feed_path(token)
    return https, "webcal://" + https.split("://", 1)[1]


def client_ip(peer: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """Who is asking: the peer, or, when the peer is a trusted proxy (TRUSTED_PROXIES), the
    rightmost X-Forwarded-For address that is not one (each proxy appends the address it saw, so
    what a client wrote itself is further left and never trusted)."""
    hops = [peer]
    if trusted and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")] + hops
    for hop in reversed(hops):
        try:
            address = ip_address(hop)
        except ValueError:
            return hop  # not an address: whatever it is gets a bucket of its own
        if not any(address in net for net in trusted):
            return hop
    return hops[0]


@dataclass
class RateLimiter:
    """Token bucket per key (a client IP or a feed token): ``rate`` requests a minute, bursts up
    to ``rate``."""

    rate: int = RATE_PER_MINUTE
    max_tracked: int = MAX_TRACKED
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, at)

    def allow(self, key: str, now: float) -> tuple[bool, int]:
        """(allowed, seconds until the next request would be)."""
        tokens, at = self.buckets.get(key, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - at) * self.rate / 60)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        if len(self.buckets) >= self.max_tracked and key not in self.buckets:
            self._forget_full(now)
        self.buckets[key] = (tokens, now)
        return allowed, 0 if allowed else max(1, math.ceil((1 - tokens) * 60 / self.rate))

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely carries no information: drop those first, and if
        # a flood fills the table with fresh keys anyway, start over rather than grow forever.
        full = [key for key, (tokens, at) in self.buckets.items() if tokens + (now - at) * self.rate / 60 >= self.rate]
        for key in full:
            del self.buckets[key]
        if len(self.buckets) >= self.max_tracked:
            self.buckets.clear()


@dataclass
class Feed:
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n
    per_token: RateLimiter
    per_ip: RateLimiter
    trusted_proxies: Sequence[Network] = ()
    domain: str = "noticebot.invalid"  # the UIDs' domain (PUBLIC_URL's host)
    base_public_url: str = "http://127.0.0.1:8080"  # for the subscribe page's links
    clock: Callable[[], float] = time.monotonic  # the rate limits' clock (a test fixes it)


FEED = web.AppKey("calendar_feed", Feed)


def _not_found() -> web.Response:
    # Word for word what aiohttp answers for an unknown path, so a wrong token, a malformed one
    # and a path that is no feed at all cannot be told apart.
    return web.Response(status=404, text="404: Not Found")


def too_many(retry_after: int) -> web.Response:
    return web.Response(status=429, text="429: Too Many Requests", headers={"Retry-After": str(retry_after)})


def limit(request: web.Request, token: str | None) -> web.Response | None:
    """A 429 when this client IP or this token has asked too often, else None."""
    feed = request.app[FEED]
    now = feed.clock()
    ip = client_ip(request.remote or "", request.headers.get("X-Forwarded-For"), feed.trusted_proxies)
    allowed, retry_after = feed.per_ip.allow(ip, now)
    if allowed and token is not None:
        allowed, retry_after = feed.per_token.allow(token, now)
    return None if allowed else too_many(retry_after)


def _not_modified(request: web.Request, etag: str, last_modified: datetime | None) -> bool:
    # RFC 9110 13.2.2: when If-None-Match is present, If-Modified-Since is ignored; 13.1.2: it
    # compares weakly.
    if request.headers.get("If-None-Match") is not None:
        tags = {tag.strip().removeprefix("W/") for tag in request.headers["If-None-Match"].split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since


async def calendar_feed(request: web.Request) -> web.StreamResponse:
    feed = request.app[FEED]
    name = request.match_info["name"]
    token = name.removesuffix(SUFFIX) if name.endswith(SUFFIX) else None
    refused = limit(request, token if token is not None and looks_like_token(token) else None)
    if refused is not None:
        return refused
    if token is None:
        return _not_found()
    now = datetime.now(UTC)
    async with feed.sessionmaker() as session:
        user = await person_by_token(session, token)
        if user is None:
            return _not_found()
        rows = await calendar_rows(session, user)
        changed = await last_change(session, user)
        etag, last_modified = feed_version(rows, user, changed=changed, now=now, domain=feed.domain)
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Robots-Tag": "noindex", "Vary": "Accept-Encoding"}
        if last_modified is not None:
            headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
        if _not_modified(request, etag, last_modified):
            return web.Response(status=304, headers=headers)
        with feed.i18n.context():
            body = render(rows, user, now=now, domain=feed.domain)
    headers["Content-Disposition"] = f'inline; filename="{DEADLINES_FILENAME}"'
    response = web.Response(body=body, headers=headers, content_type="text/calendar", charset="utf-8")
    if "gzip" in request.headers.get("Accept-Encoding", "").lower():
        response.enable_compression(web.ContentCoding.gzip)
    return response


def setup(app: web.Application, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n,
          trusted_proxies: Sequence[Network] = (), *, domain: str = "noticebot.invalid",
          base_public_url: str = "http://127.0.0.1:8080", per_token: int = RATE_PER_MINUTE,
          per_ip: int = IP_RATE_PER_MINUTE) -> None:
    """Serve the feed and its subscribe page on ``app`` (the bot's HTTP app, next to /healthz)."""
    from web import share, subscribe  # the pages share the limits; imported here to keep one direction

    app[FEED] = Feed(sessionmaker, i18n, RateLimiter(per_token), RateLimiter(per_ip), trusted_proxies, domain,
                     base_public_url)
    app.router.add_get("/calendar/{name}", calendar_feed)
    subscribe.setup(app)
    share.setup(app)
