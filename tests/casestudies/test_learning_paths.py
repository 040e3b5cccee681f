"""Learning paths (issue 14, parts 1–2): which case studies cover a step a→a+1 of an indicator, which regions
made it, in what order, and where the pages and the API show them. Hand-built scenarios on indicator 42."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from casestudies.learning_paths import covers, learning_path, step_made
from casestudies.models import CaseStudyAttachment, CaseStudyIndicator, Indicator, IndicatorScore, Origin, Region
from tests.utils import PASSWORD, SiteTestCase, make_case_study

NUMBER = 42
STEP_2_3 = f"/indikator/{NUMBER}/langkah/2-3/"

# Region code → {year: level} on indicator 42.
SERIES = {
    "32.11": {2020: 1, 2022: 4},  # Sumedang (kab., Jawa Barat): jumps three steps at once, 2020→2022
    "32.08": {2019: 1, 2021: 3},  # Kuningan (kab., Jawa Barat): two steps, 2019→2021
    "35.10": {2019: 3, 2020: 2, 2021: 3},  # Banyuwangi (kab., Jawa Timur): falls, then back up 2→3 only
    "32.73": {2019: 2, 2020: 2, 2023: 4},  # Kota Bandung (kota, Jawa Barat): a gap, 2020→2023 makes 2→3, 3→4
    "32.12": {2020: 2, 2021: 3},  # Indramayu (kab., Jawa Barat): the region learning, never its own peer
    "35.78": {2019: 4, 2020: 4},  # Kota Surabaya: no change, makes nothing
}


class RulesTests(SiteTestCase):
    def test_a_claim_covers_every_step_between_its_levels(self):
        self.assertEqual([a for a in range(1, 5) if covers(1, 4, a)], [1, 2, 3])
        self.assertEqual([a for a in range(1, 5) if covers(2, 2, a)], [])
        self.assertEqual([a for a in range(1, 5) if covers(None, 3, a)], [])
        self.assertEqual([a for a in range(1, 5) if covers(2, None, a)], [])

    def test_a_step_is_made_between_two_consecutive_evaluations(self):
        self.assertEqual(step_made({2019: 1, 2021: 3}, 1), (2019, 2021), "a jump of two steps makes both")
        self.assertEqual(step_made({2019: 1, 2021: 3}, 2), (2019, 2021))
        self.assertIsNone(step_made({2019: 1, 2021: 3}, 3))
        self.assertEqual(step_made({2019: 3, 2020: 2, 2021: 3}, 2), (2020, 2021), "a fall, then the rise")
        self.assertIsNone(step_made({2019: 3, 2020: 2, 2021: 3}, 3), "back to 3 is no step 3→4")
        self.assertEqual(step_made({2019: 2, 2020: 2, 2023: 4}, 3), (2020, 2023), "a gap between evaluations")
        self.assertEqual(step_made({2019: 2, 2020: 3, 2021: 2, 2022: 3}, 2), (2021, 2022), "the latest rise counts")
        self.assertIsNone(step_made({2020: 4}, 3), "one evaluation makes nothing")


class LearningPathTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.indicator = Indicator.objects.get(number=NUMBER, framework__is_current=True)
        regions = {r.code: r for r in Region.objects.filter(code__in=SERIES)}
        IndicatorScore.objects.bulk_create(
            IndicatorScore(region=regions[code], indicator=cls.indicator, year=year, level=level, source="uji")
            for code, series in SERIES.items()
            for year, level in series.items()
        )
        cls.three_steps = cls.case_study(cls.page_a, "Tiga langkah sekaligus", 1, 4)
        cls.unchanged = cls.case_study(cls.page_a, "Tetap di tingkat dua", 2, 2)
        cls.no_levels = cls.case_study(cls.page_b, "Tanpa tingkat", None, None)
        cls.verified = cls.case_study(cls.page_b, "Naik dan terverifikasi", 2, 3)
        cls.self_reported = cls.case_study(cls.page_a, "Klaim sendiri yang lebih baru", 2, 3)
        cls.draft = cls.case_study(cls.page_a, "Draf rahasia", 2, 3, live=False)
        cls.sop = get_document_model().objects.create(
            title="SOP Pengaduan", file=ContentFile(b"%PDF-1.4 uji", name="sop-pengaduan.pdf")
        )
        cls.three_steps.attachments = [CaseStudyAttachment(document=cls.sop, caption="SOP tindak lanjut aduan")]
        cls.three_steps.save_revision().publish()
        # Which claims the scores confirm is casestudies.scores.claims' business (tested there); set here.
        CaseStudyIndicator.objects.filter(page=cls.verified).update(verified=True)
        CaseStudyIndicator.objects.exclude(page=cls.verified).update(verified=False)

    @classmethod
    def case_study(cls, parent, title, before, after, *, live=True):
        page = make_case_study(parent, title=title, indicators=(NUMBER,), live=live)
        claim = page.indicator_claims.get()
        CaseStudyIndicator.objects.filter(pk=claim.pk).update(level_before=before, level_after=after)
        return page

    def step(self, start, region=None):
        return learning_path(self.indicator, region=region, steps=[start])[0]

    def test_case_studies_that_cover_each_step(self):
        covering = {step.start: [c.page.title for c in step.case_studies] for step in learning_path(self.indicator)}
        self.assertEqual(
            covering,
            {
                1: ["Tiga langkah sekaligus"],
                2: ["Naik dan terverifikasi", "Klaim sendiri yang lebih baru", "Tiga langkah sekaligus"],
                3: ["Tiga langkah sekaligus"],
                4: [],
            },
            "verified first, then self-reported, newest first; 2→2, no levels and drafts cover nothing",
        )

    def test_regions_that_made_each_step_newest_first(self):
        made = {
            step.start: [(r.region.code, r.from_year, r.to_year) for r in step.regions]
            for step in learning_path(self.indicator)
        }
        self.assertEqual(made[1], [("32.11", 2020, 2022), ("32.08", 2019, 2021)])
        self.assertEqual(
            made[2],
            [
                ("32.73", 2020, 2023),
                ("32.11", 2020, 2022),
                ("35.10", 2020, 2021),
                ("32.12", 2020, 2021),
                ("32.08", 2019, 2021),
            ],
        )
        self.assertEqual(made[3], [("32.73", 2020, 2023), ("32.11", 2020, 2022)])
        self.assertEqual(made[4], [])

    def test_a_self_assessment_makes_no_step(self):
        surabaya = Region.objects.get(code="35.78")
        IndicatorScore.objects.create(
            region=surabaya, indicator=self.indicator, year=2021, level=5, source="uji", origin=Origin.SELF_ASSESSED
        )
        self.assertNotIn("35.78", [r.region.code for r in self.step(4).regions])

    def test_median_years_between_the_two_evaluations(self):
        steps = learning_path(self.indicator)
        self.assertEqual([s.median_years for s in steps], [2.0, 2.0, 2.5, None])  # step 2: gaps 3, 2, 1, 1, 2

    def test_for_a_region_similar_regions_come_first_and_not_itself(self):
        indramayu = Region.objects.get(code="32.12")
        codes = [r.region.code for r in self.step(2, region=indramayu).regions]
        # Same type and province (Sumedang, Kuningan), same type (Banyuwangi), same province (Kota Bandung).
        self.assertEqual(codes, ["32.11", "32.08", "35.10", "32.73"])

    def test_a_region_with_a_case_study_on_the_step_is_marked(self):
        marked = {r.region.code: r.has_case_study for r in self.step(2).regions}
        self.assertEqual(marked, {"32.73": False, "32.11": True, "35.10": False, "32.12": True, "32.08": False})

    # --- the step page

    def test_step_page_shows_both_criteria_case_studies_artefacts_and_regions(self):
        response = self.client.get(STEP_2_3)
        self.assertEqual(response.status_code, 200)
        for level in (2, 3):
            self.assertContains(response, self.indicator.criteria.get(level=level).text_id)
        body = response.content.decode()
        titles = ["Naik dan terverifikasi", "Klaim sendiri yang lebih baru", "Tiga langkah sekaligus"]
        positions = [body.index(t) for t in titles]
        self.assertEqual(positions, sorted(positions), "verified first, then newest")
        self.assertNotContains(response, "Tetap di tingkat dua")
        self.assertNotContains(response, "Draf rahasia")
        self.assertContains(response, "SOP tindak lanjut aduan")
        self.assertContains(response, self.sop.url)
        self.assertContains(response, 'href="/daerah/skor/32-73/"')
        self.assertContains(response, "2020 → 2023")

    def test_step_page_for_a_region_says_so_and_orders_for_it(self):
        response = self.client.get(STEP_2_3, {"for_region": "32.12"})
        self.assertContains(response, "Diurutkan untuk Kabupaten Indramayu")
        body = response.content.decode()
        self.assertLess(body.index("/daerah/skor/32-08/"), body.index("/daerah/skor/35-10/"))
        self.assertNotIn("/daerah/skor/32-12/", body)

    def test_step_page_for_an_unknown_region_says_so(self):
        for code in ("99.99", "３２.１２", "x" * 500):
            with self.subTest(code=code):
                response = self.client.get(STEP_2_3, {"for_region": code})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Kode daerah tidak dikenal")
        self.assertEqual(self.client.get(STEP_2_3, {"for_region": "\x00"}).status_code, 400, "NUL: refused site-wide")

    def test_an_officer_sees_the_path_ordered_for_their_region(self):
        self.client.login(username="officer_b", password=PASSWORD)
        response = self.client.get(STEP_2_3)
        self.assertContains(response, "Diurutkan untuk Kabupaten Indramayu")

    def test_unknown_indicator_or_step_is_404(self):
        for url in (
            f"/indikator/{NUMBER}/langkah/2-4/",
            f"/indikator/{NUMBER}/langkah/0-1/",
            f"/indikator/{NUMBER}/langkah/5-6/",
            f"/indikator/{NUMBER}/langkah/3-2/",
            "/indikator/99/langkah/1-2/",
            f"/indikator/{NUMBER}/langkah/99999999999999999999-2/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    # --- the indicator page, the dashboard and the workspace link to the steps

    def test_indicator_page_shows_the_four_steps_with_their_counts(self):
        response = self.client.get(f"/indikator/{NUMBER}/")
        for start in range(1, 5):
            self.assertContains(response, f'href="/indikator/{NUMBER}/langkah/{start}-{start + 1}/"')
        self.assertContains(response, "3 praktik baik · 5 daerah sudah naik")  # step 2→3
        self.assertContains(response, "0 praktik baik · 0 daerah sudah naik")  # step 4→5
        other = response.content.decode().split("Praktik baik lain untuk indikator ini")[1]
        self.assertIn("Tetap di tingkat dua", other)
        self.assertIn("Tanpa tingkat", other)
        self.assertNotIn("Naik dan terverifikasi", other)

    def test_indicator_page_points_an_officer_to_their_next_step(self):
        self.client.login(username="officer_b", password=PASSWORD)
        response = self.client.get(f"/indikator/{NUMBER}/")
        self.assertContains(response, "Kabupaten Indramayu kini di tingkat 3.")
        self.assertContains(response, f'href="/indikator/{NUMBER}/langkah/3-4/?for_region=32.12"')

    def test_dashboard_what_to_learn_next_links_to_the_step(self):
        response = self.client.get("/daerah/skor/32-12/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'href="/indikator/{NUMBER}/langkah/3-4/?for_region=32.12"')

    # --- the API

    def test_api_gives_the_four_steps(self):
        response = self.client.get(f"/api/v1/indicators/{NUMBER}/path/", {"for_region": "32.12"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["indicator"], {"number": NUMBER, "name": self.indicator.name_id})
        self.assertEqual([(s["from"], s["to"]) for s in data["steps"]], [(1, 2), (2, 3), (3, 4), (4, 5)])
        step = data["steps"][1]
        self.assertEqual(step["criteria_from"], self.indicator.criteria.get(level=2).text_id)
        self.assertEqual(step["criteria_to"], self.indicator.criteria.get(level=3).text_id)
        self.assertEqual(
            [(c["title"], c["region_code"], c["levels"], c["verified"]) for c in step["case_studies"]],
            [
                ("Naik dan terverifikasi", "32.12", [2, 3], True),
                ("Klaim sendiri yang lebih baru", "32.11", [2, 3], False),
                ("Tiga langkah sekaligus", "32.11", [1, 4], False),
            ],
        )
        self.assertTrue(step["case_studies"][0]["url"].startswith("http"))
        self.assertEqual(
            [(r["code"], r["from_year"], r["to_year"], r["has_case_study"]) for r in step["regions"]],
            [("32.11", 2020, 2022, True), ("32.08", 2019, 2021, False), ("35.10", 2020, 2021, False),
             ("32.73", 2020, 2023, False)],
        )  # fmt: skip
        self.assertEqual(step["median_years"], 2.0)  # without Indramayu: gaps 2, 2, 1, 3
        self.assertTrue(step["url"].endswith(STEP_2_3))

    def test_api_unknown_indicator_is_404_json_and_unknown_region_400(self):
        for number in ("99", "abc", "4²", "٤٢", "9" * 30):
            with self.subTest(number=number):
                response = self.client.get(f"/api/v1/indicators/{number}/path/")
                self.assertEqual(response.status_code, 404)
                self.assertIn("number", response.json()["errors"])
        response = self.client.get(f"/api/v1/indicators/{NUMBER}/path/", {"for_region": "99.99"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("for_region", response.json()["errors"])
