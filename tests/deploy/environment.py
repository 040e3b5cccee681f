"""The documented production environment (.env.example) and a way to run Python or manage.py in it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """.env.example's active assignments (quotes stripped, as systemd and sh read them)."""
    env = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[name.strip()] = value
    return env


def production_environment(tmp_path: Path, **changes) -> dict[str, str]:
    """The documented environment as a deployer fills it in: a generated SECRET_KEY (as the file says to make
    one), an empty throwaway database and files under `tmp_path`; nothing inherited from the test run but PATH."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **documented_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", *args], env)
