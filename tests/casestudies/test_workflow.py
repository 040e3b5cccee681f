"""Moderation end to end, through the admin views: officer submits → moderator requests changes
with a comment → officer resubmits → moderator approves → the public sees it."""

from django.core import mail
from django.urls import reverse

from wagtail.models import TaskState

from casestudies.models import CaseStudyPage
from tests.utils import PASSWORD, SiteTestCase, add_url, edit_url


class ModerationWorkflowTests(SiteTestCase):
    def login(self, user):
        self.client.logout()
        self.client.login(username=user.username, password=PASSWORD)

    def task_action(self, page, action, comment=""):
        task_state = TaskState.objects.get(revision__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"comment": comment})

    def test_submit_request_changes_resubmit_approve(self):
        # The officer of region A writes a case study and submits it for moderation.
        self.login(self.officer_a)
        data = self.case_study_form(self.page_a, **{"action-submit": "1"})
        with self.captureOnCommitCallbacks(execute=True):  # the mails leave once the submission commits
            response = self.client.post(add_url(self.page_a), data)
        self.assertEqual(response.status_code, 302)
        page = CaseStudyPage.objects.get(slug="e-office-dan-tte")
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_state.status, "in_progress")
        self.assertEqual(self.client.get("/daerah/").status_code, 200)
        self.assertEqual(self.client.get(page.url).status_code, 404, "a draft is not public")
        # Moderators are told there is work.
        self.assertIn(self.moderator.email, [r for m in mail.outbox for r in m.to])
        mail.outbox.clear()

        # The moderator sees it waiting on the dashboard and requests changes with a comment.
        self.login(self.moderator)
        dashboard = self.client.get("/admin/")
        self.assertContains(dashboard, "E-office dan TTE di semua OPD")
        self.task_action(page, "reject", comment="Mohon lengkapi data biaya dan hasil terukur.")
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertEqual(page.workflow_states.order_by("-created_at").first().status, "needs_changes")
        to_officer = [m for m in mail.outbox if self.officer_a.email in m.to]
        self.assertTrue(to_officer, "the officer is notified")
        self.assertIn("Mohon lengkapi data biaya dan hasil terukur.", to_officer[0].body)
        mail.outbox.clear()

        # The officer edits and resubmits.
        self.login(self.officer_a)
        data = self.admin_form_data(
            edit_url(page),
            **{"cost_idr": "150000000", "results": self.rich("<p>Waktu proses surat turun dari 5 hari ke 1 hari.</p>")},
        )
        data["action-submit"] = "1"
        self.client.post(edit_url(page), data)
        page.refresh_from_db()
        self.assertEqual(page.current_workflow_state.status, "in_progress")

        # The moderator approves: the page is published, the officer is told, the public sees it.
        self.login(self.moderator)
        self.task_action(page, "approve", comment="Terima kasih.")
        page = CaseStudyPage.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.assertEqual(page.cost_idr, 150000000)
        self.assertTrue([m for m in mail.outbox if self.officer_a.email in m.to])
        self.client.logout()
        public = self.client.get(page.url)
        self.assertContains(public, "Waktu proses surat turun dari 5 hari ke 1 hari.")
        self.assertContains(public, "Indikator 37")

    def test_officer_cannot_skip_moderation(self):
        self.login(self.officer_a)
        data = self.case_study_form(self.page_a, **{"action-publish": "1"})
        self.client.post(add_url(self.page_a), data)
        self.assertFalse(CaseStudyPage.objects.get(slug="e-office-dan-tte").live)

    def test_admin_form_requires_an_indicator_and_shows_why(self):
        self.login(self.officer_a)
        empty_claim = {f"indicator_claims-0-{f}": "" for f in ("indicator", "level_before", "level_after")}
        response = self.client.post(add_url(self.page_a), self.case_study_form(self.page_a, **empty_claim))
        self.assertEqual(response.status_code, 200)
        claim_errors = response.context["form"].formsets["indicator_claims"].forms[0].errors
        self.assertIn("harus diisi", str(claim_errors["indicator"]))
        self.assertFalse(CaseStudyPage.objects.filter(slug="e-office-dan-tte").exists())

    def test_admin_form_rejects_the_same_indicator_twice(self):
        self.login(self.officer_a)
        data = self.case_study_form(self.page_a)
        data["indicator_claims-TOTAL_FORMS"] = "2"
        data["indicator_claims-1-indicator"] = data["indicator_claims-0-indicator"]
        data["indicator_claims-1-ORDER"] = "2"
        response = self.client.post(add_url(self.page_a), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Setiap indikator hanya boleh dipilih sekali.")
        self.assertFalse(CaseStudyPage.objects.filter(slug="e-office-dan-tte").exists())

    def test_admin_form_rejects_level_after_below_before(self):
        self.login(self.officer_a)
        data = self.case_study_form(
            self.page_a, **{"indicator_claims-0-level_before": "4", "indicator_claims-0-level_after": "2"}
        )
        response = self.client.post(add_url(self.page_a), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tingkat sesudah tidak boleh lebih rendah")
        self.assertFalse(CaseStudyPage.objects.filter(slug="e-office-dan-tte").exists())
