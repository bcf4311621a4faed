"""`noticebot demo` with piped input: the real bot answers through the in-process emulator and exits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_piped_demo_prints_replies_and_exits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--files-dir", str(tmp_path / "files")],
        input="/start\nasdfgh\n", capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},  # no token, no .env
    )
    assert result.returncode == 0, result.stderr
    assert "you: /start" in result.stdout
    assert "I help with IRS letters" in result.stdout
    assert "did not understand" in result.stdout
    assert "Traceback" not in result.stderr
