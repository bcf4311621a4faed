"""Import the produced files with a real calendar program: khal, into a temporary vdir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
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
        ["2026-12-01", "2026-12-01", "Last day to request a CDP hearing: IRS LT11 (tax year 2019)", "CONFIRMED ", "notice-11@noticebot"],
        ["2026-12-04", "2026-12-04", "Respond to IRS CP14 (tax year 2024): $3,412.18 due", "CONFIRMED ", "notice-14@noticebot"],
        ["2027-01-04", "2027-01-18", "Expected: IRS CP501 may arrive (estimate)", "TENTATIVE ", "notice-14-next-CP501@noticebot"],
    ]  # fmt: skip
    stored = (khal.vdir / "notice-14@noticebot.ics").read_text()
    assert "ATTENDEE" not in stored.replace("\\nATTENDEE", "")


def test_khal_reimport_with_higher_sequence_updates_in_place(khal):
    khal.import_bytes(build_calendar([cp14()], now=NOW), calendar_filename("CP14", date(2026, 12, 4)))
    moved = cp14(respond_by=date(2026, 12, 18), sequence=2, expected_next=())
    khal.import_bytes(build_calendar([moved], now=NOW), calendar_filename("CP14", date(2026, 12, 18)))
    rows = [r for r in khal.listed() if r[4] == "notice-14@noticebot"]
    assert rows == [
        [
            "2026-12-18",
            "2026-12-18",
            "Respond to IRS CP14 (tax year 2024): $3,412.18 due",
            "CONFIRMED ",
            "notice-14@noticebot",
        ]
    ]
    assert len(list(khal.vdir.glob("notice-14@*.ics"))) == 1


def test_khal_imports_cancelled_resolved_notice(khal):
    khal.import_bytes(build_calendar([cp14()], now=NOW), "a.ics")
    paid = cp14(status="paid", resolved_at=NOW, sequence=2)
    khal.import_bytes(build_calendar([paid], now=NOW), "b.ics")
    statuses = {r[4]: r[3].strip() for r in khal.listed()}
    assert statuses == {"notice-14@noticebot": "CANCELLED", "notice-14-next-CP501@noticebot": "CANCELLED"}
