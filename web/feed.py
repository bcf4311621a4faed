"""The private live calendar feed: ``GET /calendar/<token>.ics`` on the bot's HTTP app.

Calendar apps subscribe to it and poll; the token in the URL is the only credential, so every miss
looks the same (no hint whether a token ever existed), the token never reaches a log, and each
client IP is rate-limited (behind a reverse proxy listed in TRUSTED_PROXIES, the client's address it
forwards).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from ipaddress import ip_address

from aiogram.utils.i18n import I18n
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Network
from notices.ics import DEADLINES_FILENAME
from services.calendar import calendar_rows, feed_version, render
from storage import feeds

SUFFIX = ".ics"
# Calendar apps poll every few minutes to several hours; a person refreshing by hand stays far
# below this. It is about scrapers and broken clients, not about guessing 192-bit tokens.
RATE_PER_MINUTE = 30
MAX_TRACKED_IPS = 10_000
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
    """Token bucket per client IP: ``rate`` requests a minute, bursts up to ``rate``."""

    rate: int = RATE_PER_MINUTE
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # ip -> (tokens, at)

    def allow(self, ip: str, now: float) -> tuple[bool, int]:
        """(allowed, seconds until the next request would be)."""
        tokens, at = self.buckets.get(ip, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - at) * self.rate / 60)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        if len(self.buckets) >= MAX_TRACKED_IPS and ip not in self.buckets:
            self._forget_full(now)
        self.buckets[ip] = (tokens, now)
        return allowed, 0 if allowed else max(1, math.ceil((1 - tokens) * 60 / self.rate))

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely carries no information: drop those first, and if
        # an attack fills the table with fresh IPs anyway, start over rather than grow forever.
        full = [
            ip
            for ip, (tokens, at) in self.buckets.items()
            if tokens + (now - at) * self.rate / 60 >= self.rate
        ]
        for ip in full:
            del self.buckets[ip]
        if len(self.buckets) >= MAX_TRACKED_IPS:
            self.buckets.clear()


@dataclass
class Feed:
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n
    limiter: RateLimiter
    trusted_proxies: Sequence[Network] = ()


FEED = web.AppKey("calendar_feed", Feed)


def _not_found() -> web.Response:
    # Word for word what aiohttp answers for an unknown path, so a wrong token, a malformed one
    # and a path that is no feed at all cannot be told apart.
    return web.Response(status=404, text="404: Not Found")


def _not_modified(request: web.Request, etag: str, last_modified: datetime | None) -> bool:
    # RFC 9110 13.2.2: when If-None-Match is present, If-Modified-Since is ignored.
    if request.headers.get("If-None-Match") is not None:
        tags = {tag.strip().removeprefix("W/") for tag in request.headers["If-None-Match"].split(",")}
        return "*" in tags or etag in tags
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since


async def calendar_feed(request: web.Request) -> web.Response:
    feed = request.app[FEED]
    ip = client_ip(request.remote or "", request.headers.get("X-Forwarded-For"), feed.trusted_proxies)
    allowed, retry_after = feed.limiter.allow(ip, time.monotonic())
    if not allowed:
        return web.Response(
            status=429, text="429: Too Many Requests", headers={"Retry-After": str(retry_after)}
        )
    name = request.match_info["name"]
    if not name.endswith(SUFFIX):
        return _not_found()
    now = datetime.now(UTC)
    async with feed.sessionmaker() as session:
        user = await feeds.user_by_token(session, name.removesuffix(SUFFIX))
        if user is None:
            return _not_found()
        rows = await calendar_rows(session, user, now=now)
        etag, last_modified = feed_version(rows, user)
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Robots-Tag": "noindex"}
        if last_modified is not None:
            headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
        if _not_modified(request, etag, last_modified):
            return web.Response(status=304, headers=headers)
        with feed.i18n.context():
            body = render(rows, user, now=now)
    headers["Content-Disposition"] = f'inline; filename="{DEADLINES_FILENAME}"'
    return web.Response(body=body, headers=headers, content_type="text/calendar", charset="utf-8")


def setup(app: web.Application, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n,
          trusted_proxies: Sequence[Network] = ()) -> None:
    """Serve the feed on ``app`` (the bot's HTTP app, next to /healthz)."""
    app[FEED] = Feed(sessionmaker, i18n, RateLimiter(), trusted_proxies)
    app.router.add_get("/calendar/{name}", calendar_feed)
