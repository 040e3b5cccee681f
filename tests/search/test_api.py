"""GET /api/v1/search/ (JSON and CSV), autocomplete and /healthz: the documented contract (docs/search.md)."""

import csv
import io

from django.test import override_settings

from tests.search.scenario import SearchCorpusTestCase

API = "/api/v1/search/"


class SearchApiTests(SearchCorpusTestCase):
    def test_contract(self):
        response = self.client.get(API, {"q": "aduan", "indicator": "42"})
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertEqual(body["page"], 1)
        first = body["results"][0]
        self.assertEqual(
            set(first),
            {"id", "external_id", "title", "url", "region_code", "region_name", "year_start", "status", "indicators",
             "snippet", "score", "verified_gain", "successful_replications", "matched_on", "peer_reason", "is_demo"},
        )  # fmt: skip
        self.assertEqual(first["id"], self.complaints.pk)
        self.assertEqual(first["region_code"], "32.11")
        self.assertEqual(
            first["indicators"], [{"number": 42, "name": first["indicators"][0]["name"], "verified": False}]
        )
        self.assertIn("<mark>", first["snippet"])
        self.assertGreater(first["score"], 0)
        self.assertEqual(set(body["facets"]), {"indicator", "aspect", "domain", "province", "year", "tag", "status",
                                               "region_type"})  # fmt: skip
        self.assertIn(
            {"value": "8", "label": "Layanan Publik Berbasis Elektronik", "count": 2}, body["facets"]["aspect"]
        )

    def test_every_filter_parameter(self):
        def count(**params):
            return self.client.get(API, params).json()["count"]

        self.assertEqual(count(aspect="8"), 4)
        self.assertEqual(count(domain="2"), 1)
        self.assertEqual(count(region="32.12"), 3)
        self.assertEqual(count(province="32"), 6)
        self.assertEqual(count(region_type="kota"), 0)
        self.assertEqual(count(year_from="2022", year_to="2023"), 3)
        self.assertEqual(count(status="scaled,stopped"), 2)
        self.assertEqual(count(tag="MPP"), 1)
        self.assertEqual(count(verified="1"), 0)
        self.assertEqual(count(indicator=["42", "16"]), 3)

    def test_sort_and_pages(self):
        newest = self.client.get(API, {"sort": "newest", "per_page": "2", "page": "2"}).json()
        self.assertEqual(newest["pages"], 3)
        self.assertEqual(len(newest["results"]), 2)

    def test_bad_parameters_answer_400_with_reasons(self):
        for params, field in (
            ({"indicator": "abc"}, "indicator"),
            ({"year_from": "1800"}, "year_from"),
            ({"year_from": "2024", "year_to": "2020"}, "year_to"),
            ({"sort": "popular"}, "sort"),
            ({"page": "0"}, "page"),
            ({"per_page": "500"}, "per_page"),
            ({"status": "done"}, "status"),
            ({"region_type": "desa"}, "region_type"),
            ({"for_region": "99.99"}, "for_region"),
            ({"q": "x" * 201}, "q"),
            ({"lang": "fr"}, "lang"),
        ):
            with self.subTest(params=params):
                response = self.client.get(API, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["errors"])

    def test_english_labels(self):
        body = self.client.get(API, {"q": "indikator 43", "lang": "en"}).json()
        self.assertIn("Indicator 43", body["results"][0]["matched_on"])
        self.assertIn("Electronic public services", [f["label"] for f in body["facets"]["aspect"]])

    def test_csv_export_of_the_same_query(self):
        response = self.client.get(API, {"q": "aduan", "format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0][:3], ["external_id", "title", "url"])
        self.assertEqual(len(rows) - 1, self.client.get(API, {"q": "aduan"}).json()["count"])
        self.assertEqual(rows[1][1], "Sistem Pengaduan Warga")
        self.assertTrue(rows[1][2].startswith("http://testserver/"))

    def test_autocomplete(self):
        body = self.client.get(f"{API}autocomplete/", {"q": "pengad"}).json()
        self.assertIn("Sistem Pengaduan Warga", [t["title"] for t in body["titles"]])
        self.assertIn(42, [i["number"] for i in body["indicators"]])
        self.assertEqual(self.client.get(f"{API}autocomplete/", {"q": "43"}).json()["indicators"][0]["number"], 43)
        self.assertEqual(self.client.get(f"{API}autocomplete/", {"q": "p"}).json(), {"titles": [], "indicators": []})


class HealthTests(SearchCorpusTestCase):
    def test_ok(self):
        body = self.client.get("/healthz").json()
        self.assertEqual(body, {"status": "ok", "database": "ok", "search": "ok", "engine": "database"})

    @override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9")
    def test_degraded_when_the_engine_is_unreachable_and_search_still_answers(self):
        with self.assertLogs("search", level="WARNING"):
            body = self.client.get("/healthz").json()
        self.assertEqual((body["status"], body["search"], body["engine"]), ("degraded", "degraded", "elasticsearch"))
        with self.assertLogs("search", level="WARNING"):
            answer = self.client.get(API, {"q": "aduan"}).json()
        self.assertTrue(answer["degraded"])
        self.assertEqual(answer["count"], 2)
