"""The subscribe page ``GET /subscribe/<token>``: one-tap buttons that add the live feed to Apple
Calendar, Google Calendar or Outlook.

Telegram does not make ``webcal://`` links tappable, so /feed sends this https page instead. It
holds no personal data (no name, no deadline): only the feed's links, which the person already
has. It does not look the token up, so it cannot tell anyone whether a token exists; it only
refuses what cannot be a token. The links out go to Google and Microsoft: ``no-referrer`` keeps
the page's address (and its token) out of their logs.

Where the links come from: Apple opens ``webcal://`` as a subscription; Google Calendar's
``/calendar/render?cid=<feed URL>`` opens its "add by URL" dialog; Outlook's
``/calendar/0/addfromweb?url=<feed URL>&name=<name>`` on outlook.live.com (personal accounts) and
outlook.office.com (work or school accounts) opens "Subscribe from web" (docs/calendar.md).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from aiogram.utils.i18n import gettext as _
from aiohttp import web

from notices.words import DEFAULT, language
from services.feeds import looks_like_token
from web.feed import FEED, _not_found, feed_urls, limit

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
    "a.b{display:block;margin:.6rem 0;padding:.9rem;border-radius:.6rem;background:#1f6feb;color:#fff;"
    "text-align:center;text-decoration:none;font-size:1.1rem}code{word-break:break-all}"
)


def subscribe_path(token: str, lang: str = DEFAULT) -> str:
    return f"/subscribe/{token}" + (f"?lang={lang}" if lang != DEFAULT else "")


def links(base_public_url: str, token: str, name: str) -> dict[str, str]:
    """The buttons' targets, by client."""
    https, webcal = feed_urls(base_public_url, token)
    outlook = urlencode({"url": https, "name": name}, quote_via=quote)
    return {
        "apple": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + outlook,
        "outlook_work": "https://outlook.office.com/calendar/0/addfromweb?" + outlook,
        "https": https,
    }


def page(base_public_url: str, token: str, lang: str) -> str:
    name = _("IRS deadlines (noticebot)", locale=lang)
    to = {key: escape(url) for key, url in links(base_public_url, token, name).items()}
    buttons = [
        ("apple", _("Apple Calendar (iPhone, iPad, Mac)", locale=lang)),
        ("google", _("Google Calendar", locale=lang)),
        ("outlook", _("Outlook.com", locale=lang)),
        ("outlook_work", _("Outlook (work or school account)", locale=lang)),
    ]
    # Outside the f-strings below: Babel's extractor does not look inside them.
    heading = _("Add your IRS deadlines to your calendar", locale=lang)
    other_apps = _("Another app? Add a calendar by URL and paste:", locale=lang)
    private = _("This link is private: anyone who has it can see your deadlines.", locale=lang)
    html = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
        *(f'<a class="b" href="{to[key]}">{escape(label)}</a>' for key, label in buttons),
        "<p>"
        + escape(
            _(
                "Alerts: in Apple Calendar, turn off “Remove Alerts” when you subscribe (on a Mac: "
                "the calendar's Get Info, Alerts). Google Calendar and Outlook never alert for a "
                "subscribed calendar: the bot's reminders in Telegram stay your alarm.",
                locale=lang,
            )
        )
        + "</p>",
        f"<p>{escape(other_apps)}<br>"
        f"<code>{to['https']}</code></p>",
        f"<p>{escape(private)}</p>",
        "</body></html>",
    ]
    return "\n".join(html)


async def subscribe_page(request: web.Request) -> web.Response:
    feed = request.app[FEED]
    token = request.match_info["token"]
    refused = limit(request, None)  # per IP only: the page reads nothing of the person
    if refused is not None:
        return refused
    if not looks_like_token(token):
        return _not_found()
    lang = language(request.query.get("lang"))
    with feed.i18n.context():
        text = page(feed.base_public_url, token, lang)
    return web.Response(text=text, content_type="text/html", charset="utf-8", headers=HEADERS)


def setup(app: web.Application) -> None:
    app.router.add_get("/subscribe/{token}", subscribe_page)
