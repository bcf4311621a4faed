"""`noticebot backup PATH`: SQLite's online backup API gives a consistent copy while writes go on;
the copy restores (opens, has the rows, is at the latest schema). PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.backup import BackupError, backup_sqlite, sqlite_path, target_path
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.models import Notice, User


def cli(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60, cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd), "DATABASE_URL": database_url},
    )


async def seed(url: str, people: int) -> None:
    await upgrade(url)
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        session.add_all(User(id=i) for i in range(1, people + 1))
        await session.flush()
        session.add_all(Notice(user_id=i, code="CP14", amount_cents=12345) for i in range(1, people + 1))
        await session.commit()
    await engine.dispose()


async def test_backup_while_writing_is_consistent_and_restores(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    await seed(url, 2000)
    source = sqlite_path(url)
    stop = threading.Event()
    written = [0]

    def writer() -> None:  # the running bot: WAL mode, a commit every few rows
        conn = sqlite3.connect(source, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        n = 0
        while not stop.is_set():
            n += 1
            conn.execute("INSERT INTO users (id, language, timezone, timezone_confirmed, reminder_minute, "
                         "reminder_offsets, active, created_at, updated_at) VALUES "
                         "(?, 'en', 'UTC', 0, 540, '[]', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                         (100_000 + n,))
            conn.commit()
            written[0] = n
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            await __import__("asyncio").sleep(0.01)
        result = backup_sqlite(source, tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    assert result.path == tmp_path / "copy.db" and result.bytes > 0
    assert result.tables["notices"] == 2000 and result.tables["users"] >= 2000 + 20
    assert not list(tmp_path.glob(".copy.db.partial*"))
    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file

    # Restore: the copy is a database the bot opens as is, already at the latest schema.
    restored = f"sqlite+aiosqlite:///{result.path}"
    engine = make_engine(restored)
    async with make_sessionmaker(engine)() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        amounts = await session.scalar(select(func.sum(Notice.amount_cents)))
    await engine.dispose()
    assert users == result.tables["users"] and amounts == 2000 * 12345
    before = (tmp_path / "copy.db").stat().st_mtime_ns
    await upgrade(restored)  # a no-op
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    assert before <= (tmp_path / "copy.db").stat().st_mtime_ns


async def test_refuses_what_would_lose_data(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    await seed(url, 1)
    source = sqlite_path(url)
    (tmp_path / "taken.db").write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(source, tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_bytes() == b"keep me"
    backup_sqlite(source, tmp_path / "taken.db", overwrite=True)
    with pytest.raises(BackupError, match="must not be the database itself"):
        backup_sqlite(source, source, overwrite=True)
    with pytest.raises(BackupError, match="no SQLite database"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "x.db")
    with pytest.raises(BackupError, match="pg_dump"):
        sqlite_path("postgresql+asyncpg://u@h/db")
    stamped = target_path(tmp_path)
    assert stamped.parent == tmp_path and stamped.name.startswith("noticebot-") and stamped.suffix == ".db"


async def test_cli_backup_sqlite_and_postgres(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await seed(url, 3)
    (tmp_path / "backups").mkdir()
    ok = cli("backup", "backups", database_url=url, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("backup written: ") and "users 3" in ok.stdout and "notices 3" in ok.stdout
    (made,) = (tmp_path / "backups").iterdir()
    with sqlite3.connect(made) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (3,)

    again = cli("backup", str(made), database_url=url, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr

    pg = cli("backup", "x.dump", database_url="postgresql+asyncpg://noticebot@127.0.0.1:5432/noticebot", cwd=tmp_path)
    assert pg.returncode == 2 and pg.stdout == ""
    lines = pg.stderr.strip().splitlines()
    assert len(lines) == 1 and "pg_dump" in lines[0] and "Traceback" not in pg.stderr
