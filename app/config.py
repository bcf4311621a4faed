"""Settings, read once from the environment and `.env` (see `.env.example` for each one)."""

from __future__ import annotations

import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SUPPORTED_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


Network = IPv4Network | IPv6Network


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it and says how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///noticebot.db"
    telegram_api_url: str = "https://api.telegram.org"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # With several replicas behind one WEBHOOK_URL, set this to false: one replica stopping must not
    # remove the webhook the others still serve.
    webhook_delete_on_stop: bool = True
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    # /metrics listens on its own address, private by default; the same host and port as HTTP_HOST
    # and HTTP_PORT serve it on the public app instead (behind a proxy that must then hide it).
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    public_url: str | None = None
    # Reverse proxies in front of the HTTP app (addresses or networks, comma-separated): their
    # X-Forwarded-For names the client, for the calendar feed's per-IP limit.
    trusted_proxies: str = ""
    default_timezone: str = "America/New_York"
    log_level: str = "INFO"
    # Telegram allows about 30 messages/s per bot; raise it only with paid broadcasts. On PostgreSQL it
    # is the total of every sending process (bots and workers share one schedule in the database).
    reminder_rate: float = Field(default=30.0, gt=0)
    # false: this bot process sends no reminders; `noticebot worker` processes do.
    send_reminders: bool = True

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return v

    @property
    def token(self) -> str:
        return self.bot_token.get_secret_value() if self.bot_token else ""

    @property
    def trusted_networks(self) -> tuple[Network, ...]:
        return tuple(ip_network(part.strip(), strict=False) for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def metrics_shared(self) -> bool:
        """/metrics on the public HTTP app (METRICS_HOST:METRICS_PORT = HTTP_HOST:HTTP_PORT)."""
        return (self.metrics_host, self.metrics_port) == (self.http_host, self.http_port)

    @property
    def base_public_url(self) -> str:
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")


def load_settings(*, require_token: bool = True, **overrides: object) -> Settings:
    """Read and check the settings; every problem becomes one ConfigError line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        raise ConfigError(f"{name}: {err['msg']}. Fix it in .env or the environment.") from None
    if require_token:
        if not settings.token:
            raise ConfigError(
                "BOT_TOKEN is not set. Get a token from @BotFather, put BOT_TOKEN=... in .env "
                "(see .env.example), or try `noticebot demo` which needs none."
            )
        if not TOKEN_RE.match(settings.token):
            raise ConfigError(
                "BOT_TOKEN looks malformed: it should look like 123456789:AAH... as given by @BotFather."
            )
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL. Use sqlite+aiosqlite:///noticebot.db or "
            "postgresql+asyncpg://user:password@host:5432/dbname."
        ) from None
    if url.drivername not in SUPPORTED_DRIVERS:
        raise ConfigError(
            f"DATABASE_URL uses '{url.drivername}', which noticebot does not support. "
            "Use sqlite+aiosqlite:///noticebot.db or postgresql+asyncpg://user:password@host/dbname."
        )
    if not settings.telegram_api_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_URL must start with http:// or https:// (default https://api.telegram.org).")
    try:
        ZoneInfo(settings.default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"DEFAULT_TIMEZONE '{settings.default_timezone}' is not an IANA zone such as America/New_York."
        ) from None
    try:
        settings.trusted_networks  # noqa: B018 (parsed here so a typo stops the start)
    except ValueError:
        raise ConfigError(
            f"TRUSTED_PROXIES '{settings.trusted_proxies}' is not a comma-separated list of IP addresses "
            "or networks such as 127.0.0.1, 10.0.0.0/8."
        ) from None
    if settings.webhook_url:
        if not settings.webhook_url.startswith(("https://", "http://")):
            raise ConfigError("WEBHOOK_URL must be a full URL such as https://bot.example.com/telegram/webhook.")
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        if not secret:
            raise ConfigError(
                "WEBHOOK_SECRET is not set, but WEBHOOK_URL is: set WEBHOOK_SECRET to a random string of "
                "letters, digits, _ and - (e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)."
            )
        if not WEBHOOK_SECRET_RE.match(secret):
            raise ConfigError(
                "WEBHOOK_SECRET may only contain letters, digits, _ and - (1 to 256 characters), as Telegram requires."
            )
    return settings
