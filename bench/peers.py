"""Benchmark: the peer query and the region dashboard, with all kabupaten/kota × 47 indicators × 6 years loaded.

Usage:
    python bench/peers.py                         # SQLite (a fresh file in a temp folder)
    python bench/peers.py --postgres              # PostgreSQL: creates and drops database livinglab_bench
    python bench/peers.py --runs 300 --keep       # more samples; keep the database for a rerun

Reports median and p95 in milliseconds and the number of SQL queries, for:
- floor: the one SQL query any peer ranking must run (every region's value for one target and two years),
  with no ranking at all — the side-by-side baseline; ratios are against it;
- naive: the same ranking computed from indicator levels on each request (no aggregate table);
- peers (warm): `peers_for` as the site runs it (derived reads cached per data version);
- peers (cold): the same with the cache cleared before every call;
- dashboard: GET /daerah/skor/<code>/ — the page itself is never cached; measured once with the derived data
  (averages, step counts, peer tables; keyed by data version) as a running site has it, and once with every
  cache cleared before each request.
Budgets (issue 3): peers p95 ≤ 20 ms; dashboard p95 ≤ 60 ms uncached.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_ADMIN, PG_SERVER, percentile  # noqa: E402

PG_BENCH = PG_SERVER + "livinglab_bench"


def setup_database(args) -> None:
    if args.postgres:
        import psycopg

        if not args.keep or not args.reuse:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS livinglab_bench")
                conn.execute("CREATE DATABASE livinglab_bench")
        os.environ["DATABASE_URL"] = PG_BENCH
    else:
        path = Path(args.sqlite or Path(tempfile.mkdtemp()) / "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings.dev")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()


def measure(fn, cases, *, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for case in cases:
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn(*case)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sqlite", help="SQLite file to use (default: a new temp file)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing loaded database")
    args = parser.parse_args()
    setup_database(args)

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cms.data_version import forget_process_memory

    def clear_every_cache():
        """The shared cache and this process's memo (the stamp no longer lives in the cache)."""
        cache.clear()
        forget_process_memory()

    from casestudies.models import Aspect, Framework, IndicatorScore, Region
    from casestudies.peers import peers_for
    from casestudies.scores.formula import Weights, aggregate
    from casestudies.scores.targets import Target
    from casestudies.scores.values import default_years, values_for

    if not args.reuse:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("load_demo_data", stdout=quiet, stderr=quiet)
        print(f"setup: migrate + load_demo_data in {time.perf_counter() - t:.1f} s")
    framework = Framework.current()
    rows = IndicatorScore.objects.count()
    local = list(Region.objects.exclude(type="provinsi").values_list("code", flat=True))
    print(f"database: {connection.vendor}; indicator levels loaded: {rows:,} ({len(local)} kabupaten/kota)")

    rng = random.Random(7)
    targets = [Target("aspect", a.number, framework) for a in Aspect.objects.filter(framework=framework)]
    targets += [Target("domain", n, framework) for n in (1, 2, 3, 4)]
    targets += [Target("indicator", n, framework) for n in rng.sample(range(1, 48), 8)]
    regions = {r.code: r for r in Region.objects.filter(code__in=local)}
    cases = [(regions[rng.choice(local)], rng.choice(targets)) for _ in range(args.runs)]
    for target in targets:
        peers_for(cases[0][0], target)  # warm-up, also fills the cache
    years = {t: default_years(t) for t in targets}
    weights = Weights.of(framework)

    def floor(region, target):
        values_for(target, years[target])

    def naive(region, target):
        # Without the aggregate table: every region's levels for the two years, aggregated per request.
        if target.scope == "indicator":
            return values_for(target, years[target])
        levels = defaultdict(dict)
        qs = IndicatorScore.objects.filter(year__in=years[target], indicator__framework=framework).values_list(
            "region_id", "year", "indicator__number", "level"
        )
        for region_id, year, number, level in qs:
            levels[(region_id, year)][number] = level
        results = {key: aggregate(by_indicator, weights) for key, by_indicator in levels.items()}
        picked = {
            key: (r.aspects if target.scope == "aspect" else r.domains).get(target.number) for key, r in results.items()
        }
        return sorted(picked.items(), key=lambda item: item[1] or 0)[:10]

    def peers(region, target):
        peers_for(region, target)

    client = Client()
    dashboard_cases = [(regions[rng.choice(local)],) for _ in range(max(30, args.runs // 4))]
    client.get(f"/daerah/skor/{dashboard_cases[0][0].url_code}/")  # warm-up (templates, URL resolver)

    def dashboard(region):
        response = client.get(f"/daerah/skor/{region.url_code}/")
        if response.status_code != 200:
            raise SystemExit(f"dashboard of {region.code} answered {response.status_code}")

    results = [
        ("floor: one values query", *measure(floor, cases)),
        ("naive: aggregate levels per request", *measure(naive, cases[: max(20, args.runs // 10)])),
        ("peers_for (warm)", *measure(peers, cases)),
        ("peers_for (cold cache)", *measure(peers, cases, before=clear_every_cache)),
        ("dashboard page (first visit per region)", *measure(dashboard, dashboard_cases)),
        ("dashboard page (derived data cached)", *measure(dashboard, dashboard_cases)),
        ("dashboard page (all caches cleared)", *measure(dashboard, dashboard_cases, before=clear_every_cache)),
    ]
    base = statistics.median(results[0][1])
    print(f"\n{'measurement':40} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'× floor':>8} {'queries':>8}")
    for name, times, queries in results:
        median = statistics.median(times)
        print(
            f"{name:40} {len(times):5d} {median:10.2f} {percentile(times, 95):8.2f} "
            f"{median / base:8.1f} {statistics.median(queries):8.0f}"
        )
    if args.postgres and not args.keep:
        connection.close()
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS livinglab_bench")


if __name__ == "__main__":
    main()
