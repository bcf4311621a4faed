"""Online backup of the SQLite database with SQLite's backup API: a consistent copy while the bot runs.

The copy is written next to the target under a temporary name, checked (``PRAGMA integrity_check``),
switched out of WAL mode so it is one self-contained file, and only then renamed into place, so a
failed or interrupted backup never leaves a half-written file where a good one is expected.
PostgreSQL is backed up with pg_dump (see deploy/README.md), not here.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

# One step: the copy is one read transaction. The bot's database is in WAL mode, where a reader never
# blocks the writer, so the bot keeps writing meanwhile; copying in several steps instead would restart
# from the beginning after every write by the bot, and could never finish on a busy bot.
PAGES_PER_STEP = -1


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    tables: dict[str, int]
    seconds: float


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "noticebot backup copies SQLite databases only; DATABASE_URL is PostgreSQL: use "
            "`pg_dump --format=custom --file=noticebot.dump \"$PG_URL\"` (see deploy/README.md)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("DATABASE_URL points at an in-memory SQLite database; there is nothing to back up.")
    return Path(url.database).expanduser()


def target_path(target: str | Path, now: datetime | None = None) -> Path:
    """A directory gets a timestamped file inside it; anything else is the file to write."""
    path = Path(target).expanduser()
    if path.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        path = path / f"noticebot-{stamp}.db"
    return path


def backup_sqlite(source: Path, target: Path, *, overwrite: bool = False) -> BackupResult:
    began = time.monotonic()
    if not source.is_file():
        raise BackupError(f"DATABASE_URL: no SQLite database at {source}. Check the path (run from the bot's directory).")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose a new name, a directory, or pass --force.")
    if target.resolve() == source.resolve():
        raise BackupError("the backup must not be the database itself.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory.")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                (check,) = dst.execute("PRAGMA integrity_check").fetchone()
                if check != "ok":
                    raise BackupError(f"the copy failed its integrity check ({check}); the database may be damaged.")
                tables = {
                    name: int(dst.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                    for (name,) in dst.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                    )
                }
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, tables, time.monotonic() - began)
