"""`noticebot demo` with piped input: the real bot answers through the in-process emulator and exits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_piped_demo_prints_replies_and_exits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--files-dir", str(tmp_path / "files")],
        input="/start\nasdfgh\n", capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},  # no token, no .env
    )
    assert result.returncode == 0, result.stderr
    assert "you: /start" in result.stdout
    assert "I help with IRS letters" in result.stdout
    assert "did not understand" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_buttons_are_numbers_and_files_are_saved(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = tmp_path / "files"
    lines = "\n".join([
        "CP14 for tax year 2024, owe $3,412.18, dated 11/03/2026",
        "1",  # the confirmation card's first button: Save
        "/calendar",  # the bot sends a file: the demo saves it and prints the path
    ]) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--files-dir", str(files)],
        input=lines, capture_output=True, text=True, timeout=180, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "[1] ✅ Save" in result.stdout
    assert "Saved" in result.stdout
    assert "[file saved:" in result.stdout
    saved = list(files.glob("*.ics"))
    assert saved and b"BEGIN:VCALENDAR" in saved[0].read_bytes()


async def test_demo_prints_a_feed_link_with_port_0(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Regression (issue 17): the demo's HTTP app listened on port 0, so /feed printed a link to
    # "http://127.0.0.1:0/...". The link it prints now answers while the demo runs.
    import asyncio
    import re
    import urllib.request

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "demo", "--files-dir", str(tmp_path / "files"),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(b"/feed\n")
        await proc.stdin.drain()
        link = None
        async with asyncio.timeout(120):
            while link is None:
                line = (await proc.stdout.readline()).decode()
                assert line, "the demo ended before printing a feed link"
                found = re.search(r"http://127\.0\.0\.1:(\d+)/calendar/[A-Za-z0-9_-]+\.ics", line)
                link = found.group(0) if found else None
        assert found is not None and int(found.group(1)) != 0
        body = await asyncio.to_thread(lambda: urllib.request.urlopen(link, timeout=10).read())
        assert body.startswith(b"BEGIN:VCALENDAR")
    finally:
        proc.stdin.close()
        await asyncio.wait_for(proc.wait(), 60)
    assert proc.returncode == 0
