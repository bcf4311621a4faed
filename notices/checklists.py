"""Short, actionable checklists per escalation stage, and the scam guide (English and Spanish)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from notices import catalog, words


@dataclass(frozen=True)
class ChecklistItem:
    id: str  # stable across languages, for storing what the person ticked off
    text: str


@cache
def _data() -> dict:
    raw = resources.files("notices").joinpath("data/checklists.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    for where, ids in [*data["stages"].items(), *data["first"].items(), *data["first_by_code"].items()]:
        for item_id in ids:
            item = data["items"].get(item_id)
            if not item or not all(item.get(lang) for lang in words.LANGUAGES):
                raise ValueError(f"checklists.toml: {where!r} uses item {item_id!r} without text in "
                                 f"every language ({', '.join(words.LANGUAGES)})")
    return data


def checklist(code: str | None, lang: str = "en") -> list[ChecklistItem]:
    """Items for the notice's stage, the one thing to do first at that stage first (``[first]``); an
    unknown or missing code gets the general balance-due list."""
    data = _data()
    info = catalog.get(code) if code else None
    stage = info.stage_key if info else "default"
    ids = data["stages"].get(stage, data["stages"]["default"])
    # CP22A shares the adjustment stage but carries no 60-day math-error right
    ids = [i for i in ids if not (i == "math_error" and not (info and info.hard))]
    wanted = data["first_by_code"].get(info.code if info else "") or data["first"].get(stage, data["first"]["default"])
    first = next((i for i in wanted if i in ids), None)
    if first is not None:
        ids = [first, *(i for i in ids if i != first)]
    return [ChecklistItem(i, words.pick(data["items"][i], lang)) for i in ids]


def scam_guide(lang: str = "en") -> str:
    return words.pick(_data()["scam_guide"], lang)
