"""Throughput of the free-text reader vs dateparser.search_dates on the same sample messages.

    python bench/parse.py [--json] [--seconds 2] [--fixtures tests/fixtures/messages.jsonl]

Runs on one core (single thread) and counts CPU time of this process (time.process_time), so
other programs sharing the machine do not distort the figure. Each side repeats over the messages
for ``--seconds`` (after a warm-up); the best of three rounds is kept. The last line of output is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from datetime import date, datetime
from pathlib import Path

from notices.reader import read

ROOT = Path(__file__).resolve().parent.parent

TARGET_MSG_PER_S = 5000
TARGET_SPEEDUP = 10


def _rate(fn, texts: list[str], seconds: float) -> float:
    best = 0.0
    for _ in range(3):
        n, start = 0, time.process_time()
        while (elapsed := time.process_time() - start) < seconds / 3:
            for t in texts:
                fn(t)
            n += len(texts)
        best = max(best, n / elapsed)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="only print the JSON line")
    ap.add_argument("--seconds", type=float, default=2.0, help="time per side (default 2)")
    ap.add_argument("--fixtures", type=Path, default=ROOT / "tests/fixtures/messages.jsonl")
    args = ap.parse_args(argv)

    rows = [json.loads(line) for line in args.fixtures.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    today = date.fromisoformat(rows[0]["today"])

    def ours(text: str) -> None:
        read(text, today).to_json(today)  # the whole `noticebot parse` path

    for t in texts:  # warm-up: holiday tables, catalog, regex caches
        ours(t)
    ours_rate = _rate(ours, texts, args.seconds)

    warnings.filterwarnings("ignore")
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": datetime(today.year, today.month, today.day)}

    def theirs(text: str) -> None:
        search_dates(text, languages=["en", "es"], settings=settings)

    for t in texts:
        theirs(t)
    theirs_rate = _rate(theirs, texts, args.seconds)

    result = {
        "messages": len(texts),
        "clock": "process_time (CPU seconds, one thread)",
        "reader_msg_per_s": round(ours_rate),
        "dateparser_msg_per_s": round(theirs_rate, 1),
        "speedup": round(ours_rate / theirs_rate, 1),
        "target_msg_per_s": TARGET_MSG_PER_S,
        "target_speedup": TARGET_SPEEDUP,
        "ok": ours_rate >= TARGET_MSG_PER_S and ours_rate >= TARGET_SPEEDUP * theirs_rate,
    }
    if not args.json:
        print(f"reader:     {result['reader_msg_per_s']:>10,} messages/s (read + parse JSON)")
        print(f"dateparser: {result['dateparser_msg_per_s']:>10,} messages/s (search_dates only)")
        print(f"speedup:    {result['speedup']:>10}x")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
