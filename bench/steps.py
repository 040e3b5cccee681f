"""Benchmark: the learning-path pages (issue 14) on the demo site's data (514 kabupaten/kota × 47 indicators × 6 years).

Usage: python bench/steps.py [--runs 40]   (the local database after `make demo`; DJANGO_SETTINGS_MODULE/DATABASE_URL
as for manage.py)

Requests, interleaved so that each sees the same machine: the aspect page (the baseline: the same explorer page
type without a learning path), the indicator page (four steps summarised), a step page, a step page ordered for a
region, and the path API. Prints median and p95 in ms and the ratio of each median to the baseline's.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile  # noqa: E402

URLS = {
    "baseline: /indikator/aspek/8/": "/indikator/aspek/8/",
    "indicator page": "/indikator/42/",
    "step page": "/indikator/42/langkah/2-3/",
    "step page, for a region": "/indikator/42/langkah/2-3/?for_region=32.12",
    "path API, for a region": "/api/v1/indicators/42/path/?for_region=32.12",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings.dev")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    samples = {name: [] for name in URLS}
    for url in URLS.values():  # warm: templates compiled, derived data cached
        if client.get(url, HTTP_HOST="127.0.0.1").status_code != 200:
            raise SystemExit(f"{url} does not answer 200: run `make demo` first")
    for _ in range(args.runs):
        for name, url in URLS.items():
            started = time.perf_counter()
            client.get(url, HTTP_HOST="127.0.0.1")
            samples[name].append((time.perf_counter() - started) * 1000)
    base = statistics.median(samples["baseline: /indikator/aspek/8/"])
    print(f"{'request':34} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:34} {median:10.1f} {percentile(values, 95):8.1f} {median / base:11.2f}")


if __name__ == "__main__":
    main()
