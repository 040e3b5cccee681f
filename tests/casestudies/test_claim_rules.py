"""The claim-verification rule and keeping each claim's stored flag current, on hand-built scenarios."""

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudyIndicator, Indicator, IndicatorScore, Origin, Region
from casestudies.scores.claims import MAX_SELECTED_REGIONS, claim_is_verified, claims_verify
from casestudies.signals import case_studies_changed
from tests.casestudies.test_peers import level
from tests.utils import SiteTestCase, make_case_study

Y1, Y2, Y3 = 2030, 2032, 2034  # years no shipped data uses


def claim(before, after):
    return CaseStudyIndicator(level_before=before, level_after=after)


class ClaimRuleTests(SimpleTestCase):
    """`claim_is_verified` on a region's series of levels (year → level) for the claimed indicator."""

    def test_a_finished_practice_is_judged_up_to_its_end_year_not_by_later_evaluations(self):
        """The period ends at the last evaluation at or before the end year: what happens after does not count."""
        fell_afterwards = {Y1: 1, Y2: 3, Y3: 1}
        self.assertTrue(claim_is_verified(claim(1, 3), Y1, Y2, fell_afterwards), "1 → 3 over Y1–Y2")
        rose_afterwards = {Y1: 1, Y2: 1, Y3: 3}
        self.assertFalse(claim_is_verified(claim(1, 3), Y1, Y2, rose_afterwards), "flat over Y1–Y2")

    def test_a_one_year_practice_is_measured_against_the_next_years_evaluation_and_no_later(self):
        """A practice that starts and ends in the same year runs from that year's evaluation to the next year's."""
        series = {Y1: 1, Y1 + 1: 3, Y1 + 2: 1}
        self.assertTrue(claim_is_verified(claim(1, 3), Y1, Y1, series), "Y1 (1) → Y1+1 (3)")
        self.assertFalse(claim_is_verified(claim(1, 3), Y1, Y1, {Y1: 1, Y1 + 1: 1, Y1 + 2: 3}), "flat Y1 → Y1+1")

    def test_no_evaluation_after_the_start_leaves_the_claim_self_reported(self):
        """With no evaluation after the period's first one there is no movement to see: not verified (also a rise
        before the practice started does not count)."""
        self.assertFalse(claim_is_verified(claim(1, 3), Y1, Y2, {Y1 - 2: 1, Y1: 3}), "finished practice")
        self.assertFalse(claim_is_verified(claim(1, 3), Y1, None, {Y1: 1}), "ongoing practice")

    def test_a_fall_in_the_scores_does_not_verify_a_claimed_rise(self):
        self.assertFalse(claim_is_verified(claim(1, 3), Y1, Y2, {Y1: 3, Y2: 1}))

    def test_a_claimed_fall_is_verified_by_a_fall_only(self):
        """'Moved the same way' holds for a fall too: flat scores do not verify it (the editor and the import refuse
        such claims, but the rule is symmetric)."""
        self.assertTrue(claim_is_verified(claim(3, 1), Y1, Y2, {Y1: 3, Y2: 1}), "fell as claimed")
        self.assertFalse(claim_is_verified(claim(3, 1), Y1, Y2, {Y1: 2, Y2: 2}), "flat scores")

    def test_a_claim_of_no_change_is_never_verified(self):
        """A claim with equal levels before and after claims no movement, whichever way the scores moved."""
        for series in ({Y1: 3, Y2: 1}, {Y1: 1, Y2: 3}, {Y1: 2, Y2: 2}):
            with self.subTest(series=series):
                self.assertFalse(claim_is_verified(claim(2, 2), Y1, Y2, series))


