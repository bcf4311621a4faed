"""Benchmark: build the live feed for one person with 200 notices; 1,000 notices gzipped; feed
requests per second one process serves.

    python bench/ics_feed.py [--json] [--notices 200] [--repeat 50] [--server-tokens 10000 --clients 50]

Prints one JSON line at the end with ms per build (median, p95). Targets: cold < 20 ms, < 300 KB.
"plain_cold" is the same feed written by icalendar alone (no fast path), the figure that decides
whether the fast path in notices/ics_render.py pays for itself (issue 12).
"big" is 1,000 notices: build time (cold), bytes and gzipped bytes.
"server" (bench/feed_server.py): requests/s for N distinct tokens fetched by 50 concurrent clients.
"warm" is the steady state of a polled feed (per-notice bytes cached, only DTSTAMP changes);
"cold" clears that cache before every build (every notice new or changed);
"first" also clears every other cache in notices.ics (templates, ...: a build after a restart);
"one_changed" rebuilds after one notice changed (its SEQUENCE raised).
Wall-clock figures suffer when other processes share the CPU, so each case also reports the
process CPU time per build ("*_cpu_*"); compare those across runs on a busy machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import feed_server

from notices import ics, ics_render
from notices.deadlines import ExpectedNotice
from notices.ics import CalendarNotice, build_calendar
from notices.words import ENGLISH

TARGET_MS = 20.0
TARGET_BYTES = 300 * 1024


def plain_cold(notices: list[CalendarNotice], now: datetime, repeat: int = 3) -> dict[str, float]:
    """The same 200-notice feed's events written by icalendar alone, per build (CPU ms)."""
    options = ics_render.Options(ENGLISH, (7, 3, 1, 0), timedelta(hours=9), ics.REMINDER_LENGTH)
    times = []
    for _ in range(repeat):
        start = time.process_time()
        for n in notices:
            events = tuple(ics.notice_events(n, today=now.date(), domain="noticebot.invalid"))
            ics_render.plain_block(events, False, options)
        times.append((time.process_time() - start) * 1000)
    return {"plain_cold_cpu_median_ms": round(statistics.median(times), 1)}


def big(count: int, now: datetime) -> dict[str, object]:
    """A person with ``count`` notices: cold build time, bytes and gzipped bytes."""
    notices = make_notices(count)
    ics._notice_block.cache_clear()
    start, start_cpu = time.perf_counter(), time.process_time()
    body = build_calendar(notices, now=now)
    cpu, wall = (time.process_time() - start_cpu) * 1000, (time.perf_counter() - start) * 1000
    return {"notices": count, "bytes": len(body), "gzip_bytes": len(gzip.compress(body, 6)),
            "cold_ms": round(wall, 1), "cold_cpu_ms": round(cpu, 1)}  # fmt: skip


def make_notices(count: int) -> list[CalendarNotice]:
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    notices = []
    for i in range(count):
        due = date(2026, 11, 1) + timedelta(days=i % 120)
        notices.append(
            CalendarNotice(
                notice_id=i + 1,
                uid=str(uuid.UUID(int=i + 1, version=4)),
                code="CP14" if i % 2 else "LT11",
                title="Notice of balance due" if i % 2 else "Final Notice of Intent to Levy",
                tax_years=(2022, 2023) if i % 3 else (2024,),
                amount_cents=341218 + i,
                respond_by=due,
                hard=not i % 2,
                hard_label=None if i % 2 else "Last day to request a CDP hearing",
                meaning="You have a balance due; interest and penalties keep growing until it is paid.",
                next_step="Pay in full, set up a payment plan, or call the number on your notice.",
                phone="800-829-1040" if i % 4 else None,
                estimate=bool(i % 5 == 0),
                expected_next=(
                    ExpectedNotice("CP501", due + timedelta(days=30), due + timedelta(days=45)),
                    ExpectedNotice("CP503", due + timedelta(days=60), due + timedelta(days=75)),
                ),
                status="open",
                resolved_at=None,
                sequence=i % 7,
                created_at=now - timedelta(days=40),
                updated_at=now - timedelta(days=i % 30),
                notes=f"Called on the 3rd; agent said to wait. Ref #{i} 😀",
            )
        )
    return notices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="only the JSON summary line")
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--cold-repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=1000, help="notices in the big feed (0: skip)")
    parser.add_argument("--server-tokens", type=int, default=10_000, help="distinct feeds fetched (0: skip)")
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()

    notices = make_notices(args.notices)
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    size = len(build_calendar(notices, now=now))  # warm-up (imports, caches)

    def timed(prepare, repeat: int) -> tuple[list[float], list[float]]:
        wall, cpu = [], []
        for i in range(repeat):
            feed = prepare(i)
            start, start_cpu = time.perf_counter(), time.process_time()
            build_calendar(feed, now=now + timedelta(seconds=i))
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
        return sorted(wall), sorted(cpu)

    def cold(_i: int) -> list[CalendarNotice]:
        ics._notice_block.cache_clear()
        return notices

    # Every lru_cache in the module, so that "first" stays honest when caches are added or renamed.
    caches = [f for f in vars(ics).values() if callable(getattr(f, "cache_clear", None))]

    def first(_i: int) -> list[CalendarNotice]:
        for cache in caches:
            cache.cache_clear()
        return notices

    def one_changed(i: int) -> list[CalendarNotice]:
        feed = list(notices)
        feed[i % len(feed)] = replace(feed[i % len(feed)], sequence=1000 + i)
        return feed

    result: dict[str, object] = {
        "bench": "calendar.build_calendar",
        "notices": args.notices,
        "events": args.notices * 2,
        "bytes": size,
        "repeat": args.repeat,
        "target_ms": TARGET_MS,
    }
    cases = [("", lambda _i: notices, args.repeat), ("one_changed_", one_changed, args.repeat),
             ("cold_", cold, args.cold_repeat), ("first_", first, args.cold_repeat)]  # fmt: skip
    ms: dict[str, float] = {}
    for prefix, prepare, repeat in cases:
        for kind, times in zip(("", "cpu_"), timed(prepare, repeat), strict=True):
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            ms[f"{prefix}{kind}median_ms"] = round(statistics.median(times), 2)
            ms[f"{prefix}{kind}p95_ms"] = round(p95, 2)
    result |= ms
    result |= plain_cold(notices, now)
    result["ok"] = ms["median_ms"] < TARGET_MS
    result["cold_ok"] = ms["cold_median_ms"] < TARGET_MS
    result["size_ok"] = size < TARGET_BYTES
    if args.big:
        result["big"] = big(args.big, now)
    if args.server_tokens:
        result["server"] = feed_server.run(args.server_tokens, args.clients)
    if not args.json:
        print(
            f"{args.notices} notices, {size} bytes: warm median {ms['median_ms']} ms, "
            f"cold median {ms['cold_median_ms']} ms ({ms['cold_cpu_median_ms']} ms CPU), "
            f"first build {ms['first_median_ms']} ms ({ms['first_cpu_median_ms']} ms CPU)"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
