"""The peer link's ranking, evidence and reasons, on hand-built scenarios (docs/peer-link.md).

Every scenario is read twice: from the precomputed ScoreChange summaries and computed live from the scores (the
summaries dropped), and both must give the same peers. Scores are hand-computed from docs/peer-link.md's formula
with the LIVINGLAB_PEER_WEIGHTS setting; the API gives them to four decimals (docs/api.md).
"""

from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import (
    AggregateScore,
    Aspect,
    CaseStudyIndicator,
    CaseStudyPage,
    Framework,
    Indicator,
    Origin,
    Region,
    Replication,
    ScoreChange,
)
from casestudies.peers import evidence_for, peers_for, prime_peer_tables
from casestudies.scores.summaries import summaries_refresh
from casestudies.scores.summary_state import summaries_drop, summaries_ready
from casestudies.scores.targets import Target
from casestudies.services import region_page_create
from cms.data_version import request_scope
from tests.casestudies.test_peers import aspect_value
from tests.casestudies.test_score_summaries import forget_derived
from tests.utils import SiteTestCase, make_case_study

Y1, Y2, Y3 = 2030, 2031, 2032  # years no shipped data uses
ASPECT_8 = "Aspek Layanan Publik Berbasis Elektronik"
ASPECT_8_EN = "Aspect Electronic public services"


def value(region, year, figure, *, number=8, origin=Origin.IMPORTED, is_demo=False):
    """An aspect value of a region in a year (a single-row write: it drops the summaries)."""
    row = aspect_value(region, year, figure, number=number, origin=origin)
    if is_demo:
        AggregateScore.objects.filter(pk=row.pk).update(is_demo=True)
    return row


def verify(title, *numbers):
    """Mark the stored level claims of a case study on these indicators as verified (docs: the flag is stored)."""
    CaseStudyIndicator.objects.filter(page__title=title, indicator__number__in=numbers).update(verified=True)


def evidence_rows(items):
    return [(e.title, e.url, e.verified, e.is_demo, e.replications) for e in items]


def describe(peer):
    """Every field of a peer, for exact comparison."""
    return {
        "region": (peer.region.pk, peer.region.code, peer.region.type, peer.region.name),
        "before": peer.before,
        "after": peer.after,
        "years": (peer.from_year, peer.to_year),
        "origin": peer.origin,
        "is_demo": peer.is_demo,
        "start_gap": peer.start_gap,
        "score": peer.score,
        "case_studies": evidence_rows(peer.case_studies),
        "reason_id": peer.reason_id,
        "reason_en": peer.reason_en,
    }


