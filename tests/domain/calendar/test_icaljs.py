"""Mozilla's ical.js (Thunderbird's parser, npm ``ical.js``, run by node) reads every golden file
the way icalendar does, and sees each rule of issue 17.

Needs node and ``npm ci`` in tests/calendar_js/ (.ci/run does both). Skipped with the reason when
either is missing, except in CI (CI=true), where a missing parser must fail the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest

from notices.ics import build_calendar

from .conftest import NOW, cp14

ROOT = Path(__file__).resolve().parents[3]
JS = ROOT / "tests" / "calendar_js"
FIXTURES = Path(__file__).parent / "fixtures"
NODE = shutil.which("node")
MISSING = (
    "node is not installed" if NODE is None
    else "ical.js is not installed: run `npm ci` in tests/calendar_js" if not (JS / "node_modules" / "ical.js").is_dir()
    else None
)  # fmt: skip
if MISSING and os.environ.get("CI") != "true":
    pytestmark = pytest.mark.skip(reason=f"{MISSING} - ical.js tests skipped")


def read(*paths: Path) -> dict[str, dict]:
    if MISSING:  # in CI: fail, do not skip
        pytest.fail(MISSING)
    assert NODE is not None
    done = subprocess.run([NODE, "read.cjs", *map(str, paths)], cwd=JS, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {Path(k).name: v for k, v in json.loads(done.stdout).items()}


def _ical_value(value: date | datetime) -> str:
    return value.isoformat() if type(value) is date else value.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def golden() -> dict[str, dict]:
    return read(*sorted(FIXTURES.glob("*.ics")))


def test_every_golden_file_reads_the_same_in_icaljs_and_icalendar(golden):
    assert set(golden) == {p.name for p in FIXTURES.glob("*.ics")} and len(golden) >= 6
    for name, seen in golden.items():
        cal = icalendar.Calendar.from_ical((FIXTURES / name).read_bytes())
        want = [
            {"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "start": _ical_value(e.decoded("DTSTART")),
             "end": _ical_value(e.decoded("DTEND")), "sequence": int(e["SEQUENCE"]), "status": str(e["STATUS"]),
             "transp": str(e["TRANSP"]), "alarms": len(e.walk("VALARM")),
             "description": str(e["DESCRIPTION"]) if "DESCRIPTION" in e else None}
            for e in cal.walk("VEVENT")
        ]  # fmt: skip
        got = [{**{k: ev[k] for k in want[0]}, "alarms": len(ev["alarms"])} for ev in seen["events"]]
        assert got == want, name


def test_icaljs_sees_deadlines_free_and_expected_notices_as_one_day(golden):
    for ev in golden["feed-en.ics"]["events"]:
        assert ev["allDay"] and ev["transp"] == "TRANSPARENT"
        assert date.fromisoformat(ev["end"]) - date.fromisoformat(ev["start"]) == (date(2000, 1, 2) - date(2000, 1, 1))
    titles = [ev["summary"] for ev in golden["feed-en.ics"]["events"]]
    assert titles[0].startswith("Overdue: respond to IRS CP501") and golden["feed-en.ics"]["events"][0]["start"] == "2026-11-01"
    assert any(t.startswith("Respond to IRS LT11 (estimated) — ") for t in titles)
    assert "Watch the mail: IRS CP501 may come if CP14 stays open (estimate)" in titles
    assert not any("CP2000" in t for t in titles)  # resolved: left out of the feed


def test_icaljs_sees_import_reminders_as_timed_floating_events_alerting_at_their_start(golden):
    reminders = [ev for ev in golden["single-cp14.ics"]["events"] if "-remind-" in ev["uid"]]
    assert [ev["start"] for ev in reminders] == ["2026-11-27T09:00:00", "2026-12-01T09:00:00",
                                                 "2026-12-03T09:00:00", "2026-12-04T09:00:00"]  # fmt: skip
    for ev in reminders:
        assert not ev["allDay"] and ev["floating"]
        assert [(a["action"], a["trigger"]) for a in ev["alarms"]] == [("DISPLAY", "PT0S")]
    assert all(not ev["alarms"] for ev in golden["single-cp14.ics"]["events"] if "-remind-" not in ev["uid"])


def test_icaljs_sees_the_resolved_file_cancel_every_event(golden):
    events = golden["resolved-cancel.ics"]["events"]
    assert len(events) == 6 and {ev["status"] for ev in events} == {"CANCELLED"}
    assert all(not ev["alarms"] for ev in events)


def test_icaljs_reads_text_with_escapes_and_emoji(tmp_path):
    path = tmp_path / "notes.ics"
    path.write_bytes(build_calendar([cp14(notes="a;b,c\\d\n😀 é")], now=NOW))
    (ev, _watch) = read(path)["notes.ics"]["events"]
    assert ev["description"].endswith("Your notes: a;b,c\\d\n😀 é")
