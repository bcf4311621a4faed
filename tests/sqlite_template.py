"""One migrated SQLite database per test process, copied for each test that needs an empty current
database. Running every migration again for each of them cost ~150 ms a test (about two minutes of
the suite); a copy costs a few milliseconds. The migrations themselves are tested in tests/storage."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

from storage.migrate import upgrade

_template: Path | None = None


async def migrated_copy(dest: Path) -> None:
    """``dest`` becomes an empty database at the current schema (the migrations' head)."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="noticebot-template-"))
        atexit.register(shutil.rmtree, folder, True)
        await upgrade(f"sqlite+aiosqlite:///{folder / 'template.db'}")
        _template = folder / "template.db"
    dest.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(_template), sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
