"""Load benchmark: the production server under 1, 8 and 32 concurrent clients (issue 11).

Usage:
    python bench/load.py                       # PostgreSQL: creates and drops database lv_loadbench
    python bench/load.py --sqlite              # SQLite: a file in a temp folder
    python bench/load.py --workers 4 --duration 20 --concurrency 1,8,32
    python bench/load.py --keep                # keep the PostgreSQL database …
    python bench/load.py --reuse               # … and serve it again without loading it
    python bench/load.py --sqlite --sqlite-file /tmp/load.sqlite3 [--reuse]   # the same with a SQLite file

Setup, all inside the run: a new database, `migrate` and `load_demo_data` under the development settings (the
demo loader is not meant for production settings), `collectstatic` into a temp folder, then gunicorn serving
`livinglab.wsgi:application` with `livinglab.settings.production` and a production environment (SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, STATIC_ROOT, WAGTAILADMIN_BASE_URL) on 127.0.0.1. Every request carries
`X-Forwarded-Proto: https`, as the TLS proxy in front of gunicorn sends it. After a warm-up, each URL is measured for a fixed time at each
concurrency, the URLs taking turns (--rounds, so that a change in the machine's load falls on all of them
alike): that many client threads, each sending its next request as soon as the previous one is answered
(a new connection per request, as a proxy without upstream keep-alive does; gunicorn's sync workers close
every connection anyway).

URLs: the search API and the HTML search page (both rotating over officer queries), the home page, a case
study, a region dashboard, and the floor measured side by side in the same run: /healthz (one `SELECT 1`) and a
static file (the stylesheet the pages link; dropped with a note if the server does not serve it).

Reported per URL and concurrency: requests per second, median and p95 latency in ms as the client saw it
(queueing included), errors (any non-2xx answer or connection error: there must be none), the server's CPU per
request (gunicorn workers plus, on PostgreSQL, their database backends: what the code costs, which other work on
the machine does not change much), the load average, and the load generator's own CPU use (it runs on the same
two cores as the server).

Budgets (issue 11), each printed PASS/FAIL; the exit status is 1 when one fails or any request erred:
- at 32 clients, each URL's p95 within 3× its p95 at 1 client;
- the HTML search page's median within 2× the search API's median, at every concurrency;
- the search API ≥ 150 requests/s at 8 and at 32 clients (with the default 2 workers on the 2-core machine).
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_SERVER, percentile, pg_drop, pg_recreate  # noqa: E402

HOST = "127.0.0.1"
HEADERS = {"X-Forwarded-Proto": "https", "Host": HOST, "User-Agent": "livinglab-bench-load"}
QUERIES = ["pengaduan", "tte", "satu data", "layanan", "tanda tangan elektronik", "mal pelayanan publik"]
DASHBOARD = "/daerah/skor/32-12/"
API, HTML = "search API", "HTML search page /cari/"
BUDGET_TAIL = 3.0  # p95 at 32 clients ≤ this × p95 at 1 client
BUDGET_HTML = 2.0  # HTML search page median ≤ this × search API median
BUDGET_API_RPS = 150.0


@dataclass
class Target:
    """One measured URL: a label and the paths its requests rotate over."""

    name: str
    paths: list[str]
    floor: bool = False


@dataclass
class Sample:
    target: str
    clients: int
    seconds: float
    latencies: list[float]
    errors: Counter = field(default_factory=Counter)
    load: float = 0.0
    client_cpu: float = 0.0  # share of one core the load generator used
    server_cpu: float = 0.0  # CPU seconds of the gunicorn workers and their PostgreSQL backends

    @property
    def cpu_per_request(self) -> float:
        """Server CPU ms per answered request: what the code costs, whatever else shares the machine."""
        return self.server_cpu * 1000 / len(self.latencies) if self.latencies else float("nan")

    @classmethod
    def merged(cls, parts: list["Sample"]) -> "Sample":
        """One sample from the rounds of the same URL and concurrency."""
        seconds = sum(p.seconds for p in parts)
        return cls(
            parts[0].target,
            parts[0].clients,
            seconds,
            [ms for p in parts for ms in p.latencies],
            sum((p.errors for p in parts), Counter()),
            load=statistics.mean(p.load for p in parts),
            client_cpu=sum(p.client_cpu * p.seconds for p in parts) / seconds,
            server_cpu=sum(p.server_cpu for p in parts),
        )

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95) if self.latencies else float("nan")


# ---------------------------------------------------------------- HTTP


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=HEADERS)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each of these processes so far (from /proc; processes gone are left out)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return seconds


def run_load(port: int, target: Target, clients: int, seconds: float, server_pids=list) -> Sample:
    """`clients` threads send requests back to back for `seconds`; latencies of the answered ones, errors, and
    the CPU the server's processes (`server_pids()`) spent meanwhile."""
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    start_together = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        mine, failed = [], Counter()
        n = index
        start_together.wait()
        while time.perf_counter() < deadline[0]:
            path = target.paths[n % len(target.paths)]
            n += clients
            begin = time.perf_counter()
            try:
                status, _body = get(port, path)
            except (OSError, http.client.HTTPException) as error:
                failed[type(error).__name__] += 1
                continue
            if 200 <= status < 300:
                mine.append((time.perf_counter() - begin) * 1000)
            else:
                failed[f"HTTP {status}"] += 1
        with lock:
            latencies.extend(mine)
            errors.update(failed)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    server_cpu = cpu_seconds(server_pids())
    cpu = time.process_time()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_together.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    # Processes that started meanwhile (a database backend replacing an expired one) count from zero.
    server_cpu = sum(cpu - server_cpu.get(pid, 0.0) for pid, cpu in cpu_seconds(server_pids()).items())
    return Sample(
        target.name,
        clients,
        wall,
        latencies,
        errors,
        load=os.getloadavg()[0],
        client_cpu=(time.process_time() - cpu) / wall,
        server_cpu=server_cpu,
    )


