"""Engine and session factory for SQLite (aiosqlite, the embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # an error's text never carries the statement's values (a note, a phone number) into a log
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cur.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE for /forget
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free space
            cur.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


log = logging.getLogger("noticebot.db")


class Session(AsyncSession):
    """An AsyncSession whose closing never fails the work it held.

    Closing only rolls back what was not committed. When the database has dropped the connection
    (a restart, a failover, an administrator's kill), that rollback fails although everything
    committed is safe and nothing uncommitted can survive anyway; the pool discards the connection.
    Raising there turned finished work into an apology ("please try again") after "Saved.".
    """

    async def close(self) -> None:
        try:
            await super().close()
        except DBAPIError as exc:
            log.warning("closing a session on a dropped connection", extra={"error": type(exc).__name__})


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=Session, expire_on_commit=False)
