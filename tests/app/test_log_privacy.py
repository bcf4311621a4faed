"""Issue 18: logs cannot carry personal text. A name, an address, a phone number, an SSN and an amount
go through every failing path (a handler that raises with them in its message, /tz with a long
argument, SQLAlchemy errors on SQLite and PostgreSQL with them as statement parameters, a NUL byte
PostgreSQL refuses, library loggers given them as arguments, an exception logged by asyncio), and
the log file written by the production set-up is grepped for every piece."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from app.logs import setup_logging
from bot.routers import basic
from storage.db import make_engine
from storage.migrate import upgrade
from tests.dispatcher.inproc import dispatcher_stack

PERSONAL = "Maria Lopez, 1234 Elm Street, Springfield, 217-555-0143, SSN 078-05-1120, owes $4,321.09"
PIECES = ("Maria", "Lopez", "Elm Street", "Springfield", "555-0143", "078-05-1120", "4,321.09", "078051120")


@contextmanager
def production_log(path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("INFO", token="1:privacy", file=path)
    try:
        yield path
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:] = handlers
        root.setLevel(level)


def assert_clean(path: Path) -> str:
    logged = path.read_text(encoding="utf-8")
    leaked = [p for p in PIECES if p.lower() in logged.lower()]
    assert not leaked, (leaked, logged[:2000])
    return logged


async def test_a_failing_handler_and_a_long_tz_log_no_personal_text(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise ValueError(f"could not render help for {PERSONAL}")

    monkeypatch.setattr(basic, "help_text", broken)
    with production_log(tmp_path / "bot.log") as path:
        async with dispatcher_stack(tmp_path) as st:
            (reply,) = await st.say(4401, "/help " + PERSONAL)
            assert "something went wrong" in reply["plain_text"]
            (reply,) = await st.say(4401, "/tz " + PERSONAL * 4)
            assert "could not find that time zone" in reply["plain_text"]
    logged = assert_clean(path)
    assert "handler failed" in logged and "ValueError" in logged and "basic.py" in logged, logged


async def test_database_errors_log_no_statement_values(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    log = logging.getLogger("noticebot.test")
    with production_log(tmp_path / "db.log") as path:
        try:
            async with engine.begin() as conn:
                await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL UNIQUE)"))
                await conn.execute(text("INSERT INTO t (note) VALUES (:n)"), {"n": PERSONAL})
                await conn.execute(text("INSERT INTO t (note) VALUES (:n)"), {"n": PERSONAL})  # UNIQUE fails
        except Exception:
            log.exception("save failed")
        finally:
            await engine.dispose()
    logged = assert_clean(path)
    assert "save failed" in logged and "IntegrityError" in logged


@pytest.mark.postgres
async def test_a_nul_byte_refused_by_postgresql_is_not_logged_with_its_note(tmp_path: Path, pg_url: str) -> None:
    await upgrade(pg_url)
    engine = make_engine(pg_url)
    log = logging.getLogger("noticebot.test")
    with production_log(tmp_path / "pg.log") as path:
        try:
            async with engine.begin() as conn:
                await conn.execute(text("SELECT CAST(:n AS text)"), {"n": PERSONAL + "\x00"})
        except Exception:
            log.exception("save failed")
        finally:
            await engine.dispose()
    logged = assert_clean(path)
    assert "save failed" in logged and "Error" in logged


async def test_library_loggers_and_asyncio_log_no_arguments_or_exception_text(tmp_path: Path) -> None:
    with production_log(tmp_path / "lib.log") as path:
        logging.getLogger("aiogram.dispatcher").warning("Failed to fetch updates - %s", PERSONAL)
        logging.getLogger("aiohttp.server").error("Error handling request %r", PERSONAL)
        try:
            raise OSError(36, "File name too long", PERSONAL)
        except OSError:
            logging.getLogger("aiohttp.server").exception("Unhandled exception")

        async def fails() -> None:
            raise RuntimeError(PERSONAL)

        task = asyncio.get_running_loop().create_task(fails())
        await asyncio.sleep(0)
        asyncio.get_running_loop().call_exception_handler(
            {"message": "Task exception was never retrieved", "exception": task.exception(), "future": task})
    logged = assert_clean(path)
    assert "Failed to fetch updates" in logged and "OSError" in logged and "RuntimeError" in logged


def test_the_log_scrubber_uses_the_products_redaction() -> None:
    from app.logs import scrub

    for form in ("078\u201305\u20131120", "078-05-11\u200b20", "9 1 2 7 0 1 2 3 4", "SSN 078 051 120"):
        assert "1120" not in scrub(f"x {form} y") and "1 2 3 4" not in scrub(form), form
    assert scrub("update 12345678 took 3 ms") == "update 12345678 took 3 ms"
