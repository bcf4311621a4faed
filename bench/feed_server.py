"""Feed requests per second one process serves (used by bench/ics_feed.py --server-tokens N).

The parent fills a SQLite database with N people, each with a feed token and three open notices,
and starts the product's feed app (web.feed.setup on the bot's HTTP app) in a child process on
127.0.0.1. Then ``clients`` concurrent clients fetch every token's feed once with
``Accept-Encoding: gzip`` (what Google, iCloud and Outlook.com send), then once more with the
ETag they got (304s). Loopback only; each request has a timeout, the run is bounded by 2 x N
requests. The per-IP ceiling is raised in the child: every client here shares 127.0.0.1, where
real shared fetchers come from several addresses; the per-token limit stays as in production.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _fill(url: str, tokens: int) -> list[str]:
    import sqlalchemy as sa

    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.models import Case, Notice, User

    await upgrade(url)
    now = datetime.now(UTC)
    today = now.date()
    secrets = [f"bench-token-{i:08d}-{'x' * 12}" for i in range(tokens)]
    users = [{"id": i + 1, "language": "en" if i % 3 else "es", "timezone": "America/New_York",
              "timezone_confirmed": True, "reminder_minute": 540, "reminder_offsets": [7, 3, 1, 0], "active": True,
              "feed_token_hash": hashlib.sha256(t.encode()).hexdigest(), "feed_updated_at": now,
              "created_at": now, "updated_at": now} for i, t in enumerate(secrets)]  # fmt: skip
    codes = ("CP14", "CP501", "LT11")
    notices = [{"user_id": i + 1, "uid": f"{i:08d}-0000-4000-8000-{k:012d}", "code": codes[k],
                "tax_years": [2023], "amount_cents": 341218 + i, "notice_date": today - timedelta(days=10),
                "respond_by": today + timedelta(days=5 + (i + 7 * k) % 60), "respond_by_estimated": False,
                "abroad": False, "notes": "", "status": "open", "sequence": k, "created_at": now,
                "updated_at": now - timedelta(minutes=k)}
               for i in range(tokens) for k in range(3)]  # fmt: skip
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.insert(User), users)
        await conn.execute(sa.insert(Case), [{"id": i + 1, "user_id": i + 1, "tax_form": "1040", "tax_years": [2023],
                                              "created_at": now, "updated_at": now} for i in range(tokens)])
        await conn.execute(sa.insert(Notice), [{**n, "case_id": n["user_id"]} for n in notices])  # one case each
    await engine.dispose()
    return secrets


def serve_child(url: str, port: int) -> None:
    """The child process: the bot's HTTP app with the feed, nothing else."""
    from aiohttp import web

    from bot.dispatcher import make_i18n
    from storage.db import make_engine, make_sessionmaker
    from web import feed

    async def main() -> None:
        engine = make_engine(url)
        app = web.Application()
        feed.setup(app, make_sessionmaker(engine), make_i18n(), domain="bench.example.org",
                   per_ip=10**9)  # fmt: skip
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


async def _fetch_all(base: str, tokens: list[str], clients: int, etags: dict[str, str]) -> dict[str, object]:
    import aiohttp

    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    timeout = aiohttp.ClientTimeout(total=30)

    async def client(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            token = queue.get_nowait()
            headers = {"Accept-Encoding": "gzip"}
            if token in etags:
                headers["If-None-Match"] = etags[token]
            start = time.perf_counter()
            async with session.get(f"{base}/calendar/{token}.ics", headers=headers) as resp:
                body = await resp.content.read()  # the bytes on the wire (still gzipped)
                latencies.append(time.perf_counter() - start)
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                if resp.status == 200:
                    etags[token] = resp.headers["ETag"]
                    sizes.append(len(body))

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=False) as session:
        start = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "statuses": statuses,
        "gzip_bytes_median": int(statistics.median(sizes)) if sizes else 0,
    }


def run(tokens: int, clients: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="noticebot-feed-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'feed.db'}"
        secrets = asyncio.run(_fill(url, tokens))
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen([sys.executable, __file__, url, str(port)], stdout=subprocess.PIPE, env=env,
                                 cwd=ROOT / "bench", text=True)  # fmt: skip
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            etags: dict[str, str] = {}
            full = asyncio.run(_fetch_all(f"http://127.0.0.1:{port}", secrets, clients, etags))
            again = asyncio.run(_fetch_all(f"http://127.0.0.1:{port}", secrets, clients, etags))
        finally:
            child.terminate()
            child.wait(10)
    return {"tokens": tokens, "clients": clients, "notices_per_token": 3, "full": full, "conditional": again,
            "today": date.today().isoformat()}  # fmt: skip


if __name__ == "__main__":
    serve_child(sys.argv[1], int(sys.argv[2]))
