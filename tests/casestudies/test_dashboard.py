"""Where users meet the scores: the region dashboard, the case-study peer panel, the most-improved lists."""

from casestudies.models import CaseStudyIndicator, Indicator, IndicatorScore, Region
from casestudies.scores.services import scores_recalculate
from tests.casestudies.test_peers import aspect_value
from tests.utils import SiteTestCase, make_case_study


def demo_levels(region, year, level):
    IndicatorScore.objects.bulk_create(
        IndicatorScore(region=region, indicator=i, year=year, level=level, source="uji", is_demo=True)
        for i in Indicator.objects.filter(framework__is_current=True)
    )


class RegionDashboardTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.banyuwangi = Region.objects.get(code="35.10")
        demo_levels(cls.banyuwangi, 2023, 4)
        demo_levels(cls.banyuwangi, 2024, 5)
        scores_recalculate(framework=Indicator.objects.first().framework, region_ids=[cls.banyuwangi.pk])

    def test_official_and_demo_values_are_labelled_and_never_mixed(self):
        response = self.client.get("/daerah/skor/35-10/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Skor SPBE Kabupaten Banyuwangi", html)
        self.assertIn('<p class="score-value">4,77</p>', html, "the official 2024 index, in Indonesian notation")
        self.assertIn("Memuaskan", html)
        self.assertIn("Data resmi KemenPANRB", html)
        self.assertIn("Data contoh", html, "the synthetic indicator levels say so")
        # The computed index (5.00 from all-5 levels) is shown beside the official one, labelled, not instead of it.
        self.assertIn("Dihitung dari tingkat indikator (data contoh): 5,00", html)

    def test_charts_are_accessible_svg_with_a_table_alternative(self):
        html = self.client.get("/daerah/skor/35-10/").content.decode()
        self.assertEqual(html.count('<svg class="chart-svg" role="img"'), 2, "index line, aspect bars")
        self.assertEqual(
            html.count('<svg class="chart-svg" role="group"'), 1, "indicator heatmap (its labels are links)"
        )
        self.assertEqual(html.count("<details"), 3)
        self.assertIn("Lihat sebagai tabel", html)
        self.assertNotIn("<script", html.split("<main", 1)[1].split("</main>")[0])

    def test_weak_aspects_lead_to_peers_and_next_steps(self):
        """The dashboard's peer rule: the weakest domain names the regions that rose on it (official results
        2023→2024: Indramayu's weakest is domain 3, 2.73; Sumedang rose there from 2.55 to 3.91)."""
        response = self.client.get("/daerah/skor/32-12/")
        self.assertEqual(response.status_code, 200)
        section = response.content.decode().split('id="belajar"')[1].split("</section>")[0]
        self.assertIn("Domain terlemah: Domain 3. Manajemen SPBE", section)
        peers = section.split('<ol class="peer-list">')[1].split("</ol>")[0]
        self.assertIn("Kab. Sumedang naik dari 2,55 ke 3,91 pada Domain Manajemen SPBE (2023→2024)", peers)
        self.assertNotIn("Kab. Indramayu", peers)  # never its own peer

    def test_unknown_code_is_404_and_english_is_available(self):
        self.assertEqual(self.client.get("/daerah/skor/99-99/").status_code, 404)
        response = self.client.get("/en/daerah/skor/35-10/")
        self.assertContains(response, '<p class="score-value">4.77</p>', html=False)

    def test_query_count_does_not_depend_on_the_number_of_peers(self):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            cache.clear()
            self.client.get("/daerah/skor/35-10/")  # fill derived caches, as a running site has them
            with CaptureQueriesContext(connection) as ctx:
                self.client.get("/daerah/skor/35-10/")
            return len(ctx.captured_queries)

        before = count()
        for code in ("32.73", "33.74", "34.04", "51.71"):
            region = Region.objects.get(code=code)
            demo_levels(region, 2023, 2)
            demo_levels(region, 2024, 3)
        self.assertEqual(count(), before)


