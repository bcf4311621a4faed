"""`noticebot migrate` brings an empty SQLite or PostgreSQL database to the latest schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import inspect

from storage.db import make_engine


def _migrate(url: str, tmp_path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "app", "migrate"], capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DATABASE_URL": url},
    )


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = make_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(read())


def test_migrate_sqlite(tmp_path, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    result = _migrate(sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "latest schema" in result.stdout
    assert {"users", "notices", "reminders"} <= _tables(sqlite_url)


@pytest.mark.postgres
def test_migrate_postgres(tmp_path, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    result = _migrate(pg_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "password" not in result.stdout
    assert {"users", "notices", "reminders"} <= _tables(pg_url)


def test_migrate_unreachable_postgres_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _migrate("postgresql+asyncpg://nobody@127.0.0.1:1/none", tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "DATABASE_URL" in result.stderr
