"""The arrows of docs/architecture.md, checked on every module's imports (top-level and inside
functions): a package may import the ones below it, never one above.

    app -> bot -> web (metrics, feed URLs); bot, web -> services -> scheduler -> storage -> notices
    (bot reads files through documents, which imports nothing of the product; the emulator stands
    on its own)

``app.config`` and ``app.logs`` are leaf modules any layer may read. bot/ and web/ go through services,
never storage (web/metrics.py only counts rows).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("app", "bot", "web", "services", "scheduler", "storage", "notices", "documents", "emulator")
LEAVES = ("app.config", "app.logs")

# package -> the product packages it must never import
FORBIDDEN = {
    "notices": set(PRODUCT) - {"notices"},
    "storage": {"scheduler", "services", "bot", "web", "app", "documents", "emulator"},
    "scheduler": {"services", "bot", "web", "app", "documents", "emulator"},
    "services": {"bot", "web", "app", "documents", "emulator"},
    "bot": {"app", "emulator"},  # bot reads web's metrics registry and feed URLs
    "web": {"bot", "app", "documents", "emulator"},  # the webhook gets the dispatcher handed in
    "documents": set(PRODUCT) - {"documents"},  # files to text: a tool, like the emulator
    "emulator": set(PRODUCT) - {"emulator"},
}
# Telegram and HTTP go through services, never storage: handlers, middlewares, rendering (the models
# it names come from ``services``), the feed, the subscribe page, the webhook. Only the metrics
# collector reads storage, to count rows.
THROUGH_SERVICES = ("bot/", "web/")
READS_STORAGE = ("web/metrics.py",)


def imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for every absolute import in ``source``, inside functions too;
    ``from a.b import c`` gives ``a.b.c`` (``c`` may be a module or a name in it)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def broken(path: Path, source: str) -> list[str]:
    rel = path.relative_to(ROOT)
    banned = set(FORBIDDEN.get(rel.parts[0], ()))
    if rel.as_posix().startswith(THROUGH_SERVICES) and rel.as_posix() not in READS_STORAGE:
        banned.add("storage")
    return [
        f"{rel}:{line} imports {name}"
        for line, name in imports(source)
        if name.split(".")[0] in banned and not any(name == leaf or name.startswith(leaf + ".") for leaf in LEAVES)
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_follow_the_arrows(package: str) -> None:
    problems = [p for path in sorted((ROOT / package).rglob("*.py")) for p in broken(path, path.read_text())]
    assert problems == []


def test_the_checker_catches_each_kind_of_broken_arrow() -> None:
    cases = {
        "notices/x.py": "from storage.models import Notice",
        "storage/x.py": "def f():\n    from scheduler import planner",
        "services/x.py": "import bot.texts",
        "bot/routers/x.py": "from storage import notices",
        "bot/once.py": "from storage import updates",
        "bot/keyboards.py": "from storage.models import Notice",
        "web/feed.py": "from storage import feeds",
        "emulator/x.py": "from notices import catalog",
        "documents/x.py": "from notices import redact",
        "notices/y.py": "import documents",
        "web/x.py": "from bot.dispatcher import build_dispatcher",
        "bot/x.py": "from app import run",
    }
    for rel, source in cases.items():
        assert broken(ROOT / rel, source), rel
    allowed = {
        "storage/x.py": "from notices import catalog",
        "services/x.py": "from app.config import Settings\nfrom storage import notices",
        "bot/keyboards.py": "from services import Notice",  # rendering names the models through services
        "web/metrics.py": "from storage.models import Reminder",  # counts rows
        "bot/routers/x.py": "from services import Notice\nfrom app import config",
    }
    for rel, source in allowed.items():
        assert broken(ROOT / rel, source) == [], rel


@pytest.mark.parametrize("package", ["notices", "storage", "scheduler", "services"])
def test_below_the_bot_nothing_imports_aiogram(package: str) -> None:
    """Telegram is the bot's business: the use cases, the reminder engine, storage and the domain run
    without it (the worker, the feed, the CLI, tests). Regression: the calendar use case translated
    through aiogram's I18n context."""
    problems = [f"{path.relative_to(ROOT)}:{line} imports {name}"
                for path in sorted((ROOT / package).rglob("*.py"))
                for line, name in imports(path.read_text()) if name.split(".")[0] == "aiogram"]
    assert problems == []
