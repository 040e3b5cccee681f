"""Page-tree rules and what readers see on each public page."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from casestudies.models import CaseStudyPage, IndicatorExplorerPage, RegionPage, RegionsIndexPage
from casestudies.services import region_page_create
from cms.models import HomePage, StandardPage
from tests.utils import SiteTestCase, make_case_study


class PageTreeRulesTests(WagtailPageTestCase):
    def test_where_each_page_type_may_live(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {RegionsIndexPage, IndicatorExplorerPage, StandardPage})
        self.assertAllowedSubpageTypes(RegionsIndexPage, {RegionPage})
        self.assertAllowedSubpageTypes(RegionPage, {CaseStudyPage})
        self.assertAllowedParentPageTypes(CaseStudyPage, {RegionPage})
        self.assertAllowedSubpageTypes(CaseStudyPage, set())
        self.assertCanNotCreateAt(HomePage, CaseStudyPage)
        self.assertCanNotCreateAt(RegionsIndexPage, CaseStudyPage)
        self.assertCanNotCreateAt(CaseStudyPage, CaseStudyPage)


class PublicPagesTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.live = make_case_study(
            cls.page_a,
            title="Mal Pelayanan Publik Digital Sumedang",
            indicators=(45, 42),
            cost_idr=1250000000,
            results="<p>Waktu layanan turun 60%.</p>",
            is_demo=True,
        )
        cls.live.indicator_claims.filter(indicator__number=45).update(level_before=2, level_after=4)
        cls.draft = make_case_study(cls.page_a, title="Draf rahasia Sumedang", live=False)

    def test_single_index_pages_are_unique(self):
        self.assertEqual(RegionsIndexPage.objects.count(), 1)
        self.assertFalse(RegionsIndexPage.can_create_at(self.home))
        self.assertFalse(IndicatorExplorerPage.can_create_at(self.home))

    def test_region_onboarding_is_idempotent(self):
        self.assertEqual(region_page_create(region=self.region_a).pk, self.page_a.pk)
        self.assertEqual(RegionPage.objects.filter(region=self.region_a).count(), 1)

    def test_home_shows_newest_live_case_studies_only(self):
        response = self.client.get("/")
        self.assertContains(response, "Mal Pelayanan Publik Digital Sumedang")
        self.assertNotContains(response, "Draf rahasia Sumedang")
        self.assertContains(response, "Jelajahi per indikator")

    def test_region_page_lists_its_live_case_studies(self):
        response = self.client.get(self.page_a.url)
        self.assertContains(response, "Kabupaten Sumedang")
        self.assertContains(response, "32.11")
        self.assertContains(response, "Percontohan IDSL")
        self.assertContains(response, "Mal Pelayanan Publik Digital Sumedang")
        self.assertNotContains(response, "Draf rahasia Sumedang")

    def test_regions_index_counts_live_case_studies(self):
        response = self.client.get("/daerah/")
        pages = {p.region.code: p.case_study_count for p in response.context["region_pages"]}
        self.assertEqual(pages["32.11"], 1)
        self.assertEqual(pages["32.12"], 0)

    def test_case_study_page_shows_sections_claims_cost_and_demo_label(self):
        response = self.client.get(self.live.url)
        self.assertContains(response, "Waktu layanan turun 60%.")
        self.assertContains(response, "Indikator 45")
        self.assertContains(response, "Tingkat 2 → 4")
        self.assertContains(response, "Rp 1.250.000.000")
        self.assertContains(response, "Data contoh")
        self.assertContains(response, 'href="#results"')

    def test_drafts_are_not_public(self):
        self.assertEqual(self.client.get(self.draft.url or "/daerah/3211-kabupaten-sumedang/draf/").status_code, 404)
        self.assertEqual(self.client.get(f"/daerah/{self.page_a.slug}/{self.draft.slug}/").status_code, 404)

    def test_indicator_explorer_tree_and_detail(self):
        response = self.client.get("/indikator/")
        self.assertContains(response, "Layanan Publik Sektor 1")
        self.assertContains(response, "Domain 4.")
        detail = self.client.get("/indikator/45/")
        self.assertContains(detail, "Tingkat Kematangan Layanan Publik Sektor 1")
        self.assertContains(detail, "Mal Pelayanan Publik Digital Sumedang")
        self.assertContains(detail, "Kolaborasi")  # level 4 of the service scale
        self.assertNotContains(self.client.get("/indikator/1/"), "Mal Pelayanan Publik Digital Sumedang")
        self.assertContains(self.client.get("/indikator/aspek/8/"), "Mal Pelayanan Publik Digital Sumedang")
        self.assertContains(self.client.get("/indikator/domain/4/"), "Mal Pelayanan Publik Digital Sumedang")
        self.assertEqual(self.client.get("/indikator/99/").status_code, 404)
        self.assertEqual(self.client.get("/indikator/aspek/9/").status_code, 404)

    def test_explorer_query_count_does_not_grow_with_case_studies(self):
        for i in range(5):
            make_case_study(self.page_b, title=f"Praktik {i}", indicators=(45,))
        with self.assertNumQueries(self._queries_for("/indikator/45/")):
            self.client.get("/indikator/45/")
        for i in range(5, 15):
            make_case_study(self.page_b, title=f"Praktik {i}", indicators=(45, 43))
        with self.assertNumQueries(self._queries_for("/indikator/45/")):
            response = self.client.get("/indikator/45/")
        for i in range(15):
            self.assertContains(response, f"Praktik {i}<")  # the steps, or the other case studies, list each

    def _queries_for(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)  # warm caches (site root, content types)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        return len(ctx.captured_queries)

    def test_english_is_available(self):
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
