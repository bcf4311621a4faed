"""One JSON line per log event. Message text, amounts and identifiers are never passed to the log.

Callers log ids only (update_id, notice_id, reminder ids) and put context in ``extra``. The formatter
is a safety net on top of that discipline, for what slips through (an exception message quoting its
input, a library's own log line):

- extra fields whose names say they carry content (text, caption, amount, ssn, name, ...) are dropped
  to ``"[redacted]"``;
- Telegram user and chat ids are replaced by a keyed pseudonym (``p_1a2b3c4d5e6f``), stable across
  replicas that share the key (the bot token), so one person's events can still be followed;
- exceptions are written as their types and frames only, and library records and exception records
  as their message template without arguments (``DropPersonalText``);
- in every string (the event, string fields, tracebacks) taxpayer-identifier shapes (SSN/ITIN
  ``123-45-6789``, EIN ``12-3456789``, any run of 9 digits) and dollar amounts become ``[id]`` and
  ``[amount]``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notices.redact import redact

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

# Field names that never carry a value into the log.
_CONTENT_KEYS = re.compile(
    r"(^|_)(text|caption|body|message_text|amount|amount_cents|cents|balance|ssn|itin|ein|tin|"
    r"first_name|last_name|full_name|name|username|phone|address|email|token|secret|password)$",
    re.IGNORECASE,
)
_PERSON_KEYS = {"user_id", "chat_id", "from_id", "telegram_id", "tg_id", "person_id"}

_IDENTIFIER = re.compile(
    r"(?<!\d)(?:\d{3}[-. ]\d{2}[-. ]\d{4}|\d{2}-\d{7}|\d{9})(?!\d)"  # SSN/ITIN, EIN, 9 digits in a row
)
_AMOUNT = re.compile(
    r"(?:\$|USD\s?|US\$)\s?\d[\d,]*(?:\.\d+)?"  # $1,234.56, USD 1234, US$ 12
    r"|\d[\d,]*(?:\.\d+)?\s?(?:dollars?|d[oó]lares|USD)\b",  # 1234.56 dollars, 50 dólares
    re.IGNORECASE,
)


def scrub(value: str) -> str:
    """Blank identifier shapes and dollar amounts in a string bound for the log.

    The product's one redaction (strict: any nine digits) runs first, so every form it knows (en
    dashes, zero-width characters, spaced digits, ...) is caught here too.
    """
    return _AMOUNT.sub("[amount]", _IDENTIFIER.sub("[id]", redact(value, strict=True).text))


class JsonFormatter(logging.Formatter):
    def __init__(self, pseudonym_key: bytes | None = None) -> None:
        super().__init__()
        self._key = pseudonym_key or secrets.token_bytes(32)

    def pseudonym(self, value: Any) -> str:
        digest = hmac.new(self._key, str(value).encode(), hashlib.sha256).hexdigest()
        return f"p_{digest[:12]}"

    def _field(self, key: str, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if key in _PERSON_KEYS:
            return self.pseudonym(value)
        if _CONTENT_KEYS.search(key):
            return "[redacted]"
        if isinstance(value, int | float):
            return value
        if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return list(value)  # reminder ids and the like
        return scrub(value if isinstance(value, str) else str(value))

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": scrub(record.getMessage()),
        }
        # Structured context given as logger.info("...", extra={"update_id": 1}).
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = self._field(key, value)
        if record.exc_info:  # without DropPersonalText (tests); with it, exc_text is set instead
            line["exc"] = scrub(safe_traceback(record.exc_info[1])) if record.exc_info[1] else None
        elif record.exc_text:
            line["exc"] = scrub(record.exc_text)
        return json.dumps(line, default=str, ensure_ascii=False)


def pseudonym_key(token: str | None) -> bytes | None:
    """The same key on every replica of one bot, without writing the token anywhere."""
    if not token:
        return None
    return hashlib.sha256(b"noticebot-log-pseudonym\0" + token.encode()).digest()


OWN_LOGGERS = {"noticebot", "bot", "scheduler", "storage", "notices", "services", "web", "app", "documents"}


def safe_traceback(exc: BaseException) -> str:
    """Exception types and where they were raised (file, line, function), never their messages.

    An exception's message quotes its input (OSError a file name built from a /tz argument,
    SQLAlchemy the statement and its parameters): none of it is written down.
    """
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        out.append(f"{type(current).__module__}.{type(current).__qualname__}")
        out += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\n".join(out)


class DropPersonalText(logging.Filter):
    """Records leave with their template only: no argument values, no exception messages.

    Our own loggers put context in ``extra`` (the formatter screens it); a library's arguments and
    any exception's text can quote what a person typed, so both are dropped here.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None or record.name.split(".", 1)[0] not in OWN_LOGGERS:
            # the first line: asyncio puts the failed task's repr (with its arguments) on the next ones
            record.msg = record.msg.split("\n", 1)[0] if isinstance(record.msg, str) else type(record.msg).__name__
            record.args = ()
        if exc is not None:
            record.exc_text = safe_traceback(exc)
            record.exc_info = None
        return True


class OwnDebugOnly(logging.Filter):
    """LOG_LEVEL=DEBUG is for noticebot's own loggers: libraries log query parameters and request
    bodies at DEBUG (aiosqlite prints every INSERT with its values), so theirs never pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG or record.name.split(".", 1)[0] in OWN_LOGGERS


def setup_logging(level: str = "INFO", *, token: str | None = None, file: str | Path | None = None) -> None:
    handler: logging.Handler = (
        logging.FileHandler(file, encoding="utf-8") if file else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(JsonFormatter(pseudonym_key(token)))
    handler.addFilter(OwnDebugOnly())
    handler.addFilter(DropPersonalText())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiogram logs every handled update with its id only; keep its event log but not its chatter.
    logging.getLogger("aiogram.event").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)  # SQL with parameters at INFO
