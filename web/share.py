"""The read-only page of a shared case: ``GET /share/<token>`` (issue 16).

The token is the only credential: only its hash is stored, it never reaches a log (aiohttp's access
log is off), and a forged or unknown token gets the same friendly 404 page whatever it looks like;
a revoked link a friendly 410. The page shows the case's timeline, notices, deadlines and what the
owner logged, in the language asked for (``?lang=``) or the owner's; never an identifier, the
owner's notes or the phone number they saved (docs/architecture.md). It is made for a phone
(viewport, one column that wraps), kept out of search engines (``noindex`` in the page and the
``X-Robots-Tag`` header) and out of shared caches (``no-store``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _
from aiohttp import web

from notices import catalog
from notices.cases import DeadlineState, Logged
from notices.money import money
from notices.redact import redact
from notices.words import language, long_date
from services import shares
from services.cases import CaseView
from services.feeds import looks_like_token
from services.unit import Unit
from web.feed import FEED, limit

HEADERS = {
    "Cache-Control": "no-store, private",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}
_STYLE = (
    "*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;"
    "line-height:1.45;overflow-wrap:anywhere}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.4rem}"
    "ul{padding-left:1.2rem}li{margin:.3rem 0}.hard{color:#b42318;font-weight:600}.note{color:#555;font-size:.9rem}"
    ".tag{display:inline-block;padding:.05rem .4rem;border-radius:.3rem;background:#eef;font-size:.85rem}"
)


def share_path(token: str) -> str:
    return f"/share/{token}"


def share_url(base_public_url: str, token: str) -> str:
    return base_public_url.rstrip("/") + share_path(token)


def _doc(lang: str, title: str, body: Iterable[str]) -> str:
    return "\n".join([
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        '<meta name="robots" content="noindex,nofollow">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>", *body, "</body></html>"])


def _day(d: date | None, lang: str) -> str:
    return escape(long_date(d, lang)) if d is not None else "—"


def _notice_name(code: str, lang: str) -> str:
    info = catalog.get(code)
    return f"{escape(code)} — {escape(info.title.get(lang))}" if info else escape(code)


def _deadline(d: DeadlineState, lang: str) -> str:
    state = {"met": _("met", locale=lang), "missed": _("passed", locale=lang), "open": _("open", locale=lang)}[d.state]
    line = f"<li><b>{escape(d.code)}</b>: {_day(d.day, lang)} — {escape(state)}"
    if d.hard:
        line += ' <span class="hard">' + escape(_("hard deadline: a right is lost if it is missed", locale=lang)) + "</span>"
    if d.estimated:
        line += " " + escape(_("(estimate)", locale=lang))
    return line + "</li>"


def _logged(x: Logged, lang: str) -> str:
    text = {
        "call": _("call to the IRS about {code}", locale=lang),
        "letter": _("letter to the IRS about {code}", locale=lang),
        "instrument": _("sent what keeps the right on {code}", locale=lang),
        "plan": _("payment plan set up for {code}", locale=lang),
        "payment": _("plan payment made ({code})", locale=lang),
        "cant_pay": _("could not pay this month's plan payment ({code})", locale=lang),
        "paid": _("{code} marked paid", locale=lang),
    }[x.kind].format(code=x.code)
    if x.kind == "call" and x.detail:  # what the owner typed: identifiers are taken out
        text += " — " + _("agreed: {what}", locale=lang).format(what=redact(x.detail).text)
    return f"<li>{_day(x.day, lang)}: {escape(text)}</li>"


def case_page(view: CaseView, lang: str) -> str:
    story = view.timeline
    title = _("Shared IRS case (read-only)", locale=lang)
    amounts = {n.id: n.amount_cents for n in view.notices}
    body = [f"<h1>{escape(title)}</h1>",
            '<p class="note">' + escape(_("Shared with you to see only. Nothing here identifies the person, and "
                                          "their notes are not shared.", locale=lang)) + "</p>"]
    if story.now is not None and story.stage is not None:
        stage = _("Stage now: {stage} ({code})", locale=lang).format(stage=story.stage.stage_name.get(lang),
                                                                     code=story.now.code)
        body.append(f"<p><b>{escape(stage)}</b></p>")
    if story.resolved:
        body.append("<p>" + escape(_("Nothing in this case is counting any more.", locale=lang)) + "</p>")
    body.append("<h2>" + escape(_("Notices received", locale=lang)) + "</h2><ul>")
    for n in story.received:
        amount = money(amounts.get(n.notice_id), cents=True, lang=lang)
        dated = _("dated {date}", locale=lang).format(date=long_date(n.notice_date, lang)) if n.notice_date else \
            _("received {date}", locale=lang).format(date=long_date(n.received, lang)) if n.received else ""
        body.append(f"<li><b>{_notice_name(n.code, lang)}</b><br>{escape(dated)} · {escape(amount)} · "
                    f'<span class="tag">{escape(_status(n.status, lang))}</span></li>')
    body.append("</ul>")
    if story.deadlines:
        body += ["<h2>" + escape(_("Deadlines", locale=lang)) + "</h2><ul>",
                 *(_deadline(d, lang) for d in story.deadlines), "</ul>"]
    if story.next_expected:
        body.append("<h2>" + escape(_("Next expected if nothing is done", locale=lang)) + "</h2><ul>")
        for nxt in story.next_expected:
            line = _("{code} between {start} and {end}", locale=lang).format(
                code=nxt.code, start=long_date(nxt.earliest, lang), end=long_date(nxt.latest, lang))
            body.append(f"<li>{escape(line)} {escape(_('(estimate)', locale=lang)) if nxt.estimate else ''}</li>")
        body.append("</ul>")
    body.append("<h2>" + escape(_("Calls, letters and payments", locale=lang)) + "</h2>")
    body += ["<ul>", *(_logged(x, lang) for x in story.logged), "</ul>"] if story.logged else \
        ["<p>" + escape(_("Nothing logged yet.", locale=lang)) + "</p>"]
    body.append("<h2>" + escape(_("Documents", locale=lang)) + "</h2><ul>")
    body += [f"<li>{_notice_name(n.code, lang)} — {_day(n.notice_date or n.received, lang)}</li>" for n in story.received]
    body.append("</ul><p class=\"note\">" + escape(_("The letters themselves are not kept here: ask the person "
                                                     "who shared this case for a copy.", locale=lang)) + "</p>")
    return _doc(lang, title, body)


def _status(status: str, lang: str) -> str:
    return {"open": _("open", locale=lang), "paid": _("paid", locale=lang), "plan": _("payment plan", locale=lang),
            "disputed": _("disputed", locale=lang), "closed": _("closed", locale=lang)}.get(status, status)


def missing_page(lang: str, gone: bool) -> str:
    title = _("This case is no longer shared", locale=lang) if gone else _("This link does not work", locale=lang)
    text = (_("The person who shared it has ended access. Ask them for a new link if you still need it.",
              locale=lang) if gone else
            _("Check that you copied the whole link, or ask the person who shared the case for a new one.",
              locale=lang))
    return _doc(lang, title, [f"<h1>{escape(title)}</h1>", f"<p>{escape(text)}</p>"])


async def share_page(request: web.Request) -> web.Response:
    feed = request.app[FEED]
    token = request.match_info["token"]
    refused = limit(request, token if looks_like_token(token) else None)
    if refused is not None:
        return refused
    asked = request.query.get("lang")
    lang = language(asked) if asked else None
    async with feed.sessionmaker() as session:
        found = await shares.open_link(Unit(session), token, lang)
    with feed.i18n.context():
        if found.outcome is shares.Link.OPEN and found.view is not None and found.language:
            return _html(case_page(found.view, found.language), 200)
        return _html(missing_page(lang or language(None), found.outcome is shares.Link.GONE),
                     410 if found.outcome is shares.Link.GONE else 404)


def _html(text: str, status: int) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def setup(app: web.Application) -> None:
    app.router.add_get("/share/{token}", share_page)
