"""Shared fixtures: service databases (PostgreSQL, Redis) that skip cleanly where absent, and run in CI."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check behaviour, not speed (speed lives in bench/): no per-example deadline and no
# too-slow health check, which otherwise fail at random on a busy 2-core CI machine.
settings.register_profile("noticebot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("noticebot")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_HOST, PG_PORT = os.environ.get("PGHOST", "127.0.0.1"), int(os.environ.get("PGPORT", "5432"))
PG_ADMIN_URL = os.environ.get("NOTICEBOT_TEST_PG", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres")
REDIS_URL = os.environ.get("NOTICEBOT_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip with a clear reason outside CI; in CI a missing service is a failure, not a skip."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message}, but CI=true: .ci/run should have started it")
    pytest.skip(f"{message}; start it to run this test (CI always does)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    require_service("PostgreSQL", PG_HOST, PG_PORT)
    import asyncpg

    name = f"nb_test_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.replace("postgresql://", "postgresql+asyncpg://").rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def redis_url() -> str:
    require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite+aiosqlite:///{tmp_path / 'noticebot.db'}"


@pytest.fixture
async def sessionmaker(sqlite_url: str) -> AsyncIterator[object]:
    """A migrated SQLite database and its session factory."""
    from storage.db import make_engine, make_sessionmaker
    from tests.sqlite_template import migrated_copy

    await migrated_copy(Path(sqlite_url.split(":///", 1)[1]))
    engine = make_engine(sqlite_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


# The suite runs in two phases (Makefile `test`): everything not marked `serial` spread over several
# pytest-xdist workers, then the `serial` tests one by one on a quiet machine. Serial: the fault and
# crash tests (they measure timings under faults, and one restarts the shared PostgreSQL server) and
# the few tests that measure a rate. Tests that use the shared Redis database share its keys (the
# emulator's bot id and update ids), so they run one after another in one worker.
SERIAL_DIRS = ("reliability",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(part in SERIAL_DIRS for part in Path(str(item.path)).parts):
            item.add_marker(pytest.mark.serial)
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("redis"))