class SummariesBothWays(SiteTestCase):
    """Scenarios end with a bulk rebuild of the summaries; `live()` reads with them dropped."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = Framework.current()
        code = lambda c: Region.objects.get(code=c)  # noqa: E731
        cls.sumedang, cls.indramayu = cls.region_a, cls.region_b
        cls.banyuwangi, cls.bandung, cls.semarang = code("35.10"), code("32.73"), code("33.74")
        cls.jabar, cls.bogor, cls.aceh = code("32"), code("32.01"), code("11.01")
        cls.scenario()
        summaries_refresh(cls.framework)

    @classmethod
    def scenario(cls):
        raise NotImplementedError

    def setUp(self):
        forget_derived()

    def tearDown(self):
        forget_derived()

    def live(self):
        """From here on the summaries are out of date: readers compute from the scores."""
        summaries_drop(self.framework.pk)
        forget_derived()
        self.assertFalse(summaries_ready(self.framework))

    def both_ways(self, read):
        """`read()` from the summaries, then computed live: both answers."""
        self.assertTrue(summaries_ready(self.framework))
        summarised = read()
        self.live()
        return summarised, read()

    def assert_both_ways(self, read, expected):
        summarised, live = self.both_ways(read)
        self.assertEqual(summarised, expected, "from the summaries")
        self.assertEqual(live, expected, "computed live")


class GoldenPeerTests(SummariesBothWays):
    """R = Kab. Indramayu, 1.5 → 1.43 on aspect 8 (it did not rise), 2030→2032."""

    @classmethod
    def scenario(cls):
        Y = Y3
        value(cls.indramayu, Y1, 1.5)
        value(cls.indramayu, Y, 1.43)
        value(cls.sumedang, Y1, 1.6)
        value(cls.sumedang, Y, 3.2)
        value(cls.banyuwangi, Y1, 1.5)
        value(cls.banyuwangi, Y, 2.5, is_demo=True)  # a demo value in one of the two years
        value(cls.bandung, Y1, 3.0)
        value(cls.bandung, Y, 4.5, origin=Origin.OFFICIAL)  # imported before, official after
        value(cls.jabar, Y1, 1.5)
        value(cls.jabar, Y, 2.0)
        value(cls.semarang, Y1, 2.0)
        value(cls.semarang, Y, 1.8)  # declined: never a peer
        value(cls.bogor, Y1, 1.5)  # no value in 2032
        # Aspect 7: Sumedang rises there too, with no case study on it; R stays.
        value(cls.indramayu, Y1, 2.0, number=7)
        value(cls.indramayu, Y, 2.0, number=7)
        value(cls.sumedang, Y1, 1.0, number=7)
        value(cls.sumedang, Y, 2.0, number=7)

        # Sumedang: two case studies on aspect 8 (made unverified one first), one on another aspect.
        cls.antrean = make_case_study(cls.page_a, title="Aplikasi antrean daring", indicators=(44,))
        cls.pengaduan = make_case_study(cls.page_a, title="Pengaduan terpadu", indicators=(42, 43))
        make_case_study(cls.page_a, title="Praktik di aspek lain", indicators=(1,))
        for region, status in (
            (cls.banyuwangi, Replication.Status.IN_PROGRESS),
            (cls.semarang, Replication.Status.DONE),
            (cls.bandung, Replication.Status.PLANNED),
            (cls.bogor, Replication.Status.STOPPED),
        ):
            Replication.objects.create(case_study=cls.pengaduan, region=region, status=status)
        # Banyuwangi: one demo case study. Bandung: a draft only (not evidence).
        cls.open_data = make_case_study(
            region_page_create(region=cls.banyuwangi), title="Open Data Banyuwangi", indicators=(45,)
        )
        CaseStudyPage.objects.filter(pk=cls.open_data.pk).update(is_demo=True)
        make_case_study(region_page_create(region=cls.bandung), title="Draf Bandung", indicators=(42,), live=False)
        verify("Pengaduan terpadu", 42)  # its first claim only: the case study counts as verified
        cls.aspect8 = Target("aspect", 8, cls.framework)
        cls.aspect7 = Target("aspect", 7, cls.framework)

    def expected(self):
        years = "(2030→2032)"
        return [
            {
                "region": (self.sumedang.pk, "32.11", "kabupaten", "Kabupaten Sumedang"),
                "before": Decimal("1.6"),
                "after": Decimal("3.2"),
                "years": (Y1, Y3),
                "origin": "imported",
                "is_demo": False,
                "start_gap": Decimal("0.17"),
                # .45·(1.6/4) + .25·(1 − .17/4) + .15·(2.2/4) + .10·1 + .05·1 = .651875
                "score": 0.6519,
                "case_studies": [
                    ("Pengaduan terpadu", self.pengaduan.url, True, False, 2),  # verified first
                    ("Aplikasi antrean daring", self.antrean.url, False, False, 0),
                ],
                "reason_id": f"Kab. Sumedang naik dari 1,6 ke 3,2 pada {ASPECT_8} {years}; 2 praktik baik",
                "reason_en": f"Kab. Sumedang rose from 1.6 to 3.2 on {ASPECT_8_EN} {years}; 2 good practices",
            },
            {
                "region": (self.banyuwangi.pk, "35.10", "kabupaten", "Kabupaten Banyuwangi"),
                "before": Decimal("1.5"),
                "after": Decimal("2.5"),
                "years": (Y1, Y3),
                "origin": "imported",
                "is_demo": True,
                "start_gap": Decimal("0.07"),
                # .45·(1/4) + .25·(1 − .07/4) + .15·(1.5/4) + .10·1 + 0 = .514375
                "score": 0.5144,
                "case_studies": [("Open Data Banyuwangi", self.open_data.url, False, True, 0)],
                "reason_id": f"Kab. Banyuwangi naik dari 1,5 ke 2,5 pada {ASPECT_8} {years}; 1 praktik baik",
                "reason_en": f"Kab. Banyuwangi rose from 1.5 to 2.5 on {ASPECT_8_EN} {years}; 1 good practice",
            },
            {
                "region": (self.bandung.pk, "32.73", "kota", "Kota Bandung"),
                "before": Decimal("3"),
                "after": Decimal("4.5"),
                "years": (Y1, Y3),
                "origin": "imported→official",
                "is_demo": False,
                "start_gap": Decimal("1.57"),
                # .45·(1.5/4) + .25·(1 − 1.57/4) + .15·(3.5/4) + .10·.5 (kota↔kabupaten) = .501875
                "score": 0.5019,
                "case_studies": [],
                "reason_id": f"Kota Bandung naik dari 3 ke 4,5 pada {ASPECT_8} {years}; belum ada praktik baik",
                "reason_en": f"Kota Bandung rose from 3 to 4.5 on {ASPECT_8_EN} {years}; no good practice yet",
            },
            {
                "region": (self.jabar.pk, "32", "provinsi", "Jawa Barat"),
                "before": Decimal("1.5"),
                "after": Decimal("2"),
                "years": (Y1, Y3),
                "origin": "imported",
                "is_demo": False,
                "start_gap": Decimal("0.07"),
                # .45·(.5/4) + .25·(1 − .07/4) + .15·(1/4) + .10·0 (province↔local) = .339375
                "score": 0.3394,
                "case_studies": [],
                "reason_id": f"Prov. Jawa Barat naik dari 1,5 ke 2 pada {ASPECT_8} {years}; belum ada praktik baik",
                "reason_en": f"Prov. Jawa Barat rose from 1.5 to 2 on {ASPECT_8_EN} {years}; no good practice yet",
            },
        ]

    def peers(self, region=None, target=None, **kwargs):
        return [describe(p) for p in peers_for(region or self.indramayu, target or self.aspect8, **kwargs)]

    def codes(self, region=None, target=None, **kwargs):
        return [p["region"][1] for p in self.peers(region, target, **kwargs)]

    def test_every_field_of_every_peer_with_default_years(self):
        """The golden scenario: order (evidence first, then score), values, years, origin, demo flag, start gap,
        score, case studies (verified first, replications under way or done) and both reason sentences."""
        self.assert_both_ways(self.peers, self.expected())

    def test_explicit_default_years_give_the_same_peers(self):
        self.assert_both_ways(lambda: self.peers(from_year=Y1, to_year=Y3), self.expected())

    def test_the_peers_region_is_the_real_region(self):
        """The peer's region carries its primary key (links and lookups use it)."""
        summarised, live = self.both_ways(lambda: [p.region for p in peers_for(self.indramayu, self.aspect8)])
        for regions in (summarised, live):
            self.assertEqual(regions, [self.sumedang, self.banyuwangi, self.bandung, self.jabar])

    def test_a_region_is_compared_from_its_earlier_value_when_it_has_no_later_one(self):
        """Kab. Bogor has a 2030 value only: its peers' start gaps are measured from it. Each asking region is
        compared from its own value (read one after the other, in one data version)."""

        def read():
            indramayu = [(p["region"][1], p["start_gap"]) for p in self.peers()]
            bogor = [(p["region"][1], p["start_gap"]) for p in self.peers(self.bogor)]
            return indramayu, bogor

        expected = (
            [
                ("32.11", Decimal("0.17")),
                ("35.10", Decimal("0.07")),
                ("32.73", Decimal("1.57")),
                ("32", Decimal("0.07")),
            ],
            [("32.11", Decimal("0.1")), ("35.10", Decimal("0")), ("32.73", Decimal("1.5")), ("32", Decimal("0"))],
        )
        self.assert_both_ways(read, expected)

    def test_a_region_without_values_gets_no_peers(self):
        self.assert_both_ways(lambda: self.peers(self.aceh), [])

    def test_a_riser_asking_is_not_its_own_peer(self):
        """Sumedang rose: it is compared from its own 2032 value (3.2) and does not appear in its list."""
        expected = [("35.10", Decimal("1.7")), ("32.73", Decimal("0.2")), ("32", Decimal("1.7"))]
        self.assert_both_ways(lambda: [(p["region"][1], p["start_gap"]) for p in self.peers(self.sumedang)], expected)

    def test_limit_keeps_the_peers_with_evidence_first(self):
        """With as many peers with evidence as the limit, those are the answer; one more brings the best without."""
        self.assert_both_ways(
            lambda: [self.codes(limit=n) for n in (1, 2, 3)],
            [["32.11"], ["32.11", "35.10"], ["32.11", "35.10", "32.73"]],
        )

    def test_type_similarity_and_equal_scores_ranked_by_the_bigger_rise(self):
        """Same type 1, kabupaten↔kota 0.5, province↔local 0. Sumedang and Banyuwangi tie on the score (both
        kabupaten): the bigger rise (Sumedang, +1.6) comes first. Weights left out of the setting count 0."""
        with self.settings(LIVINGLAB_PEER_WEIGHTS={"same_type": 1.0}):
            self.assert_both_ways(
                lambda: [(p["region"][1], p["score"]) for p in self.peers()],
                [("32.11", 1.0), ("35.10", 1.0), ("32.73", 0.5), ("32", 0.0)],
            )

    def test_only_the_gain_weighted(self):
        """Gain alone: (after − before) / 4; the other components, left out of the setting, weigh nothing."""
        with self.settings(LIVINGLAB_PEER_WEIGHTS={"gain": 1.0}):
            self.assert_both_ways(
                lambda: [(p["region"][1], p["score"]) for p in self.peers()],
                [("32.11", 0.4), ("35.10", 0.25), ("32.73", 0.375), ("32", 0.125)],
            )

    def test_the_score_is_a_weighted_mean(self):
        """Scaling every weight alike changes no score: Σ wᵢ·cᵢ / Σ wᵢ."""
        tripled = {name: 3 * weight for name, weight in settings.LIVINGLAB_PEER_WEIGHTS.items()}
        with self.settings(LIVINGLAB_PEER_WEIGHTS=tripled):
            self.assert_both_ways(lambda: [p["score"] for p in self.peers()], [p["score"] for p in self.expected()])

    def test_each_target_has_its_own_peers_and_evidence(self):
        """Read one after the other in one data version: on aspect 7 only Sumedang rose, and its case studies
        (on aspect 8) are no evidence there."""

        def read():
            return self.peers(target=self.aspect7), self.codes()

        aspect7 = [
            {
                "region": (self.sumedang.pk, "32.11", "kabupaten", "Kabupaten Sumedang"),
                "before": Decimal("1"),
                "after": Decimal("2"),
                "years": (Y1, Y3),
                "origin": "imported",
                "is_demo": False,
                "start_gap": Decimal("1"),
                # .45·(1/4) + .25·(1 − 1/4) + .15·(1/4) + .10·1 + .05·0 = .4375
                "score": 0.4375,
                "case_studies": [],
                "reason_id": "Kab. Sumedang naik dari 1 ke 2 pada Aspek Layanan Administrasi Pemerintahan Berbasis "
                "Elektronik (2030→2032); belum ada praktik baik",
                "reason_en": "Kab. Sumedang rose from 1 to 2 on Aspect Electronic government administration services "
                "(2030→2032); no good practice yet",
            }
        ]
        self.assert_both_ways(read, (aspect7, ["32.11", "35.10", "32.73", "32"]))

    def test_priming_answers_the_same_and_then_costs_no_queries(self):
        """The dashboard primes several targets at once (or only one); the peer lists then need no query."""
        expected = {t: self.peers(target=t) for t in (self.aspect8, self.aspect7)}
        self.assertEqual(expected[self.aspect8], self.expected())
        for numbers in ((8, 7), (7,)):
            with self.subTest(aspects=numbers):
                forget_derived()
                targets = [Target("aspect", number, self.framework) for number in numbers]
                with request_scope():
                    for t in targets:
                        t.label_id, t.label_en  # noqa: B018 - the labels are read apart (the taxonomy)
                    prime_peer_tables(targets, self.indramayu)
                    with CaptureQueriesContext(connection) as queries:
                        primed = {t: self.peers(target=t) for t in targets}
                self.assertEqual(primed, {t: expected[t] for t in targets})
                self.assertEqual(len(queries), 0, [q["sql"] for q in queries])

    def test_priming_after_a_single_score_edit_reads_the_scores(self):
        """An edited score drops the summaries (their rows are now behind): primed or not, the peers follow the
        scores. Priming nothing is harmless."""
        jabar = AggregateScore.objects.get(region=self.jabar, scope="aspect", number=8, year=Y3)
        jabar.value = Decimal("1.0")  # Jawa Barat no longer rose
        jabar.save()
        forget_derived()
        self.assertFalse(summaries_ready(self.framework))
        prime_peer_tables([], self.indramayu)
        prime_peer_tables([self.aspect8, self.aspect7], self.indramayu)
        self.assertEqual(self.codes(), ["32.11", "35.10", "32.73"])
        self.assertEqual(self.codes(target=self.aspect7), ["32.11"])

    def test_a_region_whose_values_were_deleted_gets_no_peers(self):
        """Deleting R's values drops the summaries; R has no value any more, whatever the old summary rows say."""
        for row in AggregateScore.objects.filter(region=self.indramayu, scope="aspect", number=8):
            row.delete()
        forget_derived()
        self.assertFalse(summaries_ready(self.framework))
        self.assertEqual(self.peers(), [])

    def test_another_frameworks_summaries_are_not_read(self):
        """Summary rows of another framework (same scope, number and years) neither add peers nor change R."""
        other = Framework.objects.create(slug="spbe-lama", name_id="SPBE lama")
        common = {"framework": other, "scope": "aspect", "number": 8, "from_year": Y1, "to_year": Y3}
        ScoreChange.objects.create(region=self.bogor, before=1.0, after=4.0, **common)
        ScoreChange.objects.create(region=self.aceh, before=1.0, after=4.0, **common)
        ScoreChange.objects.create(region=self.indramayu, before=4.0, after=4.5, **common)
        forget_derived()
        self.assertTrue(summaries_ready(self.framework))
        self.assertEqual(self.peers(), self.expected())

    def test_evidence_per_region_and_per_framework(self):
        """evidence_for: region code → case studies; narrowed to some regions on request; a claim on another
        framework's indicator of the same number is no evidence; one verified claim of several verifies."""
        other = Framework.objects.create(slug="spbe-lama", name_id="SPBE lama")
        aspect = Aspect.objects.create(framework=other, number=8, name_id="Aspek lama", weight=1)
        old = Indicator.objects.create(
            framework=other, aspect=aspect, number=42, official_name="Lama", name_id="Lama", weight=1
        )
        lama = make_case_study(self.page_b, title="Praktik kerangka lama", indicators=(1,))
        CaseStudyIndicator.objects.create(page=lama, indicator=old, verified=True)
        satu_data = make_case_study(self.page_b, title="Satu data", indicators=(42, 43))
        verify("Satu data", 43)  # its last claim only

        evidence = evidence_for(self.aspect8)
        self.assertEqual(evidence.keys(), {"32.11", "35.10", "32.12"})
        self.assertEqual(evidence_rows(evidence["32.12"]), [("Satu data", satu_data.url, True, False, 0)])
        self.assertEqual(evidence_rows(evidence["32.11"]), self.expected()[0]["case_studies"])
        narrowed = evidence_for(self.aspect8, region_codes={"35.10"})
        self.assertEqual(narrowed.keys(), {"35.10"})
        self.assertEqual(evidence_rows(narrowed["35.10"]), self.expected()[1]["case_studies"])
        self.assertEqual(evidence_for(self.aspect7), {})


