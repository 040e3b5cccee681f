"""Benchmark: search at 1k, 10k and 100k case studies, on SQLite or PostgreSQL (issue 4).

Usage:
    python bench/search.py                          # SQLite, sizes 1000,10000,100000
    python bench/search.py --postgres               # PostgreSQL: creates and drops database livinglab_bench_search
    python bench/search.py --sizes 1000,10000 --runs 100
    python bench/search.py --postgres --database mine --keep --sizes 10000   # generate once and keep it …
    python bench/search.py --postgres --database mine --reuse --sizes 10000  # … then measure it again

For each size, in one process and one run (medians and p95 in ms over the officer queries below):
- floor: the raw full-text SQL for the same words, top 10 by the engine's rank (FTS5 MATCH + bm25 on SQLite;
  on PostgreSQL the engine's match on search_searchvector + ts_rank, as search/backends/database/postgres.py runs it) — no
  filters, facets, snippets or JSON; ratios are against it;
- API: GET /api/v1/search/?q=… as a client gets it: ranking, total, every facet, snippets, chips, JSON, and the
  analytics write;
- API + filter: the same with an indicator filter and a province filter;
- Wagtail: `CaseStudyPage.objects.live().search(q)[:10]` on Wagtail's own database backend (skipped above
  --wagtail-max documents: at 10k on SQLite it already takes seconds per query, see shared/notes);
- reindex: `search.indexing.reindex_all()` from the page tree, in case studies per second.
Budgets: API p95 ≤ 30 ms at 10k and ≤ 60 ms at 100k; reindex ≥ 300 case studies/s.

The corpus is generated from the demo case studies' own sentences, titles and tags (real Indonesian officer
prose), spread over 120 kabupaten/kota, 1–3 indicators each; pages are inserted in bulk into the page tree
(valid treebeard paths) so that reindexing reads them exactly as it reads published pages.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_ADMIN, PG_SERVER, percentile  # noqa: E402

QUERIES = [
    "pengaduan", "tanda tangan elektronik", "pusat data", "satu data", "layanan kependudukan",
    "mal pelayanan publik", "arsitektur spbe", "keamanan informasi", "indikator 43", "aplikasi umum",
    "perizinan", "jaringan intra", "e-office", "manajemen risiko", "data terbuka", "pajak daerah",
    "naskah dinas", "integrasi layanan", "audit tik", "pelayanan terpadu",
]  # fmt: skip


def timed(fn, cases):
    times = []
    for case in cases:
        start = time.perf_counter()
        fn(case)
        times.append((time.perf_counter() - start) * 1000)
    return times


def setup_database(args):
    if args.postgres:
        import psycopg

        if not args.reuse:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
                conn.execute(f'CREATE DATABASE "{args.database}"')
        os.environ["DATABASE_URL"] = PG_SERVER + args.database
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{args.sqlite or Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings.dev")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()


def demo_material():
    sentences, titles, summaries, tags = [], [], [], set()
    for path in sorted((ROOT / "casestudies" / "demo").glob("case_studies_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            titles.append(item["title"])
            summaries.append(item["summary"])
            tags.update(item.get("tags", []))
            for key in ("context_problem", "solution", "implementation_steps", "results", "lessons"):
                text = re.sub(r"<[^>]+>", " ", item.get(key) or "")
                sentences += [s.strip() + "." for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40]
    return sentences, titles, summaries, sorted(tags)


class Corpus:
    """Adds generated case studies under region pages, in bulk, until the tree holds `size` of them."""

    def __init__(self, rng):
        from django.contrib.contenttypes.models import ContentType

        from taggit.models import Tag

        from casestudies.models import CaseStudyPage, Indicator, Region, RegionPage
        from casestudies.services import region_page_create, site_structure_ensure

        self.rng = rng
        self.sentences, self.titles, self.summaries, tag_names = demo_material()
        site_structure_ensure()
        regions = list(Region.objects.filter(type__in=["kabupaten", "kota"]).order_by("code"))
        self.region_pages = [
            RegionPage.objects.filter(region=r).first() or region_page_create(region=r)
            for r in rng.sample(regions, 120)
        ]
        self.indicators = list(Indicator.objects.filter(framework__is_current=True).order_by("number"))
        self.tags = [
            Tag.objects.get_or_create(name=n, defaults={"slug": re.sub(r"\W+", "-", n.lower())})[0] for n in tag_names
        ]
        self.content_type = ContentType.objects.get_for_model(CaseStudyPage)
        self.count = CaseStudyPage.objects.count()  # > 0 when reusing a kept database

    def grow_to(self, size):
        from django.db import connection, transaction
        from django.utils import timezone

        from wagtail.models import Locale, Page

        from casestudies.models import CaseStudyIndicator, CaseStudyPage, CaseStudyTag

        locale = Locale.get_default()
        fields = list(CaseStudyPage._meta.local_concrete_fields)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        insert = f"INSERT INTO casestudies_casestudypage ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        rng = self.rng
        while self.count < size:
            batch = min(2000, size - self.count)
            with transaction.atomic():
                by_parent = {}
                for _ in range(batch):
                    by_parent.setdefault(rng.randrange(len(self.region_pages)), []).append(None)
                pages = []
                for index, items in by_parent.items():
                    parent = Page.objects.get(pk=self.region_pages[index].pk)
                    for k in range(len(items)):
                        n = self.count + len(pages) + 1
                        title = f"{rng.choice(self.titles)} ({n})"
                        pages.append(
                            Page(
                                title=title,
                                draft_title=title,
                                slug=f"praktik-{n}",
                                content_type=self.content_type,
                                path=Page._get_path(parent.path, parent.depth + 1, parent.numchild + k + 1),
                                depth=parent.depth + 1,
                                numchild=0,
                                url_path=f"{parent.url_path}praktik-{n}/",
                                live=True,
                                first_published_at=timezone.now(),
                                last_published_at=timezone.now(),
                                locale=locale,
                            )
                        )
                    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(items))
                Page.objects.bulk_create(pages, batch_size=1000)
                rows, claims, tagged = [], [], []
                for page in pages:
                    values = {
                        "page_ptr_id": page.pk,
                        "summary": rng.choice(self.summaries)[:300],
                        "solution": "<p>" + " ".join(rng.sample(self.sentences, 3)) + "</p>",
                        "results": "<p>" + " ".join(rng.sample(self.sentences, 2)) + "</p>",
                        "body": "[]",
                        "year_start": rng.randint(2016, 2025),
                        "status": rng.choices(["active", "scaled", "stopped"], [8, 2, 1])[0],
                    }
                    rows.append(
                        [f.get_db_prep_save(values.get(f.attname, f.get_default()), connection) for f in fields]
                    )
                    for order, indicator in enumerate(rng.sample(self.indicators, rng.randint(1, 3))):
                        claims.append(CaseStudyIndicator(page_id=page.pk, indicator=indicator, sort_order=order))
                    for tag in rng.sample(self.tags, rng.randint(1, 3)):
                        tagged.append(CaseStudyTag(content_object_id=page.pk, tag=tag))
                with connection.cursor() as cursor:
                    cursor.executemany(insert, rows)
                CaseStudyIndicator.objects.bulk_create(claims, batch_size=2000)
                CaseStudyTag.objects.bulk_create(tagged, batch_size=2000)
                for rp in self.region_pages:
                    rp.refresh_from_db(fields=["numchild"])
            self.count += batch


def floor_function(query_text):
    from django.db import connection, transaction

    from search.backends.base import Query
    from search.backends.database.postgres import PostgresBackend
    from search.backends.database.sqlite import fts5_expression
    from search.parsing import parse

    query = Query(groups=parse(query_text, autocomplete=False).groups)  # the words as the search API matches them
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The engine's own match and rank (search_searchvector, migration 0004), top 10.
            backend = PostgresBackend()
            match = backend._match(query)
            with transaction.atomic():
                for statement in backend.setup:
                    cursor.execute(statement)
                cursor.execute(match.top, [*match.params, 10, 0])
        else:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts) LIMIT 10",
                [fts5_expression(query)],
            )
        return cursor.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=100, help="API requests per measurement")
    parser.add_argument("--wagtail-max", type=int, default=10000)
    parser.add_argument("--wagtail-runs", type=int, default=10)
    parser.add_argument("--database", default="livinglab_bench_search", help="PostgreSQL database name")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a kept PostgreSQL database as it is: migrate it, add case studies only up to each size, "
        "and reindex only when the index does not hold every case study",
    )
    parser.add_argument("--sqlite", help="SQLite file to build (default: a new temp file)")
    args = parser.parse_args()
    setup_database(args)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from casestudies.models import CaseStudyPage
    from casestudies.reference_data import SPBE_2020_DIR, load_framework, load_regions
    from search import indexing
    from search.models import SearchDocument

    call_command("migrate", verbosity=0)
    load_framework(SPBE_2020_DIR)
    load_regions()
    rng = random.Random(11)
    corpus = Corpus(rng)
    client = Client()
    provinces = ["32", "33", "35", "36", "51", "73"]
    print(f"database: {connection.vendor}; {len(QUERIES)} officer queries; {args.runs} API requests per row")
    header = f"{'size':>7} {'measurement':34} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'× floor':>8}"
    lines = []
    for size in [int(s) for s in args.sizes.split(",")]:
        start = time.perf_counter()
        corpus.grow_to(size)
        built = time.perf_counter() - start
        if args.reuse and SearchDocument.objects.count() == CaseStudyPage.objects.live().count():
            print(f"\n{size:,} case studies: generated in {built:.1f} s; index reused")
        else:
            start = time.perf_counter()
            indexed = indexing.reindex_all()
            seconds = time.perf_counter() - start
            print(f"\n{size:,} case studies: generated in {built:.1f} s; reindex_all: {indexed:,} in {seconds:.1f} s "
                  f"= {indexed / seconds:,.0f} case studies/s")  # fmt: skip
        cases = [QUERIES[i % len(QUERIES)] for i in range(args.runs)]
        for q in QUERIES:  # warm-up: caches, statement plans, the stemmer
            client.get("/api/v1/search/", {"q": q})
            floor_function(q)

        def api(q):
            response = client.get("/api/v1/search/", {"q": q})
            if response.status_code != 200:
                raise SystemExit(f"search answered {response.status_code}: {response.content[:200]!r}")

        def api_filtered(q):
            response = client.get(
                "/api/v1/search/", {"q": q, "indicator": str(rng.randint(1, 47)), "province": rng.choice(provinces)}
            )
            if response.status_code != 200:
                raise SystemExit(f"search answered {response.status_code}: {response.content[:200]!r}")

        rows = [("floor: raw full-text SQL, top 10", timed(floor_function, cases))]
        rows.append(("API: ranking+facets+snippets+JSON", timed(api, cases)))
        rows.append(("API + indicator & province filter", timed(api_filtered, cases)))
        if size <= args.wagtail_max:
            start = time.perf_counter()
            call_command("update_index", verbosity=0)
            print(f"Wagtail update_index: {time.perf_counter() - start:.1f} s")
            wagtail_cases = [QUERIES[i % len(QUERIES)] for i in range(args.wagtail_runs)]
            rows.append(
                (
                    "Wagtail live().search(q)[:10]",
                    timed(lambda q: list(CaseStudyPage.objects.live().search(q)[:10]), wagtail_cases),
                )
            )
        else:
            print(f"Wagtail search skipped above {args.wagtail_max:,} documents (seconds per query)")
        base = statistics.median(rows[0][1])
        print(header)
        for name, times in rows:
            median = statistics.median(times)
            line = (
                f"{size:7,} {name:34} {len(times):4d} {median:10.2f} {percentile(times, 95):8.2f} {median / base:8.1f}"
            )
            print(line)
            lines.append(line)
    print("\nsummary\n" + header + "\n" + "\n".join(lines))
    if args.postgres and not (args.keep or args.reuse):
        connection.close()
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
