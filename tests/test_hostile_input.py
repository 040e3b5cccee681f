"""Issue 12, part 1: each input that answered 500 answers a 4xx with a reason (JSON for the APIs, the page with a
message for HTML) or, for search syntax, a safe query. The property-based sweep is tests/test_no_server_errors.py."""

from wagtail.documents.models import Document
from wagtail.models import Page

from casestudies.models import CaseStudyPage
from tests.search.scenario import SearchCorpusTestCase
from tests.utils import PASSWORD, edit_url

HUGE = "9" * 5000  # more digits than int() converts (4,300)
WORDS = " ".join(["kata"] * 600)  # nested one level per word: RecursionError past about 500


class ApiV2SearchTests(SearchCorpusTestCase):
    url = "/api/v2/pages/"

    def get(self, **params):
        return self.client.get(self.url, params)

    def test_search_syntax_is_read_as_words(self):
        for search in ('"', '"x', " ", '+a -b "c d"', "-", "NEAR(a b)", "a:b", "*"):
            with self.subTest(search=search):
                response = self.get(search=search)
                self.assertEqual(response.status_code, 200, response.content[:300])
        titles = [
            item["title"] for item in self.get(search='"pengaduan', type="casestudies.CaseStudyPage").json()["items"]
        ]
        self.assertIn("Sistem Pengaduan Warga", titles)

    def assertRefused(self, response, parameter):
        self.assertEqual(response.status_code, 400, response.content[:300])
        body = response.json()
        self.assertTrue(body["error"])
        self.assertIn(parameter, body["errors"])

    def test_nul_too_long_and_unknown_operator_answer_400(self):
        self.assertRefused(self.get(search="a\x00b"), "search")
        self.assertRefused(self.get(search=WORDS), "search")
        self.assertRefused(self.get(search="x", search_operator="junk"), "search_operator")
        self.assertEqual(self.get(search="x", search_operator="or").status_code, 200)

    def test_find_with_an_id_that_is_no_integer_answers_400(self):
        for raw in ("abc", "٣", "²", HUGE):
            with self.subTest(raw=raw[:10]):
                self.assertRefused(self.client.get(f"{self.url}find/", {"id": raw}), "id")
        self.assertEqual(self.client.get(f"{self.url}find/", {"id": self.mpp.pk}).status_code, 302)

    def test_wagtails_own_refusals_have_our_shape(self):
        response = self.get(order="no_such_field")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"error", "errors"})


