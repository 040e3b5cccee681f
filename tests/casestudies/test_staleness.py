"""Staleness: 24 months without confirmation, or a newer evaluation of the region, marks a case study; its owners
see it on their admin home and can confirm it is still accurate (logged)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageLogEntry

from casestudies.models import AggregateScore, CaseStudyPage, Framework, Origin
from casestudies.staleness import stale_for_user, staleness_of
from tests.utils import PASSWORD, SiteTestCase, make_case_study


def published_on(page, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    CaseStudyPage.objects.filter(pk=page.pk).update(last_published_at=moment, first_published_at=moment)
    return CaseStudyPage.objects.get(pk=page.pk)


class StalenessTests(SiteTestCase):
    def test_rules(self):
        today = datetime.date(2027, 6, 1)
        fresh = published_on(make_case_study(self.page_a, title="Segar"), datetime.date(2026, 1, 10))
        old = published_on(make_case_study(self.page_a, title="Lama"), datetime.date(2025, 5, 1))
        (fresh_state, old_state) = staleness_of([fresh, old], today=today)
        self.assertFalse(fresh_state.is_stale)
        self.assertTrue(old_state.too_old)
        AggregateScore.objects.create(
            region=self.region_a, framework=Framework.current(), year=2026, scope="index", number=0,
            value=3, origin=Origin.IMPORTED, source="uji",
        )  # fmt: skip
        (fresh_state,) = staleness_of([fresh], today=today)
        self.assertEqual(fresh_state.newer_evaluation, 2026)  # evaluated after it was last confirmed
        fresh.last_verified = datetime.date(2027, 5, 1)
        (fresh_state,) = staleness_of([fresh], today=today)
        self.assertFalse(fresh_state.is_stale)

    def test_officer_sees_and_confirms_only_their_region(self):
        mine = published_on(make_case_study(self.page_a, title="Milik A"), datetime.date(2020, 1, 1))
        published_on(make_case_study(self.page_b, title="Milik B"), datetime.date(2020, 1, 1))
        self.assertEqual([s.page.pk for s in stale_for_user(self.officer_a)], [mine.pk])
        self.client.login(username="officer_a", password=PASSWORD)
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(home, "Praktik baik yang perlu diperiksa")
        self.assertContains(home, "Milik A")
        self.assertNotContains(home, "Milik B")
        self.client.post(reverse("case_study_confirm", args=[mine.pk]))
        self.assertEqual(CaseStudyPage.objects.get(pk=mine.pk).last_verified, timezone.localdate())
        self.assertTrue(PageLogEntry.objects.filter(page=mine, action="livinglab.case_study.confirm").exists())
        self.assertEqual(stale_for_user(self.officer_a), [])

    def test_officer_cannot_confirm_another_region(self):
        theirs = make_case_study(self.page_b, title="Milik B")
        self.client.login(username="officer_a", password=PASSWORD)
        response = self.client.post(reverse("case_study_confirm", args=[theirs.pk]))
        self.assertIn(response.status_code, (302, 403))
        self.assertIsNone(CaseStudyPage.objects.get(pk=theirs.pk).last_verified)

    def test_public_page_says_it_needs_updating(self):
        old = published_on(make_case_study(self.page_a, title="Lama"), datetime.date(2019, 5, 1))
        response = self.client.get(old.url)
        self.assertContains(response, "Perlu diperbarui")
        self.assertContains(response, "Terakhir dikonfirmasi")
