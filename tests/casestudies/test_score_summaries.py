"""Precomputed score summaries: the same figures as computed live, rebuilt by bulk writes, dropped by single ones;
and each level claim's stored "verified" flag kept current."""

from django.core.cache import cache

from casestudies.models import (
    AverageScore,
    CaseStudyIndicator,
    Framework,
    Indicator,
    IndicatorScore,
    Region,
    ScoreChange,
    StepCount,
    SummaryState,
)
from casestudies.peers import Target, _improvers, default_years, peers_for
from casestudies.score_selectors import (
    _step_counts,
    aspect_averages,
    averages,
    dashboard_averages,
    what_to_learn_next,
)
from casestudies.score_services import scores_recalculate
from casestudies.score_summaries import summaries_drop, summaries_ready
from cms import data_version as derived
from tests.utils import SiteTestCase, make_case_study

Y1, Y2, Y3 = 2030, 2031, 2032  # years no shipped data uses


def forget_derived():
    cache.clear()
    derived._memo.clear()


def levels(region, year, by_number, *, default=1):
    IndicatorScore.objects.bulk_create(
        IndicatorScore(region=region, indicator=i, year=year, level=by_number.get(i.number, default), source="uji")
        for i in Indicator.objects.filter(framework__is_current=True)
    )


class SummaryScenario(SiteTestCase):
    """Four regions with indicator levels in three years; two of them climb on the aspect of indicators 42–45."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = Framework.current()
        code = lambda c: Region.objects.get(code=c)  # noqa: E731
        cls.sumedang, cls.indramayu, cls.bandung, cls.banyuwangi = (
            code("32.11"),
            code("32.12"),
            code("32.73"),
            code("35.10"),
        )
        for region, start, end in (
            (cls.sumedang, 1, 4),
            (cls.indramayu, 1, 1),
            (cls.bandung, 2, 3),
            (cls.banyuwangi, 3, 2),
        ):
            levels(region, Y1, dict.fromkeys((42, 43, 44, 45), start), default=2)
            levels(region, Y2, dict.fromkeys((42, 43, 44, 45), start), default=2)
            levels(region, Y3, dict.fromkeys((42, 43, 44, 45), end), default=3)
        cls.regions = [cls.sumedang, cls.indramayu, cls.bandung, cls.banyuwangi]
        scores_recalculate(framework=cls.framework, region_ids=[r.pk for r in cls.regions])

    def setUp(self):
        forget_derived()

    def live(self, compute):
        """The same read with the summaries marked out of date (computed from the scores)."""
        summaries_drop(self.framework.pk)
        forget_derived()
        try:
            return compute()
        finally:
            forget_derived()


class SummariesMatchLiveComputationTests(SummaryScenario):
    def test_a_bulk_write_leaves_complete_summaries(self):
        self.assertTrue(summaries_ready(self.framework))
        state = SummaryState.objects.get(framework=self.framework)
        self.assertEqual(state.comparison_years["aspect:8"], [Y1, Y3], "the latest year and the earliest in 2 years")
        self.assertEqual(state.comparison_years["indicator:42"], [Y1, Y3])
        change = ScoreChange.objects.get(scope="indicator", number=42, region=self.sumedang, from_year=Y1, to_year=Y3)
        self.assertEqual((change.before, change.after), (1.0, 4.0))

    def test_comparison_years_peers_and_improvers_are_the_same(self):
        for scope, number in (("aspect", 8), ("domain", 3), ("index", 0), ("indicator", 42), ("indicator", 1)):
            target = Target(scope, number, self.framework)
            with self.subTest(target=target):
                years = default_years(target)
                summarised = _improvers(target, *years)
                peers = [(p.region.code, p.before, p.after, p.reason) for p in peers_for(self.indramayu, target)]
                self.assertEqual(self.live(lambda t=target: default_years(t)), years)
                live = self.live(lambda t=target, y=years: _improvers(t, *y))
                self.assertEqual(live["improved"], summarised["improved"])
                self.assertTrue(summarised["values"].items() <= live["values"].items(), "the risers' values")
                live_peers = self.live(
                    lambda t=target: [
                        (p.region.code, p.before, p.after, p.reason) for p in peers_for(self.indramayu, t)
                    ]
                )
                self.assertEqual(live_peers, peers)
        aspect = Target("aspect", 8, self.framework)
        self.assertEqual([p.region.code for p in peers_for(self.indramayu, aspect)], ["32.11", "32.73"])

    def test_averages_are_the_same(self):
        jabar = Region.objects.get(code="32")
        for province in (None, jabar):
            with self.subTest(province=province):
                index = averages(self.framework, "index", 0, [Y1, Y2, Y3], province=province)
                aspects = aspect_averages(self.framework, Y3, province=province)
                live_index = self.live(
                    lambda p=province: averages(self.framework, "index", 0, [Y1, Y2, Y3], province=p)
                )
                live_aspects = self.live(lambda p=province: aspect_averages(self.framework, Y3, province=p))
                self.assertEqual(index.keys(), live_index.keys())
                for year, value in index.items():
                    self.assertAlmostEqual(value, live_index[year], places=9)
                self.assertEqual(aspects.keys(), live_aspects.keys())
                for number, value in aspects.items():
                    self.assertAlmostEqual(value, live_aspects[number], places=9)
        together = dashboard_averages(self.framework, [Y1, Y2, Y3], Y3, jabar)
        self.assertEqual(together, self.live(lambda: dashboard_averages(self.framework, [Y1, Y2, Y3], Y3, jabar)))
        self.assertEqual(together[2], aspect_averages(self.framework, Y3, province=jabar))
        # Hand-computed: aspect 8 in Y3 over the three West Java regions (Sumedang, Indramayu, Bandung).
        west_java = AverageScore.objects.get(scope="aspect", number=8, year=Y3, province=jabar)
        self.assertEqual(west_java.regions, 3)

    def test_step_counts_and_next_steps_are_the_same(self):
        kinds = ("kabupaten", "kota")
        counts = _step_counts(self.framework, kinds, Y1, Y3)
        self.assertEqual(self.live(lambda: _step_counts(self.framework, kinds, Y1, Y3)), counts)
        # Indicator 42: Sumedang rose from 1, Bandung from 2; Indramayu stayed at 1; Banyuwangi fell from 3.
        self.assertEqual(counts["counts"][42], {1: 1, 2: 1})
        self.assertEqual(counts["regions"], 4)
        self.assertTrue(StepCount.objects.filter(number=42, start=3, rose=0, regions=1).exists())
        steps = [(s.indicator.number, s.peers_made_step) for s in what_to_learn_next(self.indramayu, self.framework)]
        self.assertEqual(self.live(lambda: [(s.indicator.number, s.peers_made_step) for s in what_to_learn_next(
            self.indramayu, self.framework)]), steps)  # fmt: skip


class SummariesFollowWritesTests(SummaryScenario):
    def test_a_single_score_write_drops_them_and_they_are_rebuilt_after_commit(self):
        score = IndicatorScore.objects.get(region=self.indramayu, indicator__number=42, year=Y3)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            score.level = 5
            score.save()
            self.assertFalse(summaries_ready(self.framework), "out of date at once: readers compute live")
        self.assertTrue(callbacks, "the rebuild waits for the commit")
        self.assertTrue(summaries_ready(self.framework))
        change = ScoreChange.objects.get(scope="indicator", number=42, region=self.indramayu, from_year=Y1, to_year=Y3)
        self.assertEqual(change.after, 5.0)

    def test_a_bulk_recalculation_rebuilds_them_in_its_transaction(self):
        IndicatorScore.objects.filter(region=self.banyuwangi, year=Y3).update(level=5)
        scores_recalculate(framework=self.framework, region_ids=[self.banyuwangi.pk])
        self.assertTrue(summaries_ready(self.framework))
        change = ScoreChange.objects.get(scope="aspect", number=8, region=self.banyuwangi, from_year=Y1, to_year=Y3)
        self.assertGreater(change.after, change.before)
        self.assertIn("35.10", [p.region.code for p in peers_for(self.indramayu, Target("aspect", 8, self.framework))])


class StoredVerificationTests(SummaryScenario):
    def claim(self, title):
        return CaseStudyIndicator.objects.get(page__title=title)

    def test_publishing_checks_the_claim_against_the_scores(self):
        page = make_case_study(self.page_a, title="Pengaduan terpadu", indicators=(42,), year_start=Y1, year_end=Y3)
        self.assertFalse(self.claim("Pengaduan terpadu").verified, "no levels claimed: self-reported")
        page = page.get_latest_revision_as_object()
        claim = page.indicator_claims.all()[0]
        claim.level_before, claim.level_after = 1, 4
        page.indicator_claims = [claim]
        page.save_revision().publish()
        self.assertTrue(self.claim("Pengaduan terpadu").verified, "Sumedang's indicator 42 rose 1 → 4")

    def test_a_score_write_rechecks_the_region_claims(self):
        make_case_study(self.page_a, title="Pengaduan terpadu", indicators=(42,), year_start=Y1, year_end=Y3)
        CaseStudyIndicator.objects.filter(page__title="Pengaduan terpadu").update(level_before=1, level_after=4)
        scores_recalculate(framework=self.framework, region_ids=[self.sumedang.pk])
        self.assertTrue(self.claim("Pengaduan terpadu").verified)
        score = IndicatorScore.objects.get(region=self.sumedang, indicator__number=42, year=Y3)
        score.level = 1
        score.save()
        self.assertFalse(self.claim("Pengaduan terpadu").verified, "the scores no longer moved as claimed")
        peers = peers_for(self.indramayu, Target("indicator", 42, self.framework))
        self.assertEqual([p.region.code for p in peers], ["32.73"], "Sumedang no longer rose on indicator 42")
