"""deploy/ cannot be built or started here (no Docker engine): parse the files and check what matters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_slim_nonroot_migrates_then_runs_with_healthcheck() -> None:
    ins = dockerfile_instructions()
    froms = [args for word, args in ins if word == "FROM"]
    assert froms and all(re.match(r"python:3\.1[1-9]-slim\b", f) for f in froms), froms
    # The last stage (the image that runs) switches to a named, non-root user before CMD.
    final = ins[max(i for i, (w, _) in enumerate(ins) if w == "FROM"):]
    users = [args for word, args in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, users
    assert any(w == "RUN" and "useradd" in a and "--system" in a for w, a in final)
    words = [w for w, _ in final]
    assert words.index("USER") < words.index("CMD")
    # Installs the project from pyproject.toml.
    assert any(w == "COPY" and "pyproject.toml" in a for w, a in ins)
    assert any(w == "RUN" and "pip install ." in a for w, a in ins)
    # CMD: migrations, then exec the bot (so SIGTERM reaches it).
    (cmd,) = [json.loads(a) for w, a in final if w == "CMD"]
    script = " ".join(cmd)
    assert re.search(r"noticebot migrate && exec noticebot run", script), cmd
    # HEALTHCHECK on /healthz, with an interval and a timeout.
    (health,) = [a for w, a in final if w == "HEALTHCHECK"]
    assert "--interval=" in health and "--timeout=" in health and "/healthz" in health
    probe = json.loads(health[health.index("CMD") + 3:].strip())
    assert probe[0] == "python"
    env = " ".join(a for w, a in final if w == "ENV")
    assert "HTTP_HOST=0.0.0.0" in env and "DATABASE_URL=sqlite+aiosqlite:////data/" in env
    assert any(w == "VOLUME" and "/data" in a for w, a in final)


def test_dockerfile_healthcheck_probe_is_valid_python() -> None:
    (health,) = [a for w, a in dockerfile_instructions() if w == "HEALTHCHECK"]
    probe = json.loads(health[health.index("CMD") + 3:].strip())
    compile(probe[-1], "<healthcheck>", "exec")


def test_compose_bot_postgres_redis_with_volumes_and_healthchecks() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML is in the test extra")
    doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = doc["services"]
    assert set(services) >= {"bot", "postgres", "redis"}
    for name, svc in services.items():
        assert "healthcheck" in svc and svc["healthcheck"]["test"], name
        assert svc.get("restart") == "unless-stopped", name
    declared = set(doc["volumes"])
    for name in ("bot", "postgres", "redis"):
        assert services[name].get("volumes"), name
        for vol in services[name]["volumes"]:
            assert vol.split(":")[0] in declared
    # Optional reminder workers: the same image, after the bot (which migrates), on the same database.
    worker = services["worker"]
    assert worker["profiles"] == ["workers"] and worker["command"] == ["noticebot", "worker"]
    assert worker["image"] == services["bot"]["image"]
    assert worker["depends_on"] == {"bot": {"condition": "service_healthy"}}
    assert worker["environment"]["DATABASE_URL"] == services["bot"]["environment"]["DATABASE_URL"]
    bot = services["bot"]
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile" and bot["build"]["context"] == ".."
    assert (DEPLOY / ".." / bot["build"]["dockerfile"]).resolve().is_file()
    env = bot["environment"]
    assert env["DATABASE_URL"].startswith("postgresql+asyncpg://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                 "redis": {"condition": "service_healthy"}}
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    # The Compose variables it needs are required, not silently empty.
    assert "${POSTGRES_PASSWORD:?" in (DEPLOY / "compose.yaml").read_text()


def _unit() -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for raw in (DEPLOY / "noticebot.service").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = {}
            continue
        key, _, value = line.partition("=")
        sections[current].setdefault(key, []).append(value)
    return sections


def test_systemd_unit_user_envfile_restart_hardening() -> None:
    unit = _unit()
    svc = unit["Service"]
    assert svc["User"] == ["noticebot"] and svc["EnvironmentFile"][0].startswith("/etc/noticebot/")
    assert svc["Restart"] == ["on-failure"] and svc["RestartPreventExitStatus"] == ["2"]
    assert svc["ExecStartPre"][0].endswith("noticebot migrate") and svc["ExecStart"][0].endswith("noticebot run")
    assert svc["KillSignal"] == ["SIGTERM"]
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
                       "ProtectHome": "yes", "PrivateDevices": "yes"}.items():
        assert svc[key] == [value], key
    assert svc["ReadWritePaths"] == ["/var/lib/noticebot"] and svc["WorkingDirectory"] == ["/var/lib/noticebot"]
    assert svc["CapabilityBoundingSet"] == [""]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_unit_verifies(tmp_path: Path) -> None:
    # The unit names the production path of the console script; point it at this checkout's.
    script = Path(sys.executable).with_name("noticebot")
    assert script.exists()
    text = (DEPLOY / "noticebot.service").read_text().replace("/opt/noticebot/venv/bin/noticebot", str(script))
    unit = tmp_path / "noticebot.service"
    unit.write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_readme_covers_each_way_backups_and_upgrades() -> None:
    text = (DEPLOY / "README.md").read_text()
    for needle in ("noticebot.service", "docker build -f deploy/Dockerfile", "docker compose -f deploy/compose.yaml",
                   "noticebot backup", "pg_dump", "pg_restore", "noticebot migrate", "WEBHOOK_SECRET",
                   "WEBHOOK_DELETE_ON_STOP=false", "/metrics", "/healthz"):
        assert needle in text, needle
    assert text.index("## 6. Upgrades (migrations first)")