# ---------------------------------------------------------------- setup and the server


def manage(env: dict, settings: str, *args: str) -> None:
    """`manage.py ARGS` under these settings; its output is dropped unless it fails."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(
        command, env={**env, "DJANGO_SETTINGS_MODULE": settings}, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def production_settings(env: dict, tmp: Path) -> str:
    """The settings module to serve: `livinglab.settings.production`, or, when it does not read STATIC_ROOT from
    the environment, a one-line shim in the temp folder that imports it and points STATIC_ROOT there."""
    probe = "import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env, "DJANGO_SETTINGS_MODULE": "livinglab.settings.production"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if Path(out) == Path(env["STATIC_ROOT"]):
        return "livinglab.settings.production"
    shim = tmp / "loadbench_settings.py"
    shim.write_text(
        f"from livinglab.settings.production import *  # noqa: F403\nSTATIC_ROOT = {env['STATIC_ROOT']!r}\n"
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp), env.get("PYTHONPATH", "")]))
    print(f"note: production settings do not read STATIC_ROOT (it is {out}); serving them through {shim.name}, "
          "which imports livinglab.settings.production and sets only STATIC_ROOT")  # fmt: skip
    return "loadbench_settings"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group, stopped (master, then the whole group) whatever happens."""

    def __init__(self, env: dict, settings: str, workers: int, port: int, log: Path):
        self.port, self.log = port, log
        command = [sys.executable, "-m", "gunicorn", "livinglab.wsgi:application", "--workers", str(workers),
                   "--bind", f"{HOST}:{port}", "--chdir", str(ROOT), "--error-logfile", str(log)]  # fmt: skip
        self.process = subprocess.Popen(
            command, env={**env, "DJANGO_SETTINGS_MODULE": settings}, cwd=ROOT, start_new_session=True
        )

    def pids(self, database: str | None = None) -> list[int]:
        """The workers (children of the master) and, given a PostgreSQL database, the backends serving it."""
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    workers.append(int(stat.parent.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
        if not database:
            return workers
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]).fetchall()
        return workers + [pid for (pid,) in rows]

    def wait_ready(self, timeout: float = 60.0) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, body = get(self.port, "/healthz", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        self.process.wait()


def targets(port: int) -> tuple[list[Target], list[str]]:
    """The measured URLs (floor first) and notes on what could not be measured."""
    notes = []
    status, body = get(port, "/api/v1/search/?q=pengaduan")
    results = json.loads(body)["results"] if status == 200 else []
    if not results:
        raise SystemExit(f"the search API answered {status} without results: is the demo data loaded?")
    case_study = results[0]["url"]
    status, home = get(port, "/")
    if status != 200:
        raise SystemExit(f"/ answered {status}")
    found = re.search(rb'<link rel="stylesheet" href="([^"]+)"', home)
    floor = [Target("floor: /healthz", ["/healthz"], floor=True)]
    if found:
        css = found.group(1).decode()
        status, _body = get(port, css)
        if status == 200:
            floor.append(Target(f"floor: static {css.rsplit('/', 1)[-1]}", [css], floor=True))
        else:
            notes.append(f"the static file {css} answered {status} (the server does not serve static files on this "
                         "branch: no whitenoise yet); /healthz is the only floor")  # fmt: skip
    pages = [
        Target(API, [f"/api/v1/search/?q={q.replace(' ', '+')}" for q in QUERIES]),
        Target(HTML, [f"/cari/?q={q.replace(' ', '+')}" for q in QUERIES]),
        Target("home /", ["/"]),
        Target("case study page", [case_study]),
        Target(f"dashboard {DASHBOARD}", [DASHBOARD]),
    ]
    return floor + pages, notes


# ---------------------------------------------------------------- report


def print_sample(s: Sample) -> None:
    errors = sum(s.errors.values())
    detail = f" {dict(s.errors)}" if errors else ""
    print(f"{s.target:34} {s.clients:7d} {s.rps:8.1f} {s.median:10.1f} {s.p95:8.1f} {errors:6d} "
          f"{s.cpu_per_request:8.2f} {s.load:5.2f} {s.client_cpu:7.0%}{detail}", flush=True)  # fmt: skip


def budgets(samples: list[Sample], levels: list[int]) -> list[tuple[str, bool]]:
    """(what was checked, passed) per budget whose URLs and concurrencies were measured."""
    by = {(s.target, s.clients): s for s in samples}
    names = list(dict.fromkeys(s.target for s in samples))
    checks = []
    for name in names:
        one, many = by.get((name, 1)), by.get((name, 32))
        if one and many:
            checks.append(
                (f"{name}: p95 at 32 clients {many.p95:.1f} ms ≤ {BUDGET_TAIL:g} × p95 at 1 client "
                 f"({one.p95:.1f} ms → {BUDGET_TAIL * one.p95:.1f}); Little's law at 32 clients: "
                 f"{32 / many.rps * 1000:.1f} ms mean; p95/median at 32: {many.p95 / many.median:.2f}",
                 many.p95 <= BUDGET_TAIL * one.p95)
            )  # fmt: skip
    for clients in levels:
        api, html = by.get((API, clients)), by.get((HTML, clients))
        if api and html:
            checks.append(
                (f"HTML search median {html.median:.1f} ms ≤ {BUDGET_HTML:g} × search API median {api.median:.1f} "
                 f"ms at {clients} clients ({html.median / api.median:.2f}×)", html.median <= BUDGET_HTML * api.median)
            )  # fmt: skip
    cores = os.cpu_count() or 1
    for clients in [c for c in levels if c >= 8]:
        api = by.get((API, clients))
        if api:
            checks.append(
                (f"search API {api.rps:.1f} req/s ≥ {BUDGET_API_RPS:g} at {clients} clients (server CPU "
                 f"{api.cpu_per_request:.1f} ms/req: {cores} cores to itself would serve about "
                 f"{cores * 1000 / api.cpu_per_request:.0f} req/s)", api.rps >= BUDGET_API_RPS)
            )  # fmt: skip
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--sqlite-file", help="SQLite file (default: a new one in a temp folder, removed after)")
    parser.add_argument("--database", default="lv_loadbench", help="PostgreSQL database name")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true", help="serve a kept database as it is, without loading it")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", default="1,8,32", help="concurrent clients, comma-separated")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per URL and concurrency")
    parser.add_argument("--rounds", type=int, default=3, help="turns the URLs take within each concurrency")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per URL and worker")
    parser.add_argument("--port", type=int, default=0, help="port for gunicorn (default: a free one)")
    parser.add_argument(
        "--only",
        help="measure only the URLs whose label contains one of these words (comma-separated; the floor stays)",
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    if args.sqlite and args.reuse and not args.sqlite_file:
        parser.error("--reuse with --sqlite needs --sqlite-file")

    tmp = Path(tempfile.mkdtemp(prefix="livinglab-load-"))
    if args.sqlite:
        database_url = f"sqlite:///{Path(args.sqlite_file or tmp / 'load.sqlite3').resolve()}"
    elif args.reuse:
        database_url = PG_SERVER + args.database
    else:
        database_url = pg_recreate(args.database)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "WAGTAILADMIN_BASE_URL": f"https://{HOST}",  # the public address (required by the production kit on main)
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
    }
    server = None
    # Stop cleanly (the finally below) on Ctrl-C, also when started where SIGINT is ignored, and when killed.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        started = time.perf_counter()
        if not args.reuse:
            # The demo loader runs under the development settings, on the database production will serve.
            manage(env, "livinglab.settings.dev", "migrate", "--noinput", "-v0")
            manage(env, "livinglab.settings.dev", "load_demo_data")
        settings = production_settings(env, tmp)
        manage(env, settings, "collectstatic", "--noinput", "-v0")
        print(f"setup (migrate, load_demo_data, collectstatic) in {time.perf_counter() - started:.1f} s")

        server = Server(env, settings, args.workers, args.port or free_port(), tmp / "gunicorn.log")
        server.wait_ready()
        measured, notes = targets(server.port)
        if args.only:
            words = [w.strip().lower() for w in args.only.split(",")]
            measured = [t for t in measured if t.floor or any(w in t.name.lower() for w in words)]
        for note in notes:
            print(f"note: {note}")
        for target in measured:  # warm-up: every worker renders every path (templates, caches, plans)
            for i in range(args.warmup * args.workers):
                status, _body = get(server.port, target.paths[i % len(target.paths)])
                if status != 200:
                    raise SystemExit(f"warm-up: {target.paths[i % len(target.paths)]} answered {status}")

        def server_pids():
            return server.pids(None if args.sqlite else args.database)

        database = "SQLite" if args.sqlite else f"PostgreSQL ({args.database})"
        print(f"\n{time.strftime('%Y-%m-%d %H:%M')}; {database}; gunicorn {args.workers} workers, "
              f"{settings}; {os.cpu_count()} cores; {args.duration:g} s per row in {args.rounds} turns; load average before "
              f"{os.getloadavg()[0]:.2f}")  # fmt: skip
        print(f"\n{'URL':34} {'clients':>7} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>6} "
              f"{'CPU ms/req':>8} {'load':>5} {'client CPU':>7}")  # fmt: skip
        samples = []
        for clients in levels:
            # The URLs take turns, `rounds` times, so that a change in the machine's load falls on all of them.
            rounds = {t.name: [] for t in measured}
            for _round in range(args.rounds):
                for target in measured:
                    rounds[target.name].append(
                        run_load(server.port, target, clients, args.duration / args.rounds, server_pids)
                    )
            for parts in rounds.values():
                samples.append(Sample.merged(parts))
                print_sample(samples[-1])
            print()
        errors = sum(sum(s.errors.values()) for s in samples)
        checks = budgets(samples, levels)
        print("budgets:")
        for text, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
        print(f"  {'PASS' if not errors else 'FAIL'}  errors (non-2xx or connection): {errors}")
        server_log = server.log_tail()
        if "Traceback" in server_log or "ERROR" in server_log:
            print(f"\ngunicorn log (tail):\n{server_log}")
        return 0 if not errors and all(ok for _text, ok in checks) else 1
    except KeyboardInterrupt:
        print("\ninterrupted: stopping")
        return 130
    finally:
        if server:
            server.stop()
        if not args.sqlite and not (args.keep or args.reuse):
            pg_drop(args.database)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
