"""Import the produced files with a real calendar program: khal, into a temporary vdir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from notices.ics import build_calendar, calendar_filename

from .conftest import NOW, cp14, lt11

KHAL = shutil.which("khal", path=str(Path(sys.executable).parent)) or shutil.which("khal")
pytestmark = pytest.mark.skipif(
    KHAL is None, reason="khal is not installed (pip install khal) - real-import test skipped"
)

FORMAT = "{start-date}|{end-date}|{title}|{status}|{uid}"


@pytest.fixture
def khal(tmp_path):
    (tmp_path / "cal").mkdir()
    config = tmp_path / "config"
    config.write_text(
        f"""[calendars]
[[irs]]
path = {tmp_path / "cal"}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
[sqlite]
path = {tmp_path / "khal.db"}
"""
    )
    # Keep khal away from the real home directory.
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [KHAL, "-c", str(config), *args], capture_output=True, text=True, env=env, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def import_bytes(raw: bytes, name: str) -> None:
        path = tmp_path / name
        path.write_bytes(raw)
        run("import", "--batch", str(path))

    def listed() -> list[list[str]]:
        out = run("list", "--once", "--format", FORMAT, "--day-format", "", "2026-11-01", "2027-03-01")
        return sorted(line.split("|") for line in out.splitlines() if line.strip())

    run.import_bytes = import_bytes
    run.listed = listed
    run.vdir = tmp_path / "cal"
    return run


def test_khal_imports_feed_on_the_right_dates(khal):
    raw = build_calendar([cp14(notes="Ref; a,b \\ 😀\r\nATTENDEE:mailto:x@y"), lt11()], now=NOW)
    khal.import_bytes(raw, "irs-deadlines.ics")
    assert khal.listed() == [
        ["2026-12-01", "2026-12-01", "Respond to IRS LT11 (estimated) — Last day to request a CDP hearing (tax year 2019)", "CONFIRMED ", "notice-11@noticebot.invalid"],
        ["2026-12-04", "2026-12-04", "Respond to IRS CP14 (tax year 2024): $3,412.18 due", "CONFIRMED ", "notice-14@noticebot.invalid"],
        ["2027-01-04", "2027-01-04", "Watch the mail: IRS CP501 may come if CP14 stays open (estimate)", "TENTATIVE ", "notice-14-next-CP501@noticebot.invalid"],
    ]  # fmt: skip
    stored = (khal.vdir / "notice-14@noticebot.invalid.ics").read_text()
    assert "ATTENDEE" not in stored.replace("\\nATTENDEE", "")


def test_khal_imports_reminder_events_at_the_reminder_time(khal):
    raw = build_calendar([cp14()], now=NOW, alarm_days=(7, 0), reminder_time=time(8, 30), for_import=True)
    khal.import_bytes(raw, "irs-CP14.ics")
    out = khal("list", "--once", "--format", "{start}|{title}", "--day-format", "", "2026-11-27", "2026-11-28")
    assert out.strip().splitlines() == ["2026-11-27 08:30|In 7 days: respond to IRS CP14 (December 4, 2026)"]


def test_khal_reimport_with_higher_sequence_updates_in_place(khal):
    khal.import_bytes(build_calendar([cp14()], now=NOW), calendar_filename("CP14", date(2026, 12, 4)))
    moved = cp14(respond_by=date(2026, 12, 18), sequence=2, expected_next=())
    khal.import_bytes(build_calendar([moved], now=NOW), calendar_filename("CP14", date(2026, 12, 18)))
    rows = [r for r in khal.listed() if r[4] == "notice-14@noticebot.invalid"]
    assert rows == [["2026-12-18", "2026-12-18", "Respond to IRS CP14 (tax year 2024): $3,412.18 due", "CONFIRMED ",
                     "notice-14@noticebot.invalid"]]  # fmt: skip
    assert len(list(khal.vdir.glob("notice-14@*.ics"))) == 1


def test_khal_imports_the_cancelling_file_of_a_resolved_notice(khal):
    khal.import_bytes(build_calendar([cp14()], now=NOW, alarm_days=(1,), for_import=True), "a.ics")
    paid = cp14(status="paid", resolved_at=NOW, sequence=2)
    khal.import_bytes(build_calendar([paid], now=NOW, alarm_days=(1,), for_import=True), "b.ics")
    statuses = {r[4]: r[3].strip() for r in khal.listed()}
    assert statuses == {"notice-14@noticebot.invalid": "CANCELLED", "notice-14-next-CP501@noticebot.invalid": "CANCELLED",
                        "notice-14-remind-1@noticebot.invalid": "CANCELLED"}  # fmt: skip


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "fixtures").glob("*.ics")), ids=lambda p: p.name)
def test_khal_imports_every_golden_file(khal, path):
    # One stored event per UID: khal accepted every event of the file.
    khal.import_bytes(path.read_bytes(), path.name)
    uids = {line.removeprefix(b"UID:") for line in path.read_bytes().split(b"\r\n") if line.startswith(b"UID:")}
    assert len(list(khal.vdir.glob("*.ics"))) == len(uids)
