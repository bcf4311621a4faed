"""bench/ics_feed.py runs as a script and prints one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_script_runs_and_prints_json():
    # Regression: when it was named bench/calendar.py it shadowed the stdlib "calendar" module that
    # dateutil imports, and the import of icalendar failed with a circular-import error.
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ics_feed.py"), "--json", "--notices", "5", "--repeat", "3", "--cold-repeat", "1",
         "--big", "20", "--server-tokens", "30", "--clients", "5"],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT / "bench",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[-1])
    assert result["notices"] == 5
    assert {"median_ms", "p95_ms", "cold_median_ms", "one_changed_median_ms", "plain_cold_cpu_median_ms"} <= result.keys()
    assert result["big"]["notices"] == 20 and 0 < result["big"]["gzip_bytes"] < result["big"]["bytes"]
    server = result["server"]
    assert server["full"]["statuses"] == {"200": 30} and server["conditional"]["statuses"] == {"304": 30}
