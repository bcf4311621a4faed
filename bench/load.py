"""Inbound load: how many messages per second one bot process handles, and reply latency under load.

Real processes through the local Bot API emulator (running in this process): messages are injected
open-loop at a fixed rate (each from a different person, as when many people write at once), and a
reply's latency is the time from injection to the bot's first sendMessage in that chat, read from the
emulator's call log. Setups:

- ``echo``: a bare aiogram echo bot (bench/echo_bot.py), long polling: the ceiling of what aiogram and
  the emulator allow on this machine;
- ``sqlite``: one `noticebot run`, long polling, SQLite (the embedded default);
- ``postgres``: two `noticebot run` replicas in webhook mode behind a round-robin balancer, PostgreSQL
  and Redis (skipped when either is not reachable).

Every message is a notice ("got a CP14 for 2024, owe $1,234.56, dated ..."), so each reply is the full
reading -> deadline -> card path. Usage: python bench/load.py [--json] [--rates 50,200,500] [--seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack, suppress
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator import EmulatorServer  # noqa: E402

TOKEN = "4242:bench-load"
SECRET = "bench-secret-1234567890"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/noticebot_bench"  # its own, dropped and made anew
REDIS_URL = "redis://127.0.0.1:6379/15"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Process:
    """A child process that serves /healthz on ``port`` once ready."""

    def __init__(self, argv: list[str], env: dict[str, str], workdir: Path, port: int | None) -> None:
        self.argv, self.env, self.workdir, self.port = argv, env, workdir, port
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, ready: float = 60) -> None:
        log = (self.workdir / f"proc-{os.getpid()}-{len(os.listdir(self.workdir))}.log").open("ab")
        self.proc = await asyncio.create_subprocess_exec(*self.argv, cwd=self.workdir, env=self.env,
                                                         stdout=log, stderr=log)
        log.close()
        if self.port is None:
            return
        deadline = time.monotonic() + ready
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.proc.returncode is not None:
                    raise RuntimeError(f"{self.argv} exited with {self.proc.returncode}")
                with suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{self.port}/healthz") as resp:
                        if resp.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.argv} did not become healthy")

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


class Balancer:
    """Round robin over webhook replicas, as a load balancer in front of them would."""

    def __init__(self, backends: list[str]) -> None:
        self.backends, self._next = backends, 0
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self.forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        self._http = aiohttp.ClientSession()

    async def forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        backend = self.backends[self._next % len(self.backends)]
        self._next += 1
        async with self._http.post(f"{backend}{request.path}", data=await request.read(),
                                   headers={k: v for k, v in request.headers.items() if k.lower() != "host"}) as r:
            return web.Response(status=r.status, body=await r.read(), content_type=r.content_type)

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()


def base_env(emulator: EmulatorServer, workdir: Path, port: int, database_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""), "HOME": str(workdir), "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emulator.base_url, "DATABASE_URL": database_url,
        "HTTP_HOST": "127.0.0.1", "HTTP_PORT": str(port), "METRICS_PORT": "0", "LOG_LEVEL": "WARNING",
    }


async def start_setup(name: str, emulator: EmulatorServer, workdir: Path, stack: AsyncExitStack) -> None:
    if name == "echo":
        port = free_port()
        env = base_env(emulator, workdir, port, "")
        proc = Process([sys.executable, str(ROOT / "bench" / "echo_bot.py")], env, workdir, port)
    elif name == "sqlite":
        port = free_port()
        env = base_env(emulator, workdir, port, f"sqlite+aiosqlite:///{workdir / 'load.db'}")
        proc = Process([sys.executable, "-m", "app", "run"], env, workdir, port)
    else:
        await _reset_postgres()
        migrate = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "app", "migrate", cwd=workdir,
            env=base_env(emulator, workdir, free_port(), PG_URL))
        await migrate.wait()
        ports = [free_port(), free_port()]
        balancer = Balancer([f"http://127.0.0.1:{p}" for p in ports])
        await balancer.start()
        stack.push_async_callback(balancer.stop)
        for port in ports:
            env = {**base_env(emulator, workdir, port, PG_URL), "REDIS_URL": REDIS_URL,
                   "WEBHOOK_URL": f"{balancer.url}/telegram", "WEBHOOK_SECRET": SECRET,
                   "WEBHOOK_DELETE_ON_STOP": "false"}
            replica = Process([sys.executable, "-m", "app", "run"], env, workdir, port)
            await replica.start()
            stack.push_async_callback(replica.stop)
        return
    await proc.start()
    stack.push_async_callback(proc.stop)


async def _reset_postgres() -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await conn.execute("DROP DATABASE IF EXISTS noticebot_bench WITH (FORCE)")
        await conn.execute("CREATE DATABASE noticebot_bench")
    finally:
        await conn.close()
    import redis.asyncio as redis

    client = redis.from_url(REDIS_URL)
    await client.flushdb()
    await client.aclose()


def notice_text(i: int) -> str:
    return f"got a CP14 for 2024, owe ${1000 + i % 9000}.{i % 100:02d}, dated Nov {1 + i % 28}"


async def run_rate(emulator: EmulatorServer, rate: int, seconds: float, first_user: int) -> dict[str, Any]:
    """Inject ``rate`` messages a second for ``seconds``; latency per message from the call log."""
    total = int(rate * seconds)
    sent_at: dict[int, float] = {}
    began = time.monotonic()
    for i in range(total):
        due = began + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        user = first_user + i
        sent_at[user] = time.time()
        emulator.inject_message(user, notice_text(i))
    deadline = time.monotonic() + 60
    replied: dict[int, float] = {}
    seen = 0
    while time.monotonic() < deadline and len(replied) < total:
        log = emulator.call_log
        for call in log[seen:]:
            chat = int(call["chat_id"]) if call.get("chat_id") is not None else None
            if call["method"] == "sendMessage" and chat in sent_at and chat not in replied:
                replied[chat] = call["wall"]
        seen = len(log)
        if len(replied) < total:
            await asyncio.sleep(0.2)
    latencies = sorted(replied[u] - sent_at[u] for u in replied)
    span = (max(replied.values()) - min(sent_at.values())) if replied else float("nan")
    return {
        "offered_per_s": rate, "messages": total, "answered": len(replied),
        "handled_per_s": round(len(replied) / span, 1) if replied else 0.0,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1) if latencies else None,
    }


async def bench(setups: list[str], rates: list[int], seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in setups:
        if name == "postgres" and not (reachable(5432) and reachable(6379)):
            results[name] = {"skipped": "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are needed"}
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"nb-load-{name}-"))
        async with EmulatorServer(tokens=[TOKEN]) as emulator, AsyncExitStack() as stack:
            await start_setup(name, emulator, workdir, stack)
            await run_rate(emulator, 20, 1, first_user=9_000_000)  # warm-up: imports, caches, connections
            rows = []
            for k, rate in enumerate(rates):
                rows.append(await run_rate(emulator, rate, seconds, first_user=1_000_000 * (k + 1)))
            results[name] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rates", default="50,200,500")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--setups", default="echo,sqlite,postgres")
    args = parser.parse_args()
    result = asyncio.run(bench(args.setups.split(","), [int(r) for r in args.rates.split(",")], args.seconds))
    if args.json:
        print(json.dumps(result))
        return
    for name, rows in result.items():
        if isinstance(rows, dict):
            print(f"{name}: skipped ({rows['skipped']})")
            continue
        for r in rows:
            print(f"{name:8} offered {r['offered_per_s']:4}/s  handled {r['handled_per_s']:7.1f}/s  "
                  f"answered {r['answered']}/{r['messages']}  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms")


if __name__ == "__main__":
    main()
