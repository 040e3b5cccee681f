"""The search page (/cari/, /en/cari/) and the moderators' admin screens for synonyms and search statistics."""

from django.urls import reverse

from search.models import QueryStat, Synonym
from search.service import SearchRequest, search
from tests.search.scenario import SearchCorpusTestCase
from tests.search.test_service import Y1, Y2, aspect_value
from tests.utils import PASSWORD


class SearchPageTests(SearchCorpusTestCase):
    def test_results_with_highlights_facets_and_chips(self):
        response = self.client.get("/cari/", {"q": "pengaduan"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Sistem <mark>Pengaduan</mark> Warga", html)
        self.assertIn("Indikator 42", html)
        self.assertIn('name="indicator"', html)  # the facet sidebar
        self.assertIn("Layanan Publik Berbasis Elektronik", html)
        self.assertNotIn("Draf Pengaduan Rahasia", html)

    def test_english(self):
        response = self.client.get("/en/cari/", {"q": "pengaduan"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Electronic public services")

    def test_empty_state_suggests(self):
        response = self.client.get("/cari/", {"q": "pengadun"})
        self.assertContains(response, "pengaduan")
        self.assertContains(response, "Indikator populer")

    def test_bad_parameters_are_shown_not_a_500(self):
        response = self.client.get("/cari/", {"q": "aduan", "year_from": "abc"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'role="alert"', status_code=400)

    def test_facet_choice_filters(self):
        html = self.client.get("/cari/", {"indicator": "16"}).content.decode()
        self.assertIn("Pusat Data Kabupaten", html)
        self.assertNotIn("Sistem Pengaduan Warga", html)


class PeerSearchPageTests(SearchCorpusTestCase):
    """Kab. Indramayu (B) is weak on aspect 8; Kab. Sumedang (A) climbed on it (as in test_service.py)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for region, before, after in ((cls.region_b, 1.5, 1.6), (cls.region_a, 1.7, 3.4)):
            aspect_value(region, Y1, before)
            aspect_value(region, Y2, after)

    def test_officer_sees_peer_ranking_for_their_region(self):
        """The peer rule on the search page: a signed-in officer's search names, on the cards of the regions
        that rose where their own region is weak, how much they rose; a visitor's search does not."""
        self.client.login(username="officer_b", password=PASSWORD)
        response = self.client.get("/cari/", {"q": "indikator 42"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Untuk Kabupaten Indramayu: praktik baik dari daerah yang sudah naik", html)
        first = html.split('class="results"')[1].split("</li>\n")[0]
        self.assertIn("Sistem Pengaduan Warga", first)  # region A's, ranked first
        self.assertIn("Kab. Sumedang naik dari 1,7 ke 3,4", first)
        self.client.logout()
        self.assertNotIn("Kab. Sumedang naik", self.client.get("/cari/", {"q": "indikator 42"}).content.decode())


class SearchAdminTests(SearchCorpusTestCase):
    def test_moderators_edit_synonyms_and_the_next_search_uses_them(self):
        self.client.login(username="moderator", password=PASSWORD)
        response = self.client.post(
            reverse("wagtailsnippets_search_synonym:add"), {"terms": "gerai, mal pelayanan publik", "note": "uji"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Synonym.objects.filter(terms="gerai, mal pelayanan publik").exists())
        self.assertEqual(search(SearchRequest(q="gerai"), record=False).results[0].id, self.mpp.pk)

    def test_officers_cannot_edit_synonyms(self):
        self.client.login(username="officer_a", password=PASSWORD)
        response = self.client.get(reverse("wagtailsnippets_search_synonym:add"))
        self.assertNotEqual(response.status_code, 200)

    def test_statistics_for_moderators_only(self):
        search(SearchRequest(q="pengaduan"))
        search(SearchRequest(q="kata yang tidak ada zzz"))
        self.client.login(username="moderator", password=PASSWORD)
        response = self.client.get(reverse("search_statistics"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "kata yang tidak ada zzz")
        self.assertContains(response, "pengaduan")
        self.assertEqual(QueryStat.objects.count(), 2)
        self.client.login(username="officer_a", password=PASSWORD)
        refused = self.client.get(reverse("search_statistics"))
        self.assertIn(refused.status_code, (302, 403))  # Wagtail's admin redirects with "no permission"
        self.assertNotContains(refused, "kata yang tidak ada zzz", status_code=refused.status_code)
