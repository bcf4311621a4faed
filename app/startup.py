"""What both start-ups do, the bot's (`noticebot run`) and the reminder worker's: stop on a signal,
open the database."""

from __future__ import annotations

import asyncio
import signal
from contextlib import suppress
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import ConfigError
from storage import migrate
from storage.db import is_sqlite, make_engine


def stop_on_signals(stop: asyncio.Event | None = None) -> asyncio.Event:
    """``stop`` (or a new event), set by SIGTERM or SIGINT: the process then finishes cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(NotImplementedError, RuntimeError, ValueError):  # not on this platform or thread
            loop.add_signal_handler(sig, stop.set)
    return stop


async def open_database(url: str) -> AsyncEngine:
    """Connect once up front so a wrong or unreachable database is one clear line, not a traceback."""
    if is_sqlite(url):
        database = make_url(url).database
        file = Path(database).expanduser() if database and database != ":memory:" else None
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        # The embedded default migrates itself on start; a file already current skips Alembic (~90 ms).
        if file is None or not migrate.sqlite_is_current(str(file)):
            await migrate.upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        await engine.dispose()
        raise ConfigError(
            f"DATABASE_URL: cannot connect ({type(exc).__name__}: {str(exc).splitlines()[0][:160]}). "
            "Check that the server is running and the URL, user and password are right."
        ) from None
    return engine
