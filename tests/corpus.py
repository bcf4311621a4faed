"""The notice corpus (tests/fixtures/notices/*.txt, sources in its README) and field scoring, shared by
the tests and bench/reader_accuracy.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from notices.reader import Draft

CORPUS = Path(__file__).resolve().parent / "fixtures" / "notices"
# not_notice: "irs_letter" for IRS letters that are not about money owed (CP01A, CP09, CP12, CP27), else None
FIELDS = ("notice", "notice_date", "due_date", "amount", "tax_years", "not_notice")


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    expect: dict[str, Any]
    today: date


def load() -> list[Sample]:
    samples = []
    for path in sorted(CORPUS.glob("*.txt")):
        head, _, text = path.read_text(encoding="utf-8").partition("\n---\n")
        meta = dict(line[2:].split(": ", 1) for line in head.splitlines() if line.startswith("# "))
        samples.append(Sample(path.stem, text, json.loads(meta["expect"]), date.fromisoformat(meta["today"])))
    return samples


def score(draft: Draft, expect: dict[str, Any], today: date) -> dict[str, bool]:
    """Field -> read right, for the fields the corpus measures."""
    got = draft.to_json(today)
    return {f: got[f] == expect.get(f) for f in FIELDS}
