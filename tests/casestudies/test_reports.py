"""Readers report a case study; moderators hide it (it leaves the site and search), mark it edited or dismiss the
report; every step is in Wagtail's audit log; officers cannot act on reports."""

from django.urls import reverse

from wagtail.models import PageLogEntry

from casestudies.models import CaseStudyPage, ContentReport
from search.service import SearchRequest, search
from tests.utils import PASSWORD, SiteTestCase, make_case_study


class ReportTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.page = make_case_study(cls.page_a, title="Kanal Aduan Terpadu", indicators=(42,))

    def report(self, **data):
        return self.client.post(reverse("report-case-study", args=[self.page.pk]), data)

    def test_a_reader_reports_without_signing_in(self):
        form = self.client.get(reverse("report-case-study", args=[self.page.pk]))
        self.assertContains(form, "Laporkan praktik baik")
        response = self.report(reason="inaccurate", message="Angka <b>biaya</b> keliru.")
        self.assertRedirects(response, self.page.url, fetch_redirect_response=False)
        report = ContentReport.objects.get()
        self.assertEqual((report.reason, report.status, report.message), ("inaccurate", "open", "Angka biaya keliru."))
        self.assertTrue(PageLogEntry.objects.filter(page=self.page, action="livinglab.report.create").exists())
        self.assertContains(self.client.get(self.page.url), "Terima kasih")

    def test_bad_input_re_shows_the_form_and_saves_nothing(self):
        response = self.report(reason="because", message="x" * 1001)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'role="alert"', status_code=400)
        self.assertFalse(ContentReport.objects.exists())

    def test_drafts_cannot_be_reported(self):
        draft = make_case_study(self.page_a, title="Draf", live=False)
        response = self.client.post(reverse("report-case-study", args=[draft.pk]), {"reason": "other"})
        self.assertEqual(response.status_code, 404)

    def test_moderator_hides_it_everywhere_and_the_log_says_who(self):
        self.report(reason="personal_data")
        report = ContentReport.objects.get()
        self.client.login(username="moderator", password=PASSWORD)
        queue = self.client.get(reverse("content_reports"))
        self.assertContains(queue, "Kanal Aduan Terpadu")
        response = self.client.post(reverse("content_report_action", args=[report.pk, "hide"]))
        self.assertRedirects(response, reverse("content_reports"))
        report.refresh_from_db()
        self.assertEqual((report.status, report.handled_by), ("hidden", self.moderator))
        self.assertFalse(CaseStudyPage.objects.get(pk=self.page.pk).live)
        self.assertEqual(search(SearchRequest(q="aduan"), record=False).total, 0)
        actions = set(PageLogEntry.objects.filter(page=self.page).values_list("action", "user__username"))
        self.assertIn(("wagtail.unpublish", "moderator"), actions)
        self.assertIn(("livinglab.report.hide", "moderator"), actions)

    def test_dismiss_and_edited(self):
        self.report(reason="outdated")
        self.report(reason="other")
        first, second = ContentReport.objects.order_by("pk")
        self.client.login(username="moderator", password=PASSWORD)
        self.client.post(reverse("content_report_action", args=[first.pk, "dismiss"]))
        self.client.post(reverse("content_report_action", args=[second.pk, "edited"]))
        self.assertEqual(
            list(ContentReport.objects.order_by("pk").values_list("status", flat=True)), ["dismissed", "edited"]
        )
        self.assertTrue(CaseStudyPage.objects.get(pk=self.page.pk).live)
        logged = set(PageLogEntry.objects.filter(page=self.page).values_list("action", flat=True))
        self.assertTrue({"livinglab.report.dismiss", "livinglab.report.edited"} <= logged)

    def test_officers_cannot_act_on_reports(self):
        self.report(reason="other")
        report = ContentReport.objects.get()
        self.client.login(username="officer_a", password=PASSWORD)
        response = self.client.post(reverse("content_report_action", args=[report.pk, "hide"]))
        self.assertIn(response.status_code, (302, 403))
        report.refresh_from_db()
        self.assertEqual(report.status, "open")
        self.assertTrue(CaseStudyPage.objects.get(pk=self.page.pk).live)
