"""Event-loop lag of the bot while hostile and heavy files arrive at once (issue 13).

    python bench/intake_lag.py [--bombs 10] [--scans 10] [--pages 3]

The whole dispatcher runs in process (tests/dispatcher/inproc.py: the same build_dispatcher, an
in-process Bot API emulator, SQLite). Ten people send a ~1 KB "text bomb" PDF (a content stream that
draws a line thousands of times) and ten send a 3-page scanned PDF, all at once; meanwhile another
person sends /help every 250 ms (20 people in turn, so the per-person flood limit of 1/s
never applies). Reported: the /help reply time (max, p95) and the event loop's lag
(a 10 ms ticker's overshoot, max and p99), plus when the last file was answered. Target: < 200 ms.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import documents
from documents import isolation
from tests.corpus import load
from tests.dispatcher.inproc import dispatcher_stack
from tests.documents import files


def _ms(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1) if values else 0.0


async def main(args: argparse.Namespace) -> dict:
    samples = load()
    bomb = files.text_bomb_pdf(4000)
    scan = files.scanned_pdf([s.text for s in samples[: args.pages]])
    lags: list[float] = []
    worst: list[tuple[float, float]] = []  # (lag, seconds since the files arrived)
    helps: list[float] = []
    stop = asyncio.Event()
    t0 = time.perf_counter()

    async def ticker() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - start - 0.01)
            worst.append((round(lags[-1] * 1000, 1), round(time.perf_counter() - t0, 2)))

    with tempfile.TemporaryDirectory() as tmp:
        async with dispatcher_stack(Path(tmp)) as stack:
            await documents.start()  # as at the bot's start-up (bot/dispatcher.py registers it)
            gc.collect()
            gc.freeze()  # as app/run.py does after start-up: full collections skip the long-lived objects
            askers = [9000 + k for k in range(20)]  # other people, each well under the 1/s flood limit
            for uid in askers:
                await stack.say(uid, "/help")  # warm: the people exist, caches are loaded
            updates = []
            for i in range(args.bombs):
                stack.emu.inject_document(9100 + i, "bomb.pdf", bomb, mime_type="application/pdf")
                updates.append(stack.pending_update())
            for i in range(args.scans):
                stack.emu.inject_document(9200 + i, "scan.pdf", scan, mime_type="application/pdf")
                updates.append(stack.pending_update())

            async def helper() -> None:
                k = 0
                while not stop.is_set():
                    start = time.perf_counter()
                    await stack.say(askers[k % len(askers)], "/help")
                    k += 1
                    helps.append(time.perf_counter() - start)
                    await asyncio.sleep(0.25)

            tick, ask = asyncio.create_task(ticker()), asyncio.create_task(helper())
            started = t0 = time.perf_counter()
            await asyncio.gather(*(stack.feed(u) for u in updates))
            finished = time.perf_counter() - started
            stop.set()
            await asyncio.gather(tick, ask)
            answered = sum(1 for i in range(args.bombs + args.scans)
                           if stack.emu.sent(9100 + i if i < args.bombs else 9200 + i - args.bombs))
            errors = len(stack.errors.records)
    isolation.shutdown()
    return {
        "bombs": args.bombs, "scans": args.scans, "pages": args.pages, "files_answered": answered,
        "errors": errors, "all_files_answered_s": round(finished, 1), "help_replies": len(helps),
        "help_ms": {"p95": _ms(helps, 0.95), "max": _ms(helps, 1.0)},
        "loop_lag_ms": {"p99": _ms(lags, 0.99), "max": _ms(lags, 1.0)},
        "worst_lags_ms_at_s": sorted(worst, reverse=True)[:5],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bombs", type=int, default=10)
    parser.add_argument("--scans", type=int, default=10)
    parser.add_argument("--pages", type=int, default=3)
    print(json.dumps(asyncio.run(main(parser.parse_args()))))
