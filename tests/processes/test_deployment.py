"""The production smoke test and the 2-second rule, with real processes.

One fresh database with production settings, installed as docs/deploy.md says (migrate, load_reference_data,
collectstatic); gunicorn with two workers and `db_worker` serve it, first with the data-version stamp in the
database, then with Redis (REDIS_URL). Every write happens in another process — a command, a shell, the admin
in a browser — and every gunicorn worker must answer the new state within 2 seconds: results, counts, facets,
filters, the CSV, dashboards.
"""

import csv
import io
import json
import os
import re
import uuid
from pathlib import Path

import pytest

from .cluster import OFFICER_REGION

pytestmark = pytest.mark.processes

REGION, REGION_NAME = OFFICER_REGION, "Kabupaten Sumedang"
DEMO_RECORD = Path(__file__).resolve().parents[2] / "casestudies" / "demo" / "case_studies_a.jsonl"
REDIS_URL = os.environ.get("LIVINGLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer ({error}): the Redis half of the 2-second rule is skipped")
    return REDIS_URL


@pytest.fixture(scope="module", params=["database", "redis"])
def site(request, installed):
    """The servers running, the stamp in the database or in Redis."""
    installed.stop()
    installed.set_redis(_redis_or_skip() if request.param == "redis" else None)
    installed.start()
    installed.stamp = request.param
    yield installed
    installed.stop()


def word() -> str:
    """A word no case study has: 'uji' and eight letters."""
    return "uji" + "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])


def import_case_study(site, title: str, summary: str) -> dict:
    record = json.loads(DEMO_RECORD.read_text(encoding="utf-8").splitlines()[0])
    record.update(external_id="proses-" + uuid.uuid4().hex[:8], title=title, summary=summary, region_code=REGION)
    path = site.workdir / f"{record['external_id']}.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    output = site.manage("import_casestudies", str(path), "--publish").stdout
    assert "1 created" in output, output
    return record


def search(site, **params):
    from urllib.parse import urlencode

    return "/api/v1/search/?" + urlencode(params)


def csv_titles(answer) -> set[str]:
    return {row.get("title", "") for row in csv.DictReader(io.StringIO(answer.text))}


def page_id(site, external_id: str) -> int:
    code = f"from casestudies.models import CaseStudyPage; print(CaseStudyPage.objects.get(external_id={external_id!r}).pk)"
    return int(site.shell(code).strip())


def found(title):
    def check(answer):
        body = answer.json()
        return body["count"] == 1 and [r["title"] for r in body["results"]] == [title] and bool(body["facets"])

    return check


def gone(answer):
    body = answer.json()
    return body["count"] == 0 and body["results"] == []


def warm_every_worker(site, new: str) -> None:
    """Each worker answers once before the write, so it holds its tables and memos of the old state."""
    site.from_every_worker(search(site, q=new), gone)
    site.from_every_worker(search(site, region=REGION, sort="newest"), lambda a: a.status == 200)
    site.from_every_worker(search(site, q="layanan"), lambda a: a.status == 200)


def test_a_command_line_import_reaches_every_worker(site):
    new = word()
    title = f"Layanan {new} terpadu ({site.stamp})"
    warm_every_worker(site, new)
    import_case_study(site, title, f"Warga memakai {new} untuk mengurus layanan.")

    seconds = site.from_every_worker(search(site, q=new), found(title))
    site.from_every_worker(
        search(site, region=REGION, sort="newest"), lambda a: a.json()["results"][0]["title"] == title
    )
    site.from_every_worker(search(site, q=new, indicator="1"), found(title))
    site.from_every_worker("/data/praktik-baik.csv", lambda a: title in csv_titles(a))
    assert seconds <= 2.0


