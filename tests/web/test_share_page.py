"""GET /share/<token>: the read-only page of a shared case (timeline, notices, deadlines, logged
calls, documents; no identifiers, no notes), for phones, kept out of search engines and caches; a
revoked link and a forged token get friendly pages (410, 404)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.dispatcher import make_i18n
from tests.web.share_support import NOTES, SSN, Shared, shared_case
from web import feed
from web.share import share_path


@pytest.fixture
async def http(sessionmaker) -> AsyncIterator[tuple[TestClient, Shared]]:  # type: ignore[no-untyped-def]
    shared = await shared_case(sessionmaker)
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n())
    async with TestClient(TestServer(app)) as client:
        yield client, shared


def private(resp) -> None:  # type: ignore[no-untyped-def]
    assert "noindex" in resp.headers["X-Robots-Tag"]
    assert "no-store" in resp.headers["Cache-Control"] and "private" in resp.headers["Cache-Control"]
    assert resp.headers["Referrer-Policy"] == "no-referrer"


async def test_the_page_shows_the_case_without_notes_or_identifiers(http) -> None:  # type: ignore[no-untyped-def]
    client, shared = http
    resp = await client.get(share_path(shared.token))
    assert resp.status == 200 and resp.content_type == "text/html"
    private(resp)
    html = await resp.text()
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in html
    assert '<meta name="robots" content="noindex,nofollow">' in html
    for part in ("Notices received", "CP14", "CP501", "Deadlines", "Calls, letters and payments",
                 "call to the IRS about CP14", "Documents", "$3,412.18"):
        assert part in html, part
    assert NOTES not in html and "spare key" not in html and "555-0100" not in html
    assert SSN not in html and "6789" not in html  # redacted out of the logged call
    assert "<script" not in html


async def test_the_page_in_spanish(http) -> None:  # type: ignore[no-untyped-def]
    client, shared = http
    html = await (await client.get(share_path(shared.token) + "?lang=es")).text()
    assert 'lang="es"' in html and "Avisos recibidos" in html and "Fechas límite" in html


async def test_a_revoked_link_says_so(http) -> None:  # type: ignore[no-untyped-def]
    client, shared = http
    resp = await client.get(share_path(shared.revoked))
    assert resp.status == 410
    private(resp)
    html = await resp.text()
    assert "no longer shared" in html and "CP14" not in html


@pytest.mark.parametrize("token", ["A" * 32, "abc", "x" * 80, "A" * 31 + "~"])
async def test_a_forged_token_gets_the_friendly_not_found_page(http, token: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = http
    resp = await client.get(share_path(token))
    assert resp.status == 404
    private(resp)
    html = await resp.text()
    assert "This link does not work" in html and "CP14" not in html
