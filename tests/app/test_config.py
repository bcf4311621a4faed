"""Configuration: every bad setting is one clear line naming it, exit status 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.config import ConfigError, load_settings

GOOD = "123456:ABCdef_ghi-jkl"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in list(os.environ):
        if name in {"BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "DEFAULT_TIMEZONE", "LOG_LEVEL", "HTTP_PORT"}:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    s = load_settings(bot_token=GOOD)
    assert s.database_url == "sqlite+aiosqlite:///noticebot.db"
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.default_timezone == "America/New_York"
    assert s.base_public_url == "http://127.0.0.1:8080"


def test_reads_dotenv(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text(f"BOT_TOKEN={GOOD}\nDEFAULT_TIMEZONE=America/Chicago\nREDIS_URL=\n")
    s = load_settings()
    assert s.token == GOOD and s.default_timezone == "America/Chicago" and s.redis_url is None


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"bot_token": "not-a-token"}, "BOT_TOKEN looks malformed"),
        ({"bot_token": GOOD, "database_url": "nonsense"}, "DATABASE_URL"),
        ({"bot_token": GOOD, "database_url": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"bot_token": GOOD, "default_timezone": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"bot_token": GOOD, "telegram_api_url": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"bot_token": GOOD, "http_port": "99999"}, "HTTP_PORT"),
        ({"bot_token": GOOD, "log_level": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_settings_name_the_setting(overrides: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_settings(**overrides)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], **env},
    )


@pytest.mark.parametrize(
    ("env", "expect"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "12345"}, "BOT_TOKEN looks malformed"),
        ({"BOT_TOKEN": GOOD, "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/x"}, "DATABASE_URL: cannot connect"),
    ],
)
def test_run_exits_2_with_one_clear_line(tmp_path, env: dict[str, str], expect: str) -> None:  # type: ignore[no-untyped-def]
    result = _cli("run", env={**env, "HOME": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0], result.stderr
    assert "Traceback" not in result.stderr