def test_hiding_a_page_from_another_process_takes_it_out_everywhere(site):
    new = word()
    title = f"Kanal {new} ({site.stamp})"
    record = import_case_study(site, title, f"Aduan warga lewat {new}.")
    site.from_every_worker(search(site, q=new), found(title))
    site.from_every_worker(search(site, region=REGION, sort="newest"), lambda a: title in a.text)

    site.shell(
        "from casestudies.models import CaseStudyPage\n"
        f"CaseStudyPage.objects.get(external_id={record['external_id']!r}).unpublish()\n"
    )
    site.from_every_worker(search(site, q=new), gone)
    site.from_every_worker("/data/praktik-baik.csv", lambda a: title not in csv_titles(a))
    site.from_every_worker(search(site, region=REGION, sort="newest"), lambda a: title not in a.text)


def test_a_view_restriction_from_another_process_takes_it_out_of_search_and_csv(site):
    new = word()
    title = f"Portal {new} ({site.stamp})"
    record = import_case_study(site, title, f"Data {new} untuk pimpinan.")
    site.from_every_worker(search(site, q=new), found(title))
    pk = page_id(site, record["external_id"])

    site.shell(
        "from wagtail.models import PageViewRestriction\n"
        f"PageViewRestriction.objects.create(page_id={pk}, restriction_type=PageViewRestriction.LOGIN)\n"
    )
    site.from_every_worker(search(site, q=new), gone)
    site.from_every_worker("/data/praktik-baik.csv", lambda a: title not in csv_titles(a))
    site.from_every_worker(f"/api/v2/pages/?search={new}", lambda a: a.json()["meta"]["total_count"] == 0)


def test_a_score_import_reaches_every_dashboard(site):
    year = 2031 if site.stamp == "database" else 2032
    path = site.workdir / f"levels-{year}.csv"
    rows = ["region_code,year,indicator,level"] + [f"{REGION},{year},{n},4" for n in range(1, 48)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def has_year(answer):
        return year in {entry["year"] for entry in answer.json()["years"]}

    site.from_every_worker(f"/api/v1/regions/{REGION}/scores/", lambda a: not has_year(a))
    site.from_every_worker(f"/daerah/skor/{REGION.replace('.', '-')}/", lambda a: a.status == 200)
    site.manage("import_scores", str(path))

    site.from_every_worker(f"/api/v1/regions/{REGION}/scores/", has_year)
    site.from_every_worker(f"/daerah/skor/{REGION.replace('.', '-')}/", lambda a: str(year) in a.text)


@pytest.mark.browser
def test_officer_submits_and_moderator_approves_in_the_admin_then_every_worker_finds_it(site, browser):
    """The smoke test's publish: a real browser on the production server, then every worker asked."""
    if site.stamp != "database":
        pytest.skip("one browser run is enough: the stamp store is the other tests' concern")
    from playwright.sync_api import expect

    from tests.browser.test_publishing_flow import log_in, write_case_study

    new = word()
    title = f"Antrean {new} Puskesmas"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    try:
        officer = context.new_page()
        log_in(officer, site.base, "petugas-sumedang")
        write_case_study(
            officer,
            site.base,
            region=REGION_NAME,
            title=title,
            summary=f"Warga mengambil nomor {new} dari ponsel.",
            indicator_search="pengaduan",
            indicator=42,
        )
        officer.get_by_role("button", name="Tindakan lain").click()
        officer.get_by_role("button", name=re.compile("Pengajuan ke Moderasi praktik baik|Submit to", re.I)).click()
        expect(officer.locator(".messages")).to_contain_text(title)

        moderator = context.browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        log_in(moderator, site.base, "moderator")
        row = moderator.locator("section:has-text('Menunggu tinjauan anda') tr", has_text=title)
        row.get_by_role("link", name=title).click()
        moderator.get_by_role("button", name="Tindakan lain").click()
        moderator.get_by_role("button", name=re.compile("^(Setujui|Approve)$")).click()
        expect(moderator.locator(".messages")).to_contain_text(title)
        moderator.close()
    finally:
        context.close()

    site.from_every_worker(search(site, q=new), found(title))
    site.from_every_worker(f"/cari/?q={new}", lambda a: f"/antrean-{new}-puskesmas/" in a.text)  # title: <mark>ed
    static = re.search(r'href="(/static/[^"]+\.css)"', site.get("/").text)
    assert static, "the home page links its stylesheet"
    assert site.get(static.group(1)).status == 200, "static files are served after collectstatic"