class CaseStudyPeerPanelTests(SiteTestCase):
    def test_claims_are_verified_or_self_reported_and_peers_are_shown(self):
        page = make_case_study(
            self.page_a, title="SP4N-LAPOR terintegrasi", indicators=(42, 43), year_start=2023, year_end=2024
        )
        CaseStudyIndicator.objects.filter(page=page, indicator__number=42).update(level_before=2, level_after=4)
        CaseStudyIndicator.objects.filter(page=page, indicator__number=43).update(level_before=1, level_after=3)
        for number, before, after in ((42, 2, 4), (43, 3, 3)):
            for year, level in ((2023, before), (2024, after)):
                IndicatorScore.objects.create(
                    region=self.region_a,
                    indicator=Indicator.objects.get(number=number),
                    year=year,
                    level=level,
                    source="uji",
                )
        for region, before, after in ((self.region_a, 1.6, 1.7), (Region.objects.get(code="35.10"), 1.5, 2.5)):
            aspect_value(region, 2023, before)
            aspect_value(region, 2024, after)
        response = self.client.get(page.url)
        html = response.content.decode()
        claims = html.split('class="claims"')[1].split("</ul>")[0]
        first, second = claims.split("<li>")[1:3]
        self.assertIn("Indikator 42", first)
        self.assertIn("terverifikasi", first)
        self.assertIn("Indikator 43", second)
        self.assertIn("dilaporkan sendiri", second)
        panel = html.split('id="daerah-lain"')[1].split("</section>")[0]
        self.assertIn("Daerah lain yang naik pada aspek ini", panel)
        self.assertIn("Aspek 8. Layanan Publik Berbasis Elektronik", panel)  # the aspect of the first claim
        self.assertIn("Kab. Banyuwangi naik dari 1,5 ke 2,5", panel)
        self.assertNotIn("Kab. Sumedang naik", panel)  # its own region is no peer


class MostImprovedTests(SiteTestCase):
    def test_home_and_domain_pages_list_official_climbers(self):
        home = self.client.get("/").content.decode()
        self.assertIn("Daerah paling meningkat", home)
        self.assertIn("Kabupaten Banyuasin", home, "the biggest official rise 2023→2024 (1,05 → 2,71)")
        self.assertIn("1,05 → 2,71", home)
        east_java = self.client.get("/?provinsi=35").content.decode()
        self.assertNotIn("Kabupaten Banyuasin", east_java)
        self.assertIn("Kabupaten Pasuruan", east_java)
        domain = self.client.get("/indikator/domain/4/").content.decode()
        self.assertIn("Daerah yang paling meningkat", domain)
        self.assertIn("Data resmi", domain)

    def test_the_cached_lists_follow_a_score_write(self):
        from casestudies.models import AggregateScore

        pasuruan = self.client.get("/?provinsi=35").content.decode()
        self.assertIn("Kabupaten Pasuruan", pasuruan)  # the lists are now cached for this data version
        # An official 2024 index that falls below 2023 takes Pasuruan off the list at once (the write renews it).
        row = AggregateScore.objects.get(region__code="35.14", scope="index", year=2024, origin="official")
        row.value = 0.5
        row.save()
        self.assertNotIn("Kabupaten Pasuruan", self.client.get("/?provinsi=35").content.decode())


class NextStepPeersTests(SiteTestCase):
    def test_next_steps_link_to_the_peers_of_their_indicator(self):
        from casestudies.models import Region

        for code, before, after in (("32.12", 2, 2), ("32.11", 2, 4), ("32.73", 1, 2)):
            region = Region.objects.get(code=code)
            demo_levels(region, 2023, before)
            demo_levels(region, 2024, after)
        # Bulk writes go through the score services, which renew aggregates, claims and summaries.
        scores_recalculate(framework=Indicator.objects.first().framework, region_ids=[])
        response = self.client.get("/daerah/skor/32-12/")
        self.assertContains(response, 'href="?indikator=42#indikator-pilihan"')
        focused = self.client.get("/daerah/skor/32-12/?indikator=42").content.decode()
        panel = focused.split('id="indikator-pilihan"')[1].split("</div>")[0]
        self.assertIn("Kab. Sumedang naik dari 2 ke 4 pada Indikator 42", panel)
        for odd in ("abc", "¹", "4" * 5000, "99"):  # a superscript digit or 5,000 digits once answered 500
            with self.subTest(indikator=odd[:10]):
                response = self.client.get("/daerah/skor/32-12/", {"indikator": odd})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'id="indikator-pilihan"')