class BoundaryPeerTests(SummariesBothWays):
    """R = Kab. Indramayu at 0.4 in 2032; Sumedang rose 0.5 → 5.0 (+4.5), Banyuwangi 4.6 → 4.9 (4.2 above R)."""

    @classmethod
    def scenario(cls):
        for region, before, after in (
            (cls.indramayu, 0.5, 0.4),
            (cls.sumedang, 0.5, 5.0),
            (cls.banyuwangi, 4.6, 4.9),
        ):
            value(region, Y1, before)
            value(region, Y3, after)
        cls.target = Target("aspect", 8, cls.framework)

    def scores(self):
        return [(p.region.code, p.score) for p in peers_for(self.indramayu, self.target)]

    def test_gain_counts_at_most_one(self):
        with self.settings(LIVINGLAB_PEER_WEIGHTS={"gain": 1.0}):
            self.assert_both_ways(self.scores, [("32.11", 1.0), ("35.10", 0.075)])

    def test_a_start_gap_beyond_four_counts_as_four(self):
        with self.settings(LIVINGLAB_PEER_WEIGHTS={"similar_start": 1.0}):
            self.assert_both_ways(self.scores, [("32.11", 0.975), ("35.10", 0.0)])

    def test_ten_peers_by_default(self):
        """docs/api.md: limit defaults to 10 — eleven risers give ten peers."""
        risers = Region.objects.filter(type="kabupaten", code__startswith="33.").order_by("code")[:9]
        for region in risers:
            value(region, Y1, 1.0)
            value(region, Y3, 2.0)
        forget_derived()
        self.assertEqual(len(peers_for(self.indramayu, self.target)), 10)
        self.assertEqual(len(peers_for(self.indramayu, self.target, limit=11)), 11)


