"""`noticebot` command line: run, worker, migrate, backup, demo, and the knowledge-core tools (parse, deadline, estimate)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from app.config import ConfigError, load_settings


def _run(args: argparse.Namespace) -> int:
    settings = load_settings()  # before importing the bot (seconds of aiogram): bad settings fail fast
    from app.logs import setup_logging
    from app.run import serve

    setup_logging(settings.log_level, token=settings.token)
    asyncio.run(serve(settings))
    return 0


def _worker(args: argparse.Namespace) -> int:
    settings = load_settings()
    from app.logs import setup_logging
    from app.worker import run_worker

    setup_logging(settings.log_level, token=settings.token)
    asyncio.run(run_worker(settings))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from storage.backup import BackupError, backup_sqlite, sqlite_path, target_path

    settings = load_settings(require_token=False)
    try:
        source = sqlite_path(settings.database_url)
        result = backup_sqlite(source, target_path(args.path), overwrite=args.force)
    except BackupError as exc:
        raise ConfigError(str(exc)) from None
    rows = ", ".join(f"{name} {count}" for name, count in result.tables.items() if name != "alembic_version")
    print(f"backup written: {result.path} ({result.bytes} bytes, {result.seconds:.2f}s; rows: {rows})")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    settings = load_settings(require_token=False)
    try:
        asyncio.run(upgrade(settings.database_url))
    except (OSError, ConnectionError) as exc:
        raise ConfigError(f"DATABASE_URL: cannot connect ({exc}). Check that the server is running.") from None
    print(f"database is at the latest schema: {settings.database_url.split('@')[-1]}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    return asyncio.run(run_demo(files_dir=args.files_dir, user_language=args.language))


def build_parser() -> argparse.ArgumentParser:
    from notices.words import LANGUAGES  # the notice commands below import the domain anyway

    parser = argparse.ArgumentParser(prog="noticebot", description="Help with IRS balance-due letters on Telegram.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", help="run the bot (long polling, or webhook when WEBHOOK_URL is set)").set_defaults(func=_run)
    sub.add_parser(
        "worker", help="send reminders only (extra sending processes beside the bot; starts in under a second)"
    ).set_defaults(func=_worker)
    sub.add_parser("migrate", help="bring the database to the latest schema").set_defaults(func=_migrate)
    backup = sub.add_parser(
        "backup", help="copy the SQLite database to PATH while the bot runs (PostgreSQL: use pg_dump)"
    )
    backup.add_argument("path", metavar="PATH", help="file to write, or a directory for a timestamped file")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup.set_defaults(func=_backup)
    demo = sub.add_parser("demo", help="chat with the bot in this terminal, offline, no token needed")
    demo.add_argument("--files-dir", default="demo-files", help="where files the bot sends are saved")
    demo.add_argument("--language", default="en", choices=sorted(LANGUAGES), help="language of the demo person")
    demo.set_defaults(func=_demo)

    from app import cli_notices

    cli_notices.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
    except ConfigError as exc:
        print(f"noticebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
