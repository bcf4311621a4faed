"""The arrows of docs/architecture.md, checked on every module's imports (top-level and inside
functions): a package may import the ones below it, never one above.

    app -> bot -> web (metrics, feed URLs); bot, web -> services -> scheduler -> storage -> notices
    (the emulator stands on its own)

``app.config`` and ``app.logs`` are leaf modules any layer may read. The handlers (bot/routers/), the
bot's middlewares, the feed and the webhook go through services, never storage.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("app", "bot", "web", "services", "scheduler", "storage", "notices", "emulator")
LEAVES = ("app.config", "app.logs")

# package -> the product packages it must never import
FORBIDDEN = {
    "notices": set(PRODUCT) - {"notices"},
    "storage": {"scheduler", "services", "bot", "web", "app", "emulator"},
    "scheduler": {"services", "bot", "web", "app", "emulator"},
    "services": {"bot", "web", "app", "emulator"},
    "bot": {"app", "emulator"},  # bot reads web's metrics registry and feed URLs
    "web": {"bot", "app", "emulator"},  # the webhook gets the dispatcher handed in
    "emulator": set(PRODUCT) - {"emulator"},
}
# Modules that serve people's requests go through services too (metrics only counts rows).
THROUGH_SERVICES = ("bot/routers/", "bot/middlewares.py", "web/feed.py", "web/webhook.py")


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
    if rel.as_posix().startswith(THROUGH_SERVICES):
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
        "web/feed.py": "from storage import feeds",
        "emulator/x.py": "from notices import catalog",
        "web/x.py": "from bot.dispatcher import build_dispatcher",
        "bot/x.py": "from app import run",
    }
    for rel, source in cases.items():
        assert broken(ROOT / rel, source), rel
    allowed = {
        "storage/x.py": "from notices import catalog",
        "services/x.py": "from app.config import Settings\nfrom storage import notices",
        "bot/keyboards.py": "from storage.models import Notice",  # rendering may name the models
        "bot/routers/x.py": "from services import Notice\nfrom app import config",
    }
    for rel, source in allowed.items():
        assert broken(ROOT / rel, source) == [], rel
