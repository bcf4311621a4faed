"""One router per feature; `get_routers()` gives them in the order they must be tried."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot.routers import (
        basic,
        calendar,
        cases,
        corrections,
        draft_card,
        fallback,
        instruments,
        intake,
        notice_edit,
        notice_tools,
        notices,
        plans,
        questions,
        relief,
        reminders,
        settings,
        shares,
        summary,
    )

    # Commands and answers to open questions come first; then questions in plain words (so "what does
    # CP504 mean" is not taken for a notice); then intake, which reads any other text as a possible
    # notice; corrections of the latest card or saved notice come before intake reads a new notice;
    # fallback must stay last: it answers whatever no other router took.
    # shares first: its /start <invite> must be tried before basic's plain /start.
    return [shares.router, basic.router, settings.router, notices.router, cases.router, summary.router,
            notice_tools.router, notice_edit.router,
            plans.router,
            relief.router, calendar.router, reminders.make_router(), instruments.make_router(), questions.router,
            corrections.router, draft_card.router, intake.router, fallback.router]


def release_routers(dp: Router) -> None:
    """Detach the module-level feature routers from ``dp`` so that another dispatcher in the same
    process (tests, benchmarks) can include them: aiogram gives a router one parent only."""
    for router in list(dp.sub_routers):
        router._parent_router = None
    dp.sub_routers.clear()
