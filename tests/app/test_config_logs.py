"""Production settings (webhook secret) and the log line's privacy guarantees."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from app.config import ConfigError, load_settings
from app.logs import JsonFormatter, pseudonym_key, scrub

GOOD = "123456:ABCdef_ghi-jkl"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in list(os.environ):
        if name.startswith(("WEBHOOK_", "BOT_", "DATABASE_", "REDIS_", "HTTP_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_webhook_needs_a_secret() -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is not set, but WEBHOOK_URL is"):
        load_settings(bot_token=GOOD, webhook_url="https://bot.example.com/tg")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET may only contain"):
        load_settings(bot_token=GOOD, webhook_url="https://bot.example.com/tg", webhook_secret="bad secret!")
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES '10.0.0.300' is not"):
        load_settings(bot_token=GOOD, trusted_proxies="10.0.0.300")
    assert [str(n) for n in load_settings(bot_token=GOOD, trusted_proxies="127.0.0.1, 10.0.0.0/8").trusted_networks] \
        == ["127.0.0.1/32", "10.0.0.0/8"]
    with pytest.raises(ConfigError, match="WEBHOOK_URL must be a full URL"):
        load_settings(bot_token=GOOD, webhook_url="bot.example.com/tg", webhook_secret="ok")
    s = load_settings(bot_token=GOOD, webhook_url="https://bot.example.com/tg", webhook_secret="Ab-9_x")
    assert s.webhook_secret is not None and s.webhook_secret.get_secret_value() == "Ab-9_x"
    assert s.webhook_delete_on_stop is True
    assert "Ab-9_x" not in repr(s)  # a SecretStr: never printed by accident
    assert load_settings(bot_token=GOOD, webhook_delete_on_stop="false").webhook_delete_on_stop is False


def test_run_with_webhook_but_no_secret_is_one_line_exit_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "app", "run"], capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "BOT_TOKEN": GOOD,
             "WEBHOOK_URL": "https://bot.example.com/tg"},
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "WEBHOOK_SECRET" in lines[0] and "Traceback" not in result.stderr


def _format(formatter: JsonFormatter, msg: str, *args: object, exc: BaseException | None = None,
            **extra: object) -> dict[str, object]:
    record = logging.LogRecord("noticebot.test", logging.ERROR, __file__, 1, msg, args,
                               (type(exc), exc, exc.__traceback__) if exc else None)
    record.__dict__.update(extra)
    line = formatter.format(record)
    assert "\n" not in line  # one line per event
    return json.loads(line)


def test_one_json_line_with_ids_kept() -> None:
    out = _format(JsonFormatter(), "update", update_id=123456789012, notice_id=42, reminder_ids=[1, 2],
                  ms=3.5, type="message")
    assert out["update_id"] == 123456789012 and out["notice_id"] == 42 and out["reminder_ids"] == [1, 2]
    assert out["level"] == "error" and out["logger"] == "noticebot.test" and out["event"] == "update"


def test_content_fields_are_redacted_and_people_pseudonymised() -> None:
    f = JsonFormatter(pseudonym_key(GOOD))
    out = _format(f, "saved", text="my SSN 123-45-6789", amount_cents=432109, caption="x", first_name="Ann",
                  user_id=987654321, chat_id=987654321)
    assert out["text"] == out["amount_cents"] == out["caption"] == out["first_name"] == "[redacted]"
    assert out["user_id"] == out["chat_id"] and str(out["user_id"]).startswith("p_")
    assert "987654321" not in json.dumps(out)
    # Stable for one bot (replicas agree), different for another bot token.
    assert _format(JsonFormatter(pseudonym_key(GOOD)), "x", user_id=987654321)["user_id"] == out["user_id"]
    assert _format(JsonFormatter(pseudonym_key("1:other")), "x", user_id=987654321)["user_id"] != out["user_id"]


def test_identifiers_and_amounts_scrubbed_from_messages_and_tracebacks() -> None:
    try:
        raise ValueError("could not parse 'SSN 123-45-6789, EIN 12-3456789, ITIN 912701234, owe $4,321.09'")
    except ValueError as exc:
        out = _format(JsonFormatter(), "failed on %s", "USD 99.50 and 1,250 dollars", exc=exc,
                      error="ValueError: 123 45 6789")
    line = json.dumps(out)
    for secret in ("123-45-6789", "12-3456789", "912701234", "4,321.09", "99.50", "1,250", "123 45 6789"):
        assert secret not in line, secret
    assert "ValueError" in out["exc"] and "could not parse" not in out["exc"], "types and frames, no message"
    assert "[amount]" in out["event"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("CP14 for 2023, notice 504", "CP14 for 2023, notice 504"),  # codes and years stay
        ("update 12345678 took 3 ms", "update 12345678 took 3 ms"),  # 8 digits: not an identifier
        ("id 1234567890", "id 1234567890"),  # 10 digits (a Telegram id shape in text) is not 9
        ("$0.50 fee", "[amount] fee"),
        ("50 dólares", "[amount]"),
    ],
)
def test_scrub_leaves_ordinary_numbers(raw: str, clean: str) -> None:
    assert scrub(raw) == clean


def test_debug_level_is_for_our_loggers_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.logs import setup_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    path = tmp_path / "bot.log"
    try:
        setup_logging("DEBUG", token=GOOD, file=path)
        logging.getLogger("aiosqlite").debug("executing INSERT ... (31337, 'CP14', 432109, 'note')")
        logging.getLogger("sqlalchemy.engine.Engine").info("INSERT ... [generated] (31337, 432109)")
        logging.getLogger("noticebot.test").debug("ours", extra={"notice_id": 7})
        logging.getLogger("aiohttp.client").warning("library warnings still pass")
        for h in root.handlers:
            h.flush()
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(x["logger"], x["event"]) for x in lines] == [
        ("noticebot.test", "ours"), ("aiohttp.client", "library warnings still pass")]
    assert "432109" not in path.read_text()
