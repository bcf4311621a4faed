"""The share page in a real headless browser: Debian's chromium driven by Playwright (through
``executable_path``; Playwright's own browser download cannot reach its servers here), on a phone
(390x844): the case shows and nothing overflows sideways; a revoked link and a forged token show
the friendly pages.

Skipped with the reason when chromium or Playwright is missing, except in CI (CI=true: .ci/run
installs chromium), where that must fail the run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.dispatcher import make_i18n
from tests.web.share_support import NOTES, shared_case
from web import feed
from web.share import share_path

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
MISSING = (
    "Playwright for Python is not installed (pip install -e .[test])"
    if importlib.util.find_spec("playwright") is None
    else f"no chromium at {CHROMIUM} (apt-get install chromium)" if not os.path.exists(CHROMIUM)
    else None
)
if MISSING and os.environ.get("CI") != "true":
    pytestmark = pytest.mark.skip(reason=f"{MISSING} - share page browser test skipped")

PHONE = {"width": 390, "height": 844}


async def test_the_share_page_on_a_phone(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    if MISSING:  # in CI: fail, do not skip
        pytest.fail(MISSING)
    from playwright.async_api import async_playwright

    shared = await shared_case(sessionmaker)
    app = web.Application()
    feed.setup(app, sessionmaker, make_i18n())
    server = TestServer(app)
    await server.start_server()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=["--no-sandbox", "--disable-dev-shm-usage"])
            try:
                page = await browser.new_page(viewport=PHONE, is_mobile=True, device_scale_factor=3)
                answer = await page.goto(str(server.make_url(share_path(shared.token))))
                assert answer is not None and answer.status == 200
                body = await page.inner_text("body")
                assert "CP14" in body and "CP501" in body and "Deadlines" in body and NOTES not in body
                width, inner = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert inner == PHONE["width"] and width <= inner, (width, inner)
                robots = await page.get_attribute('meta[name="robots"]', "content")
                assert robots is not None and "noindex" in robots

                answer = await page.goto(str(server.make_url(share_path(shared.revoked))))
                assert answer is not None and answer.status == 410
                assert "no longer shared" in await page.inner_text("h1")
                answer = await page.goto(str(server.make_url(share_path("F" * 32))))
                assert answer is not None and answer.status == 404
                assert "This link does not work" in await page.inner_text("h1")
                width, inner = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert width <= inner
            finally:
                await browser.close()
    finally:
        await server.close()
