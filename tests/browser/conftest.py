"""A real demo site in a subprocess (its own SQLite file, `load_demo_data`), driven by Debian's Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = ROOT / "test-results" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


demo_server_env: dict[str, str] = {}  # the demo server's environment, for commands run against its database


def manage(*args: str) -> str:
    """Run a management command against the demo server's database; its output."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=demo_server_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def sent_mail() -> list[str]:
    """The e-mails the demo server and its commands sent, oldest first (the file backend's files)."""
    folder = Path(demo_server_env["EMAIL_FILE_PATH"])
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime)]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make setup-browser` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: run `make setup-browser`")
    workdir = tmp_path_factory.mktemp("demo-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livinglab.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "DEMO_PASSWORD": "browser-test",
        # E-mails (invitations) as files the tests read, from the server and from commands run against its database.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo_data"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 (our own loopback server)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("the demo server did not start")
    demo_server_env.update(env)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"  # `make setup-browser` (npm, pinned)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make setup-browser` installs axe-core from the npm registry")
        pytest.skip(f"{AXE} is missing: run `make setup-browser`")
    return AXE.read_text(encoding="utf-8")


def axe_violations(tab, source: str, *, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it is now, of the given impacts."""
    # Evaluated through the DevTools protocol, not added as an inline <script>: the site's Content-Security-Policy
    # refuses inline scripts (as it should), and the scan must not need the policy weakened.
    tab.evaluate("() => {\n" + source + "\n}")
    found = tab.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        AXE_TAGS,
    )
    return [v for v in found if v["impact"] in impacts]