class StoredFlagTests(SiteTestCase):
    """The stored `verified` flag of a claim and the `case_studies_changed` announcements, kept by score writes
    (each `IndicatorScore` save re-checks its region's claims) and by `claims_verify`."""

    def practice(self, parent=None, *, before=1, after=3, indicator=42, year_start=Y1, year_end=Y2, title="Praktik"):
        """A published case study of region A (or `parent`) with one level claim."""
        page = make_case_study(
            parent or self.page_a, title=title, indicators=(indicator,), year_start=year_start, year_end=year_end
        )
        CaseStudyIndicator.objects.filter(page=page).update(level_before=before, level_after=after)
        return page

    @staticmethod
    def flag(page, indicator=42):
        return CaseStudyIndicator.objects.get(page=page, indicator__number=indicator).verified

    def announcements(self, sender=CaseStudyIndicator):
        """The page-id sets announced from now on by `sender` (the claim model: a flag flipped)."""
        received = []

        def receiver(sender, page_ids, **kwargs):
            received.append(set(page_ids))

        case_studies_changed.connect(receiver, sender=sender, weak=False)
        self.addCleanup(case_studies_changed.disconnect, receiver, sender=sender)
        return received

    def test_a_score_write_that_confirms_a_claim_flips_its_flag_and_announces_the_case_study(self):
        page = self.practice()
        announced = self.announcements()
        level(self.region_a, 42, Y1, 1)
        self.assertFalse(self.flag(page), "one evaluation: nothing moved yet")
        self.assertEqual(announced, [])
        level(self.region_a, 42, Y2, 3)
        self.assertTrue(self.flag(page))
        self.assertEqual(announced, [{page.pk}], "search re-indexes exactly this case study")

    def test_claims_verify_returns_and_announces_the_case_studies_whose_flag_flipped(self):
        confirmed, unconfirmed = self.practice(title="Naik"), self.practice(title="Tetap", indicator=43)
        CaseStudyIndicator.objects.filter(page=unconfirmed).update(verified=True)  # stale: its scores stay flat
        IndicatorScore.objects.bulk_create(  # no per-row signals: the flags are now behind the scores
            IndicatorScore(
                region=self.region_a, indicator=Indicator.objects.get(number=n), year=y, level=v, source="uji"
            )
            for n, y, v in ((42, Y1, 1), (42, Y2, 3), (43, Y1, 2), (43, Y2, 2))
        )
        announced = self.announcements()
        self.assertEqual(claims_verify(region_ids=[self.region_a.pk]), {confirmed.pk, unconfirmed.pk})
        self.assertEqual((self.flag(confirmed), self.flag(unconfirmed, 43)), (True, False))
        self.assertEqual(announced, [{confirmed.pk, unconfirmed.pk}])

    def test_a_check_that_flips_nothing_announces_nothing(self):
        page = self.practice()
        level(self.region_a, 42, Y1, 1)
        level(self.region_a, 42, Y2, 3)
        announced = self.announcements()
        self.assertEqual(claims_verify(), set())
        self.assertEqual(claims_verify(page_ids=[page.pk]), set())
        self.assertEqual(claims_verify(region_ids=[self.region_a.pk]), set())
        self.assertEqual(announced, [], "nothing flipped: no re-index")

    def test_the_publish_path_gets_the_flipped_case_studies_without_an_announcement(self):
        """With announce=False (publishing announces the page itself, once) the flips are returned, not sent."""
        page = self.practice()
        CaseStudyIndicator.objects.filter(page=page).update(verified=True)  # no scores: should be self-reported
        announced = self.announcements()
        self.assertEqual(claims_verify(page_ids=[page.pk], announce=False), {page.pk})
        self.assertFalse(self.flag(page))
        self.assertEqual(announced, [])

    def test_a_finished_practice_keeps_its_flag_when_scores_fall_after_its_end(self):
        page = self.practice(year_start=Y1, year_end=Y2)
        level(self.region_a, 42, Y1, 1)
        level(self.region_a, 42, Y2, 3)
        level(self.region_a, 42, Y3, 1)
        self.assertTrue(self.flag(page), "1 → 3 over the practice's period Y1–Y2")

    def test_an_ongoing_practice_is_judged_up_to_the_latest_evaluation(self):
        page = self.practice(year_start=Y1, year_end=None)
        level(self.region_a, 42, Y1, 1)
        level(self.region_a, 42, Y2, 3)
        level(self.region_a, 42, Y3, 1)
        self.assertFalse(self.flag(page), "Y1 (1) → Y3 (1): no movement")

    def test_a_claim_with_only_one_level_is_self_reported(self):
        """A claim missing its level before or after is not checked: the scores may rise, it stays unverified."""
        only_before = self.practice(title="Sebelum", before=2, after=None)
        only_after = self.practice(title="Sesudah", before=None, after=4)
        level(self.region_a, 42, Y1, 2)
        level(self.region_a, 42, Y2, 4)
        self.assertEqual((self.flag(only_before), self.flag(only_after)), (False, False))

    def test_a_regions_self_assessment_does_not_verify_its_own_claims(self):
        page = self.practice(indicator=42)
        control = self.practice(title="Kontrol", indicator=43)
        for year, value in ((Y1, 1), (Y2, 3)):
            IndicatorScore.objects.create(
                region=self.region_a,
                indicator=Indicator.objects.get(number=42),
                year=year,
                level=value,
                source="uji",
                origin=Origin.SELF_ASSESSED,
            )
            level(self.region_a, 43, year, value)  # the same rise, imported
        self.assertFalse(self.flag(page), "self-assessed 1 → 3")
        self.assertTrue(self.flag(control, 43), "imported 1 → 3")

    def test_a_score_write_for_a_few_regions_rechecks_only_their_claims(self):
        """However many regions a write names (up to the selection limit), other regions' claims are not touched:
        a planted stale flag in region B shows which claims were re-checked."""
        a = self.practice()
        b = self.practice(self.page_b, title="Praktik B")
        others = list(
            Region.objects.exclude(pk__in=[self.region_a.pk, self.region_b.pk]).values_list("pk", flat=True)[
                : MAX_SELECTED_REGIONS - 1
            ]
        )
        for region_ids in ([self.region_a.pk], [self.region_a.pk, *others]):
            with self.subTest(regions=len(region_ids)):
                CaseStudyIndicator.objects.update(verified=True)  # neither has scores: both stale
                self.assertEqual(claims_verify(region_ids=region_ids), {a.pk})
                self.assertEqual((self.flag(a), self.flag(b)), (False, True))

    def test_checking_claims_costs_the_same_queries_however_many_claims_there_are(self):
        """A score write re-checks its region's claims in a fixed number of queries, not one more per claim or
        case study."""
        level(self.region_a, 42, Y1, 1)
        level(self.region_a, 42, Y2, 3)

        def queries():
            claims_verify(region_ids=[self.region_a.pk])  # settle the flags: both counts see no flip
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(claims_verify(region_ids=[self.region_a.pk]), set())
            return len(ctx.captured_queries)

        self.practice(title="Satu")
        one = queries()
        for title in ("Dua", "Tiga"):
            self.practice(title=title)
        self.assertEqual(queries(), one)
        self.assertEqual(CaseStudyIndicator.objects.filter(verified=True).count(), 3, "all three checked")
