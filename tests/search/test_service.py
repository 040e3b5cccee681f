"""The search service as callers meet it: chips, highlights, relaxing, suggestions, peers, facets, analytics,
falling back to the database when the configured engine is down."""

from decimal import Decimal

from django.test import override_settings

from casestudies.models import AggregateScore, Framework, Origin, Region
from search.backends.base import Filters
from search.models import QueryStat
from search.service import SearchRequest, search
from tests.search.scenario import SearchCorpusTestCase

Y1, Y2 = 2030, 2032


def aspect_value(region, year, value, number=8):
    AggregateScore.objects.create(
        region=region, framework=Framework.current(), year=year, scope="aspect", number=number,
        value=Decimal(str(value)), origin=Origin.IMPORTED, source="uji",
    )  # fmt: skip


class ServiceTests(SearchCorpusTestCase):
    def find(self, q="", **kwargs):
        return search(SearchRequest(q=q, **kwargs), record=False)

    def test_results_say_why_they_matched(self):
        response = self.find("indikator 43")
        self.assertEqual({r.id for r in response.results}, {self.population.pk, self.licensing.pk})
        for result in response.results:
            self.assertIn("Indikator 43", result.matched_on)
        titled = self.find("pengaduan").results[0]
        self.assertEqual(titled.id, self.complaints.pk)
        self.assertIn("judul", titled.matched_on)
        self.assertIn("tag: pengaduan", titled.matched_on)
        self.assertIn("Indikator 42", titled.matched_on)  # "Layanan Pengaduan Pelayanan Publik"

    def test_highlights_in_title_and_snippet(self):
        result = self.find("aduan").results[0]
        self.assertEqual(result.title_html, "Sistem <mark>Pengaduan</mark> Warga")
        self.assertIn("<mark>aduan</mark>", result.snippet)

    def test_card_fields(self):
        result = self.find("kependudukan").results[0]
        self.assertEqual((result.region_code, result.region_name), ("32.12", "Kabupaten Indramayu"))
        self.assertEqual(result.url, self.population.url)
        self.assertEqual(result.indicators[0]["number"], 43)
        self.assertEqual(result.year_start, 2023)

    def test_relaxes_to_any_word_when_no_result_has_all(self):
        response = self.find("pengaduan gedung")
        self.assertTrue(response.relaxed)
        self.assertEqual(response.results[0].id, self.complaints.pk)
        self.assertIn(self.mpp.pk, {r.id for r in response.results})  # "gedung" only
        self.assertFalse(self.find("pengaduan warga").relaxed)

    def test_did_you_mean(self):
        response = self.find("pengadun")
        self.assertEqual(response.total, 0)
        self.assertEqual(response.suggestion, "pengaduan")
        self.assertEqual(self.find("zzzqqq").suggestion, "")

    def test_chosen_facet_keeps_offering_its_other_values(self):
        response = self.find(filters=Filters(indicators=(42,)))
        self.assertEqual(response.total, 2)
        indicators = {f.value: (f.count, f.selected) for f in response.facets["indicator"]}
        self.assertEqual(indicators["42"], (2, True))
        self.assertEqual(indicators["16"], (1, False))  # what choosing 16 as well would add
        aspects = {f.value: f.count for f in response.facets["aspect"]}
        self.assertEqual(aspects, {"8": 2})  # other facets keep the filter

    def test_pages(self):
        first = self.find(per_page=4)
        second = self.find(per_page=4, page=2)
        self.assertEqual((first.total, first.pages, len(first.results), len(second.results)), (6, 2, 4, 2))

    def test_queries_are_counted_without_personal_data(self):
        search(SearchRequest(q="Pengaduan "))
        search(SearchRequest(q="pengaduan"))
        search(SearchRequest(q="tidak ada apa apa zzz"))
        stat = QueryStat.objects.get(query="pengaduan")
        self.assertEqual((stat.searches, stat.results), (2, 2))
        self.assertEqual(QueryStat.objects.get(query="tidak ada apa apa zzz").results, 0)
        self.assertEqual({f.name for f in QueryStat._meta.fields}, {"id", "day", "query", "searches", "results"})

    @override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9")
    def test_an_unreachable_engine_falls_back_to_the_database(self):
        with self.assertLogs("search.service", level="WARNING"):
            response = self.find("pengaduan")
        self.assertTrue(response.degraded)
        self.assertEqual(response.engine, "database")
        self.assertEqual(response.results[0].id, self.complaints.pk)


class PeerAwareRankingTests(SearchCorpusTestCase):
    """Kab. Indramayu (B) is weak on aspect 8; Kab. Sumedang (A) climbed on it; Kab. Banyuwangi did not."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        aspect_value(cls.region_b, Y1, 1.5)
        aspect_value(cls.region_b, Y2, 1.6)
        aspect_value(cls.region_a, Y1, 1.7)
        aspect_value(cls.region_a, Y2, 3.4)
        banyuwangi = Region.objects.get(code="35.10")
        aspect_value(banyuwangi, Y1, 2.0)
        aspect_value(banyuwangi, Y2, 1.9)

    @override_settings(LIVINGLAB_SEARCH_PEER_BOOST=5.0)  # engines score differently; the rule is what is tested
    def test_peers_that_improved_on_the_aspect_rank_higher_with_the_reason(self):
        # "izin" matches Perizinan Daring (B, title) and the MPP (A, summary); the title match wins on text alone.
        plain = search(SearchRequest(q="izin"), record=False)
        self.assertEqual([r.id for r in plain.results][:2], [self.licensing.pk, self.mpp.pk])
        self.assertEqual(plain.aspect, None)
        # Filtering on aspect 8 says what the query is about; for Indramayu, Sumedang is a peer that climbed.
        peer = search(SearchRequest(q="izin", filters=Filters(aspects=(8,)), region=self.region_b), record=False)
        self.assertEqual(peer.aspect.number, 8)
        self.assertEqual(peer.results[0].id, self.mpp.pk)
        self.assertEqual(
            peer.results[0].peer_reason,
            "Kab. Sumedang naik dari 1,7 ke 3,4 pada Aspek Layanan Publik Berbasis Elektronik (2030→2032); "
            "2 praktik baik",
        )
        self.assertEqual(peer.results[1].peer_reason, "")  # its own region is no peer of itself

    def test_the_aspect_comes_from_the_indicators_the_query_names(self):
        response = search(SearchRequest(q="indikator 42", region=self.region_b), record=False)
        self.assertEqual(response.aspect.number, 8)
        self.assertEqual(response.results[0].id, self.complaints.pk)
        self.assertTrue(response.results[0].peer_reason.startswith("Kab. Sumedang naik"))

    def test_the_aspect_follows_an_edit_of_its_name(self):
        self.assertEqual(
            search(SearchRequest(q="indikator 42"), record=False).aspect.name_id, "Layanan Publik Berbasis Elektronik"
        )
        aspect = Framework.current().aspects.get(number=8)
        aspect.name_id = "Layanan Publik Digital"
        aspect.save()
        self.assertEqual(search(SearchRequest(q="indikator 42"), record=False).aspect.name_id, "Layanan Publik Digital")

    def test_no_region_no_boost(self):
        response = search(SearchRequest(q="indikator 42"), record=False)
        self.assertTrue(all(r.peer_reason == "" for r in response.results))
