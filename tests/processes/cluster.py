"""A production deployment in subprocesses: gunicorn with several workers, `db_worker`, management commands.

Production settings on a fresh database of its own (a new PostgreSQL database when the suite runs on PostgreSQL,
a new SQLite file otherwise), static files collected into a temporary folder, optionally Redis. Each gunicorn
worker names itself in an `X-Worker-Pid` header (tests/processes/probe_wsgi.py), so a test can ask every worker.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser-test"  # the browser helpers' password (tests/browser/test_publishing_flow.py)
OFFICER_REGION = "32.11"  # Kabupaten Sumedang: the region of the installed officer (conftest.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    pid: str
    status: int
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Database:
    """A database of its own for the cluster: PostgreSQL like the suite's (DATABASE_URL), or a SQLite file."""

    def __init__(self, workdir: Path):
        suite_url = os.environ.get("DATABASE_URL", "")
        self.name = f"livinglab_processes_{uuid.uuid4().hex[:8]}"
        if suite_url.startswith("postgres"):
            parts = urllib.parse.urlsplit(suite_url)
            self.admin_url = parts._replace(path="/postgres").geturl()
            self.url = parts._replace(path=f"/{self.name}").geturl()
            self._sql(f'CREATE DATABASE "{self.name}"')
        else:
            self.admin_url = None
            self.url = f"sqlite:///{workdir / 'site.sqlite3'}"

    @property
    def vendor(self) -> str:
        return "postgresql" if self.admin_url else "sqlite"

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def drop(self) -> None:
        if self.admin_url:
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Cluster:
    def __init__(self, workdir: Path, *, workers: int = 2, redis_url: str | None = None):
        self.workdir = workdir
        self.workers = workers
        self.database = Database(workdir)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "ELASTICSEARCH_"))},
            "DJANGO_SETTINGS_MODULE": "livinglab.settings.production",
            "SECRET_KEY": "processes-test-" + uuid.uuid4().hex,
            "DATABASE_URL": self.database.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WAGTAILADMIN_BASE_URL": self.base,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Plain HTTP on loopback stands in for the TLS proxy: no redirect to https, cookies over http.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "ERROR",
            # Tests here ask the same URLs many times over (until every worker answers fresh): limits they never
            # reach. tests/processes/test_rate_limits.py sets its own.
            "RATE_LIMIT_REPORT": "1000000/1h",
            "RATE_LIMIT_CSV": "1000000/1h",
            "RATE_LIMIT_AUTOCOMPLETE": "1000000/1h",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.set_redis(redis_url)

    def set_redis(self, redis_url: str | None) -> None:
        self.env.pop("REDIS_URL", None)
        if redis_url:
            self.env["REDIS_URL"] = redis_url

    # ------------------------------------------------------------ commands

    def manage(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            input=input,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result

    def shell(self, code: str) -> str:
        """Python in a separate process with the production settings (what an operator's shell would do)."""
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def install(self) -> None:
        """The production runbook's steps on the empty database."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_reference_data", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")

    # ------------------------------------------------------------ servers

    def start(self) -> None:
        log = (self.workdir / "gunicorn.log").open("a")
        self.processes["gunicorn"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.processes.probe_wsgi:application",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker_log = (self.workdir / "db_worker.log").open("a")
        self.processes["db_worker"] = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.2", "--no-startup-delay"],
            env=self.env,
            cwd=ROOT,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.processes["gunicorn"].poll() is not None:
                raise AssertionError("gunicorn stopped:\n" + (self.workdir / "gunicorn.log").read_text()[-3000:])
            if len(self.worker_pids()) == self.workers:
                try:
                    if self.get("/healthz").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer:\n" + (self.workdir / "gunicorn.log").read_text()[-3000:])

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def worker_pids(self) -> set[str]:
        master = self.processes["gunicorn"].pid
        result = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)  # noqa: S607
        return set(result.stdout.split())

    # ------------------------------------------------------------ HTTP

    def get(self, path: str, *, headers: dict | None = None) -> Answer:
        request = urllib.request.Request(self.base + path, headers=headers or {})  # noqa: S310 (loopback)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return Answer(response.headers.get("X-Worker-Pid", ""), response.status, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.headers.get("X-Worker-Pid", ""), error.code, error.read())

    def from_every_worker(self, path: str, fresh, *, within: float = 2.0) -> float:
        """Ask every worker until each has answered `fresh(answer)`; seconds it took. Fails after `within` s.

        Requests go several at a time so that every worker is busy and each of them answers some.
        """
        pids = self.worker_pids()
        started = time.monotonic()
        seen_fresh: set[str] = set()
        last: dict[str, Answer] = {}
        with ThreadPoolExecutor(max_workers=2 * self.workers) as pool:
            while True:
                for answer in pool.map(lambda _n: self.get(path), range(2 * self.workers)):
                    assert answer.status < 500, f"{path}: {answer.status} from worker {answer.pid}"
                    last[answer.pid] = answer
                    if fresh(answer):
                        seen_fresh.add(answer.pid)
                elapsed = time.monotonic() - started
                if seen_fresh >= pids:
                    return elapsed
                if elapsed > within:
                    stale = {pid: last[pid].text[:300] for pid in pids - seen_fresh if pid in last}
                    raise AssertionError(
                        f"{path}: after {elapsed:.2f} s, workers {sorted(pids - seen_fresh)} still answer "
                        f"stale (or never answered): {stale}"
                    )
