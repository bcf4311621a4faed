"""Benchmark: build the live feed for one person with 200 notices (2 expected events each).

    python bench/calendar.py [--json] [--notices 200] [--repeat 50]

Prints one JSON line at the end with ms per build (median, p95). Target: median < 20 ms.
"warm" is the steady state of a polled feed (per-notice bytes cached, only DTSTAMP changes);
"cold" clears that cache before every build (first build after a restart, every notice new);
"one_changed" rebuilds after one notice changed (its SEQUENCE raised).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path and "calendar.py" would shadow
# the stdlib module that dateutil (via icalendar) imports; put the repo root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from dataclasses import replace  # noqa: E402

from notices.ics import CalendarNotice, ExpectedEvent, _notice_block, build_calendar  # noqa: E402

TARGET_MS = 20.0


def make_notices(count: int) -> list[CalendarNotice]:
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    notices = []
    for i in range(count):
        due = date(2026, 11, 1) + timedelta(days=i % 120)
        notices.append(
            CalendarNotice(
                notice_id=i + 1,
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
                    ExpectedEvent("CP501", due + timedelta(days=30), due + timedelta(days=45)),
                    ExpectedEvent("CP503", due + timedelta(days=60), due + timedelta(days=75)),
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
    args = parser.parse_args()

    notices = make_notices(args.notices)
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    size = len(build_calendar(notices, now=now))  # warm-up (imports, caches)

    def timed(prepare, repeat: int) -> list[float]:
        times = []
        for i in range(repeat):
            feed = prepare(i)
            start = time.perf_counter()
            build_calendar(feed, now=now + timedelta(seconds=i))
            times.append((time.perf_counter() - start) * 1000)
        return sorted(times)

    def cold(_i: int) -> list[CalendarNotice]:
        _notice_block.cache_clear()
        return notices

    def one_changed(i: int) -> list[CalendarNotice]:
        feed = list(notices)
        feed[i % len(feed)] = replace(feed[i % len(feed)], sequence=1000 + i)
        return feed

    def stats(times: list[float]) -> tuple[float, float]:
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        return round(statistics.median(times), 2), round(p95, 2)

    warm = stats(timed(lambda _i: notices, args.repeat))
    changed = stats(timed(one_changed, args.repeat))
    cold_ = stats(timed(cold, args.cold_repeat))
    result = {
        "bench": "calendar.build_calendar",
        "notices": args.notices,
        "events": args.notices * 3,
        "bytes": size,
        "repeat": args.repeat,
        "median_ms": warm[0],
        "p95_ms": warm[1],
        "one_changed_median_ms": changed[0],
        "one_changed_p95_ms": changed[1],
        "cold_median_ms": cold_[0],
        "cold_p95_ms": cold_[1],
        "target_ms": TARGET_MS,
    }
    result["ok"] = result["median_ms"] < TARGET_MS
    if not args.json:
        print(
            f"{args.notices} notices, {size} bytes: median {result['median_ms']} ms, p95 {result['p95_ms']} ms"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
