"""Every 4xx of API v1 has one shape, {"error": reason, "errors": {parameter: reason}}, in Indonesian unless
?lang=en: our own parameter checks (tests/search/test_api.py, tests/casestudies/test_scores.py), ninja's own
validation (422 by default, 400 here), an unknown API address, a wrong method."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.api import LANGUAGES
from tests.utils import SiteTestCase

ENDPOINTS = [
    "/api/v1/regions/32.12/scores/",
    "/api/v1/regions/32.12/peers/?aspect=8",
    "/api/v1/search/?q=pengaduan",
    "/api/v1/search/autocomplete/?q=peng",
]


def with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


class ErrorShapeTests(SiteTestCase):
    def error(self, url, status, **kwargs):
        response = self.client.get(url, **kwargs)
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        self.assertEqual(set(body), {"error", "errors"})
        return body

    def test_ninja_validation_answers_400_with_a_reason_per_parameter(self):
        self.assertEqual(
            self.error("/api/v1/search/?format=xml", 400),
            {"error": "Parameter tidak valid.", "errors": {"format": "nilai yang dikenal: json, csv"}},
        )
        self.assertEqual(
            self.error("/api/v1/search/?format=xml&lang=en", 400),
            {"error": "Invalid parameters.", "errors": {"format": "known values: json, csv"}},
        )

    def test_an_unknown_language_on_every_endpoint(self):
        for url in ENDPOINTS:
            with self.subTest(url):
                self.assertEqual(
                    self.error(with_lang(url, "fr"), 400),
                    {"error": "Bahasa tidak dikenal.", "errors": {"lang": "nilai yang dikenal: id, en"}},
                )
                self.assertEqual(self.client.get(with_lang(url, "en")).status_code, 200)
        self.assertEqual(LANGUAGES, tuple(code for code, _name in settings.LANGUAGES))

    def test_the_language_is_the_parameter_not_the_browser(self):
        body = self.error("/api/v1/regions/99.99/scores/", 404, headers={"accept-language": "en"})
        self.assertIn("Kode daerah tidak dikenal", body["error"])

    def test_an_unknown_api_address_is_a_json_404(self):
        for url in ("/api/v1/", "/api/v1/nope/", "/api/v1/regions//scores/", "/api/v1/regions/32.12/"):
            with self.subTest(url):
                body = self.error(url, 404)
                self.assertIn("Alamat API tidak dikenal", body["error"])
                self.assertIn("/api/v1/docs/", body["error"])
                self.assertEqual(set(body["errors"]), {"path"})
        self.assertIn("Unknown API address", self.error("/api/v1/nope/?lang=en", 404)["error"])
        self.assertRedirects(self.client.get("/api/v1/search"), "/api/v1/search/", 301, fetch_redirect_response=False)
        page = self.client.get("/tidak-ada/")  # the site's own 404 stays a page
        self.assertEqual((page.status_code, page["Content-Type"]), (404, "text/html; charset=utf-8"))

    def test_a_region_code_that_cannot_exist_is_a_404_without_a_query(self):
        for code in ("a%00b", "32.11%00", "x" * 300, "%C2%B2"):
            with self.subTest(code), CaptureQueriesContext(connection) as queries:
                self.assertIn("errors", self.error(f"/api/v1/regions/{code}/scores/", 404))
            self.assertNotIn("casestudies_region", " ".join(q["sql"] for q in queries.captured_queries))

    def test_a_nul_character_in_any_parameter_is_a_400(self):
        """PostgreSQL cannot compare text with NUL in it (for_region=%00 was a 500 there)."""
        for url, name in (
            ("/api/v1/search/?for_region=%00", "for_region"),
            ("/api/v1/search/?q=a%00b&format=csv", "q"),
            ("/api/v1/search/?tag=x%00", "tag"),
            ("/api/v1/search/autocomplete/?q=ab%00c", "q"),
            ("/api/v1/regions/32.12/peers/?aspect=8%00", "aspect"),
            ("/api/v1/regions/32.12/scores/?x%00=1", "x\x00"),
        ):
            with self.subTest(url):
                body = self.error(url, 400)
                self.assertEqual(body["errors"], {name: "tidak boleh berisi karakter NUL"})
        self.assertEqual(
            self.error("/api/v1/search/?q=%00&lang=en", 400)["errors"]["q"], "must not contain a NUL character"
        )

    def test_a_wrong_method_is_a_json_405(self):
        for url in ENDPOINTS:
            with self.subTest(url):
                response = self.client.post(url)
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response["Allow"], "GET")
                self.assertEqual(set(response.json()["errors"]), {"method"})
                self.assertIn("POST", response.json()["error"])