class SearchParameterTests(SearchCorpusTestCase):
    """`str.isdigit()` accepts superscripts that `int()` refuses; `int()` refuses more than 4,300 digits."""

    BAD = {"page": "²", "indicator": "¹", "year_from": "²⁰²⁴", "per_page": HUGE, "aspect": "٣"}

    def test_the_search_page_shows_the_reason(self):
        for url in ("/cari/", "/en/cari/"):
            for name, raw in self.BAD.items():
                with self.subTest(url=url, name=name):
                    response = self.client.get(url, {"q": "aduan", name: raw})
                    self.assertEqual(response.status_code, 400)
                    self.assertContains(response, 'role="alert"', status_code=400)

    def test_the_api_and_its_csv_answer_400_json(self):
        for extra in ({}, {"format": "csv"}):
            for name, raw in self.BAD.items():
                with self.subTest(name=name, **extra):
                    response = self.client.get("/api/v1/search/", {name: raw, **extra})
                    self.assertEqual(response.status_code, 400)
                    self.assertIn(name, response.json()["errors"])

    def test_nul_in_a_filter_answers_400_not_a_database_error(self):
        for name in ("for_region", "region", "province", "tag", "q", "status"):
            with self.subTest(name=name):
                response = self.client.get("/cari/", {name: "32\x0011"})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "NUL", status_code=400)

    def test_nul_anywhere_in_the_query_answers_400_before_any_view(self):
        for url in ("/?provinsi=32%00", "/indikator/?provinsi=%00", "/daerah/?x%00=1", "/admin/login/?next=%00"):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "karakter NUL", status_code=400)
        self.assertContains(self.client.get("/en/cari/?for_region=%00"), "NUL character", status_code=400)
        response = self.client.get("/api/v2/pages/?search=a%00b&lang=en")
        self.assertEqual(response.json()["errors"], {"search": "must not contain a NUL character"})

    def test_a_nul_in_a_path_value_is_no_database_error(self):
        for url in ("/feeds/daerah/%00/", "/feeds/daerah/32.11%00/", "/daerah/kabupaten-sumedang%00/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_peer_api_takes_ascii_digits_only(self):
        for params in ({"domain": "٣"}, {"domain": "4", "limit": "٣"}, {"domain": HUGE}):
            with self.subTest(**{k: v[:10] for k, v in params.items()}):
                response = self.client.get("/api/v1/regions/32.12/peers/", params)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(set(params) & set(response.json()["errors"]))

    def test_replication_form_ignores_a_draft_id_that_is_no_integer(self):
        self.client.login(username="officer_b", password=PASSWORD)
        response = self.client.get(f"/admin/case-studies/{self.mpp.pk}/replicate/", {"draft": "²"})
        self.assertEqual(response.status_code, 200)


class AdminSearchTests(SearchCorpusTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Document.objects.create(title="Panduan pengaduan warga", file="documents/panduan.pdf")

    def setUp(self):
        self.client.login(username="moderator", password=PASSWORD)

    def test_region_snippets_search_by_name_and_code(self):
        url = "/admin/snippets/casestudies/region/"
        self.assertContains(self.client.get(url, {"q": "sumedang"}), "Kabupaten Sumedang")
        self.assertContains(self.client.get(url, {"q": "32.11"}), "Kabupaten Sumedang")

    def test_indicator_snippets_search(self):
        response = self.client.get("/admin/snippets/casestudies/indicator/", {"q": "pengaduan"})
        self.assertContains(response, "Pengaduan")

    def test_search_syntax_and_long_queries_answer_the_listing(self):
        urls = ["/admin/pages/search/", "/admin/choose-page/search/", "/admin/documents/", "/admin/images/"]
        urls += ["/admin/snippets/casestudies/region/", "/admin/snippets/casestudies/indicator/"]
        for url in urls:
            for q in ('"', '"x', '+a -b "c d"', WORDS, "a" * 5000):
                with self.subTest(url=url, q=q[:10]):
                    self.assertEqual(self.client.get(url, {"q": q}).status_code, 200)
            self.assertEqual(self.client.get(url, {"q": "a\x00b"}).status_code, 400, "refused before the view")
        self.assertContains(self.client.get("/admin/documents/", {"q": '"pengaduan'}), "Panduan pengaduan warga")
        self.assertContains(self.client.get("/admin/choose-page/search/", {"q": '"pengaduan'}), "Pengaduan Warga")


class StreamFieldPostTests(SearchCorpusTestCase):
    """The editor's StreamField sends `body-count` (its management form); a POST without it answered 500."""

    def test_an_edit_without_the_block_count_shows_the_form_again(self):
        self.client.login(username="moderator", password=PASSWORD)
        page = self.mpp
        for count in (None, "abc", "5", HUGE):
            with self.subTest(count=count and count[:5]):
                data = self.admin_form_data(edit_url(page), title="Judul baru")
                del data["body-count"]
                if count is not None:
                    data["body-count"] = count
                response = self.client.post(edit_url(page), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Isi halaman tidak terkirim lengkap")
                self.assertNotEqual(self.reload(page).title, "Judul baru")
                self.assertNotEqual(Page.objects.get(pk=page.pk).get_latest_revision().content["title"], "Judul baru")
        self.assertTrue(CaseStudyPage.objects.filter(pk=self.mpp.pk, live=True).exists())
