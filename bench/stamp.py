"""Benchmark: what reading the shared data-version stamp costs a request (cms/data_version.py).

Usage:
    python bench/stamp.py               # SQLite (a fresh file) and, when they answer, PostgreSQL and Redis
    python bench/stamp.py --runs 20000

Each request reads the committed stamp once (DataVersionMiddleware). Measured side by side in one run, in
microseconds (median, p95), each read outside any request scope so that every call reads the store:
- floor: a local-memory cache get (what a process-local stamp cost; wrong with several processes);
- database: the `DataVersion` row (SQLite file, then PostgreSQL 127.0.0.1 if it answers);
- redis: the stamp in Redis (REDIS_URL or redis://127.0.0.1:6379/14, if it answers).
A request to the search API takes milliseconds (docs/performance.md): the stamp's share is the ratio printed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/livinglab_bench_stamp"


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def child(runs: int) -> None:
    """In a process of its own per store (settings are read once per process)."""
    import django

    django.setup()
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.management import call_command

    from cms import data_version as stamp

    call_command("migrate", "--noinput", "-v0")

    local = LocMemCache("bench-floor", {})
    local.set(stamp.VERSION_KEY, "x", None)
    results = {}
    for name, read in (("floor", lambda: local.get(stamp.VERSION_KEY)), ("store", stamp.data_version)):
        for _ in range(min(runs, 500)):
            read()  # warm: connection open, statements prepared
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            read()
            samples.append((time.perf_counter() - start) * 1e6)
        results[name] = (statistics.median(samples), percentile(samples, 95))
    print(f"{results['floor'][0]:.1f} {results['floor'][1]:.1f} {results['store'][0]:.1f} {results['store'][1]:.1f}")


def run(label: str, env: dict, runs: int) -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--runs", str(runs)],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "livinglab.settings.dev"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(f"{label:<24} failed: {out.stderr.strip().splitlines()[-1] if out.stderr else out.returncode}")
        return
    floor_median, floor_p95, median, p95 = map(float, out.stdout.split())
    print(
        f"{label:<24} median {median:7.1f} µs  p95 {p95:7.1f} µs   "
        f"floor {floor_median:5.1f}/{floor_p95:5.1f} µs   ratio {median / floor_median:6.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.runs)
        return
    print(f"stamp read, {args.runs} reads each; load: {os.getloadavg()[0]:.2f}")
    run("database (SQLite file)", {"DATABASE_URL": f"sqlite:///{Path(tempfile.mkdtemp()) / 's.sqlite3'}"}, args.runs)
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS livinglab_bench_stamp")
            conn.execute("CREATE DATABASE livinglab_bench_stamp")
        run("database (PostgreSQL)", {"DATABASE_URL": PG_BENCH}, args.runs)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS livinglab_bench_stamp")
    except psycopg.OperationalError as error:
        print(f"database (PostgreSQL)    skipped: {error}")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    sqlite = {"DATABASE_URL": f"sqlite:///{Path(tempfile.mkdtemp()) / 'r.sqlite3'}"}
    run("redis", {**sqlite, "REDIS_URL": redis_url}, args.runs)


if __name__ == "__main__":
    main()
