"""One router per feature; `get_routers()` gives them in the order they must be tried."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from bot.routers import basic, fallback

    # fallback must stay last: it answers whatever no other router took.
    return [basic.router, fallback.router]