class ComparisonYearsPeerTests(SummariesBothWays):
    """Three evaluations of aspect 8 (2030, 2031, 2032); the default compares 2030→2032."""

    @classmethod
    def scenario(cls):
        for region, values in (
            (cls.indramayu, (2.0, 2.0, 2.0)),
            (cls.sumedang, (1.0, 2.0, 3.0)),
            (cls.banyuwangi, (3.0, 2.5, 3.5)),  # fell, then rose
        ):
            for year, figure in zip((Y1, Y2, Y3), values, strict=True):
                value(region, year, figure)
        cls.target = Target("aspect", 8, cls.framework)

    def test_one_year_given_the_other_is_the_default_and_each_pair_has_its_own_peers(self):
        """Read one after the other in one data version: default years, from_year alone, to_year alone."""

        def read():
            def rows(**years):
                return [
                    (p.region.code, p.from_year, p.to_year, p.before, p.after)
                    for p in peers_for(self.indramayu, self.target, **years)
                ]

            return rows(), rows(from_year=Y2), rows(to_year=Y2), rows(from_year=Y1, to_year=Y2)

        self.assert_both_ways(
            read,
            (
                [("32.11", Y1, Y3, 1, 3), ("35.10", Y1, Y3, 3, Decimal("3.5"))],
                [("32.11", Y2, Y3, 2, 3), ("35.10", Y2, Y3, Decimal("2.5"), Decimal("3.5"))],
                [("32.11", Y1, Y2, 1, 2)],
                [("32.11", Y1, Y2, 1, 2)],
            ),
        )
