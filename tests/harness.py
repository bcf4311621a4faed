"""Runs the real `noticebot run` as a subprocess against the local Bot API emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from tests import harness_fork

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotProcess:
    """One `noticebot run` (or ``command``: `noticebot worker`) process; ``env`` overrides the
    settings (see .env.example)."""

    def __init__(self, *, token: str, api_url: str, database_url: str, workdir: Path, command: str = "run",
                 fresh: bool = False, **env: str) -> None:
        self.command = command
        # forked from a server that imported the product once (tests/harness_fork.py), unless a fresh
        # interpreter is asked for; the worker always starts fresh (it must not import aiogram)
        self.fork = harness_fork.ENABLED and not fresh and command == "run"
        self.port = free_port()
        self.metrics_port = free_port()
        self.workdir = workdir
        self.log_path = workdir / f"{command}-{self.port}.log"
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "BOT_TOKEN": token,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": database_url,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(self.port),
            "METRICS_PORT": str(self.metrics_port),  # /metrics has its own private listener
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.proc: asyncio.subprocess.Process | harness_fork.ForkedProcess | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.env.get('METRICS_PORT', self.metrics_port)}/metrics"

    async def start(self, ready_timeout: float = 30) -> None:
        if self.fork:
            self.proc = harness_fork.ForkedProcess([self.command], self.env, self.workdir, self.log_path)
        else:
            log = self.log_path.open("ab")
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "app", self.command, cwd=self.workdir, env=self.env,
                stdout=log, stderr=log,
            )
            log.close()
        deadline = asyncio.get_running_loop().time() + ready_timeout
        async with aiohttp.ClientSession() as http:
            while asyncio.get_running_loop().time() < deadline:
                if self.proc.returncode is not None:
                    raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.logs()}")
                try:
                    async with http.get(f"{self.url}/healthz") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"bot did not become healthy in {ready_timeout}s:\n{self.logs()}")

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send ``sig`` and wait for the exit status."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                raise
        return int(self.proc.returncode or 0)

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
