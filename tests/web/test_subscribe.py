"""GET /subscribe/<token>: one-tap buttons for Apple, Google and Outlook, no personal data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.dispatcher import make_i18n
from web import feed, subscribe

TOKEN = "Abc-_123" * 4  # well-formed; the page never looks it up
BASE = "https://bot.example.org"


@pytest.fixture
async def http(sessionmaker) -> AsyncIterator[TestClient]:
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), base_public_url=BASE)
    async with TestClient(TestServer(app)) as client:
        yield client


def hrefs(html: str) -> list[str]:
    import html as h
    import re

    return [h.unescape(m) for m in re.findall(r'href="([^"]+)"', html)]


async def test_page_has_one_tap_buttons_for_each_client(http):
    resp = await http.get(subscribe.subscribe_path(TOKEN))
    assert resp.status == 200 and resp.content_type == "text/html"
    html = await resp.text()
    apple, google, outlook, outlook_work = hrefs(html)
    ics = f"{BASE}/calendar/{TOKEN}.ics"
    assert apple == f"webcal://bot.example.org/calendar/{TOKEN}.ics"
    assert urlsplit(google)[:3] == ("https", "calendar.google.com", "/calendar/render")
    assert parse_qs(urlsplit(google).query)["cid"] == [apple]
    for link, host in ((outlook, "outlook.live.com"), (outlook_work, "outlook.office.com")):
        assert urlsplit(link)[:3] == ("https", host, "/calendar/0/addfromweb")
        assert parse_qs(urlsplit(link).query) == {"url": [ics], "name": ["IRS deadlines (noticebot)"]}
    assert "Remove Alerts" in html and "never alert" in html
    assert ics in html  # to paste into any other app


async def test_page_sends_no_referrer_and_is_not_cached(http):
    resp = await http.get(subscribe.subscribe_path(TOKEN))
    assert resp.headers["Referrer-Policy"] == "no-referrer"  # the token stays out of Google's logs
    assert resp.headers["Cache-Control"] == "no-store"
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert "<script" not in await resp.text()


async def test_page_in_spanish(http):
    html = await (await http.get(subscribe.subscribe_path(TOKEN, "es"))).text()
    assert 'lang="es"' in html and "Añada sus plazos del IRS a su calendario" in html
    assert "Eliminar alertas" in html
    assert 'lang="en"' in await (await http.get(f"/subscribe/{TOKEN}?lang=xx")).text()


async def test_what_cannot_be_a_token_is_the_same_404(http):
    for path in ("/subscribe/short", "/subscribe/" + "ä" * 30, "/subscribe/" + "A" * 65):
        resp = await http.get(path)
        assert resp.status == 404 and await resp.text() == "404: Not Found"


async def test_page_is_rate_limited_per_ip(sessionmaker):
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n(), per_ip=2)
    async with TestClient(TestServer(app)) as client:
        assert [(await client.get(subscribe.subscribe_path(TOKEN))).status for _ in range(3)] == [200, 200, 429]
