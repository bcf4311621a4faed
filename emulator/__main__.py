"""``python -m emulator [--host H] [--port P] [--token T ...]``: run the emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from .server import EmulatorServer
from .state import DEMO_TOKEN


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m emulator", description="Local Telegram Bot API emulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port (printed on start)")
    parser.add_argument(
        "--token",
        action="append",
        dest="tokens",
        help=f"accepted bot token, repeatable (default: {DEMO_TOKEN})",
    )
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with EmulatorServer(tokens=args.tokens or [DEMO_TOKEN], host=args.host, port=args.port) as emu:
        # One line on stdout so scripts (and tests) can learn the port when --port 0.
        print(f"Bot API emulator listening on {emu.base_url}", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
