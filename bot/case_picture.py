"""The timeline picture of a case: the IRS collection ladder with the case's notices on their steps,
where the case is now and what is expected next (``notices.timeline`` draws it)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from notices import catalog, timeline
from notices.words import short_date
from services.cases import CaseView


def case_timeline_png(view: CaseView, lang: str) -> bytes:
    story = view.timeline
    now = story.now
    info = story.stage
    by_number: dict[int, list[catalog.NoticeInfo]] = {}
    for entry in catalog.all_notices():
        if entry.audience == "individual":
            by_number.setdefault(entry.stage, []).append(entry)
    current = info.stage if info else None
    received = []
    for n in story.received:
        got = catalog.get(n.code)
        if got is not None:
            day = n.notice_date or n.received
            received.append(timeline.Upcoming(got.stage, _("{code} received (dated {date})").format(
                code=n.code, date=short_date(day, lang)) if day else n.code))
    shown = {k for k in by_number if k >= 1} | {r.number for r in received} | ({current} if current is not None else set())
    stage_names = {s.key: s.name.get(lang) for s in catalog.load().stages.values()}
    rungs = []
    for number in sorted(shown):
        entries = by_number.get(number, [])
        if info is not None and number == current:
            names = [info.stage_name.get(lang)]
        else:
            names = list(dict.fromkeys(stage_names[e.stage_key] for e in entries)) or [str(number)]
        rungs.append(timeline.Rung(number, " / ".join(names), ", ".join(e.code for e in entries)))
    # Babel's short month names ("Sep 16, 2026", "16 sept 2026") keep the labels short
    here = ""
    if now is not None:
        when = short_date(now.respond_by, lang) if now.respond_by else _("date not known yet")
        here = _("You are here: {code}, respond by {date}").format(code=now.code, date=when)
        if now.estimated:
            here += " " + _("(estimated)")
    upcoming = []
    for nxt in story.next_expected:
        nxt_info = catalog.get(nxt.code)
        if nxt_info is None:
            continue
        label = _("{code} expected {start} – {end}").format(
            code=nxt.code, start=short_date(nxt.earliest, lang), end=short_date(nxt.latest, lang))
        if nxt.estimate:
            label += " " + _("(estimate)")
        upcoming.append(timeline.Upcoming(nxt_info.stage, label))
    from bot.case_texts import case_title  # the same title as the chat's

    picture = timeline.Timeline(
        title=_("{case}: where the case is on the IRS collection ladder").format(case=case_title(view.case)),
        rungs=tuple(rungs), current=current, here_label=here, upcoming=tuple(upcoming), received=tuple(received),
        footer=_("If nothing is done, each step usually follows the one before. Dates of next notices are ranges."),
    )
    return timeline.render(picture)
