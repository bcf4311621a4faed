"""One router per feature; `get_routers()` gives them in the order they must be tried."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot import reminders
    from bot.routers import basic, calendar, fallback, intake, notices, settings

    # Commands and answers to open questions come before intake, which reads any other text as a
    # possible notice; fallback must stay last: it answers whatever no other router took.
    return [basic.router, settings.router, notices.router, calendar.router, reminders.make_router(), intake.router,
            fallback.router]
