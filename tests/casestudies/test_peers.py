"""The peer link on hand-built score scenarios: exact ranking, scores, reasons, evidence, verification."""

from decimal import Decimal

from casestudies.models import AggregateScore, CaseStudyIndicator, Framework, Indicator, IndicatorScore, Origin, Region
from casestudies.peers import peers_for
from casestudies.scores.claims import claim_is_verified
from casestudies.scores.targets import Target
from casestudies.scores.values import default_years
from casestudies.services import region_page_create
from tests.utils import SiteTestCase, make_case_study

Y1, Y2 = 2030, 2032  # years no shipped data uses


def aspect_value(region, year, value, *, number=8, origin=Origin.IMPORTED, scope="aspect"):
    return AggregateScore.objects.create(
        region=region,
        framework=Framework.current(),
        year=year,
        scope=scope,
        number=number,
        value=Decimal(str(value)),
        origin=origin,
        source="uji",
    )


def level(region, number, year, value):
    IndicatorScore.objects.create(
        region=region, indicator=Indicator.objects.get(number=number), year=year, level=value, source="uji"
    )


class PeerRankingTests(SiteTestCase):
    """R = Kab. Indramayu, weak on aspect 8 (Layanan Publik Berbasis Elektronik)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        code = lambda c: Region.objects.get(code=c)  # noqa: E731
        cls.r = cls.region_b
        cls.sumedang, cls.banyuwangi = cls.region_a, code("35.10")
        cls.bandung, cls.semarang, cls.jabar = code("32.73"), code("33.74"), code("32")
        aspect_value(cls.r, Y1, 1.4)
        aspect_value(cls.r, Y2, 1.5)
        for region, before, after in (
            (cls.sumedang, 1.6, 3.2),  # big climb from a similar start, verified case study
            (cls.banyuwangi, 1.5, 2.5),  # climb, case study whose claim its scores do not confirm
            (cls.bandung, 3.0, 4.5),  # a kota, no case study
            (cls.semarang, 2.0, 1.8),  # declined: never a peer
            (cls.jabar, 1.5, 2.0),  # a province, no case study
        ):
            aspect_value(region, Y1, before)
            aspect_value(region, Y2, after)
        make_case_study(cls.page_a, title="Mal Pelayanan Publik Digital", indicators=(42,), year_start=Y1, year_end=Y2)
        CaseStudyIndicator.objects.filter(page__title="Mal Pelayanan Publik Digital").update(
            level_before=1, level_after=3
        )
        level(cls.sumedang, 42, Y1, 1)
        level(cls.sumedang, 42, Y2, 3)
        banyuwangi_page = region_page_create(region=cls.banyuwangi)
        make_case_study(banyuwangi_page, title="Open Data Banyuwangi", indicators=(43,), year_start=Y1, year_end=Y2)
        CaseStudyIndicator.objects.filter(page__title="Open Data Banyuwangi").update(level_before=2, level_after=4)
        level(cls.banyuwangi, 43, Y1, 2)
        level(cls.banyuwangi, 43, Y2, 2)
        make_case_study(cls.page_a, title="Praktik di aspek lain", indicators=(1,))
        cls.target = Target("aspect", 8, Framework.current())

    def peers(self, **kwargs):
        return peers_for(self.r, self.target, from_year=Y1, to_year=Y2, **kwargs)

    def test_exact_order_scores_and_exclusions(self):
        peers = self.peers()
        self.assertEqual([p.region.code for p in peers], ["32.11", "35.10", "32.73", "32"])
        # Hand-computed with the default weights (docs/peer-link.md):
        # Sumedang .45·.4 + .25·.975 + .15·.55 + .10·1 + .05·1 = .65625
        # Banyuwangi .45·.25 + .25·1 + .15·.375 + .10·1 + 0 = .51875
        # Bandung .45·.375 + .25·.625 + .15·.875 + .10·.5 = .50625 ; Jawa Barat .45·.125 + .25·1 + .15·.25 = .34375
        for peer, expected in zip(peers, (0.65625, 0.51875, 0.50625, 0.34375), strict=True):
            self.assertAlmostEqual(peer.score, expected, places=3)
        self.assertNotIn("33.74", [p.region.code for p in peers], "a region that declined is no peer")
        self.assertNotIn(self.r.code, [p.region.code for p in peers])

    def test_regions_without_case_studies_rank_below_those_with(self):
        peers = self.peers()
        with_evidence = [p.has_evidence for p in peers]
        self.assertEqual(with_evidence, [True, True, False, False])
        self.assertGreater(peers[2].delta, peers[1].delta, "Bandung climbed more, yet ranks lower: no evidence")

    def test_evidence_is_the_case_studies_tagging_the_aspect_with_verification(self):
        sumedang, banyuwangi = self.peers()[:2]
        self.assertEqual(
            [(e.title, e.verified) for e in sumedang.case_studies], [("Mal Pelayanan Publik Digital", True)]
        )
        self.assertEqual([(e.title, e.verified) for e in banyuwangi.case_studies], [("Open Data Banyuwangi", False)])
        self.assertTrue(sumedang.case_studies[0].url.endswith("/mal-pelayanan-publik-digital/"))

    def test_reason_sentences(self):
        peers = self.peers()
        self.assertEqual(
            peers[0].reason_id,
            "Kab. Sumedang naik dari 1,6 ke 3,2 pada Aspek Layanan Publik Berbasis Elektronik (2030→2032); 1 praktik baik",
        )
        self.assertEqual(
            peers[0].reason_en,
            "Kab. Sumedang rose from 1.6 to 3.2 on Aspect Electronic public services (2030→2032); 1 good practice",
        )
        self.assertEqual(
            peers[2].reason_id,
            "Kota Bandung naik dari 3 ke 4,5 pada Aspek Layanan Publik Berbasis Elektronik (2030→2032); belum ada praktik baik",
        )

    def test_limit_and_weights_are_settings(self):
        self.assertEqual(len(self.peers(limit=2)), 2)
        with self.settings(
            LIVINGLAB_PEER_WEIGHTS={"gain": 1.0, "similar_start": 0, "current": 0, "same_type": 0, "verified": 0}
        ):
            peers = self.peers()
        # Evidence first still; within each tier, the bigger climb first.
        self.assertEqual([p.region.code for p in peers], ["32.11", "35.10", "32.73", "32"])
        self.assertAlmostEqual(peers[2].score, 0.375, places=3)

    def test_official_values_win_over_computed_ones(self):
        aspect_value(self.jabar, Y2, 4.9, origin=Origin.COMPUTED)
        jabar = next(p for p in self.peers() if p.region.code == "32")
        self.assertEqual(jabar.after, Decimal("2.0"), "the imported value wins over the computed one")
        aspect_value(self.jabar, Y2, 1.2, origin=Origin.OFFICIAL)
        self.assertNotIn("32", [p.region.code for p in self.peers()], "official 1.2 < 1.5: no longer improved")

    def test_region_without_values_gets_no_peers(self):
        self.assertEqual(peers_for(Region.objects.get(code="11.01"), self.target, from_year=Y1, to_year=Y2), [])


class DomainPeerTests(SiteTestCase):
    """Domain-level peers on official values, as the official 2023–2024 results give them."""

    def test_domain_peers_use_official_improvement_and_default_years(self):
        framework = Framework.current()
        target = Target("domain", 4, framework)
        self.assertEqual(default_years(target), (2023, 2024))
        peers = peers_for(self.region_b, target, limit=50)
        self.assertTrue(peers)
        official = {
            (a.region.code, a.year): a.value
            for a in AggregateScore.objects.filter(scope="domain", number=4, origin=Origin.OFFICIAL)
        }
        for peer in peers:
            self.assertEqual(peer.origin, "official")
            self.assertEqual(peer.before, official[(peer.region.code, 2023)])
            self.assertEqual(peer.after, official[(peer.region.code, 2024)])
            self.assertGreater(peer.after, peer.before)
        self.assertIn("(2023→2024); belum ada praktik baik", peers[0].reason_id)


class ClaimVerificationTests(SiteTestCase):
    def claim(self, before, after):
        return CaseStudyIndicator(level_before=before, level_after=after)

    def test_rule(self):
        series = {2019: 1, 2021: 2, 2023: 3, 2024: 3}
        self.assertTrue(claim_is_verified(self.claim(1, 3), 2021, 2023, series))
        self.assertTrue(claim_is_verified(self.claim(1, 3), 2019, None, series), "ongoing: up to the latest")
        self.assertFalse(claim_is_verified(self.claim(2, 4), 2023, 2024, series), "no movement 2023→2024")
        self.assertFalse(claim_is_verified(self.claim(3, 1), 2019, 2023, series), "moved the other way")
        self.assertFalse(claim_is_verified(self.claim(1, 3), 2021, 2023, {}), "no scores: self-reported")
        self.assertFalse(claim_is_verified(self.claim(2, 2), 2019, 2023, series), "no change claimed")

    def test_a_practice_that_starts_before_any_evaluation_is_measured_from_the_first_one(self):
        """The claims rule's fallback: with no evaluation at or before the start year, the period starts at the
        region's first evaluation (not its second, and the claim is not left unverified)."""
        series = {2019: 1, 2021: 3, 2023: 3}
        self.assertTrue(claim_is_verified(self.claim(1, 3), 2015, 2021, series), "2019 (1) → 2021 (3)")
        self.assertFalse(claim_is_verified(self.claim(3, 1), 2015, 2021, series), "moved up, not down")
        self.assertTrue(claim_is_verified(self.claim(1, 2), 2017, None, series), "ongoing: 2019 → 2023")
