"""`noticebot` command line: run, migrate, demo, and the knowledge-core tools (parse, deadline, estimate)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings


def _run(args: argparse.Namespace) -> int:
    from bot.app import serve
    from bot.logs import setup_logging

    settings = load_settings()
    setup_logging(settings.log_level)
    asyncio.run(serve(settings))
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
    from bot.demo import run_demo

    return asyncio.run(run_demo(files_dir=args.files_dir, user_language=args.language))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="noticebot", description="Help with IRS balance-due letters on Telegram.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", help="run the bot (long polling, or webhook when WEBHOOK_URL is set)").set_defaults(func=_run)
    sub.add_parser("migrate", help="bring the database to the latest schema").set_defaults(func=_migrate)
    demo = sub.add_parser("demo", help="chat with the bot in this terminal, offline, no token needed")
    demo.add_argument("--files-dir", default="demo-files", help="where files the bot sends are saved")
    demo.add_argument("--language", default="en", choices=["en", "es"], help="language of the demo person")
    demo.set_defaults(func=_demo)

    try:
        from bot import cli_notices
    except ImportError:  # the knowledge-core commands are optional while it is being built
        pass
    else:
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
