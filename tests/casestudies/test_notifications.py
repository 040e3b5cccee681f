"""Notifications that reach people: who gets which mail for each event, in Indonesian, with absolute links to the
admin page to act on, sent only once the change committed; nobody else gets it, and a failing mail server is logged."""

import re
import weakref

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from wagtail.admin import signal_handlers as wagtail_signal_handlers
from wagtail.models import TaskState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected
from wagtail.users.models import UserProfile

from casestudies.models import CaseStudyPage, ContentReport, Replication
from casestudies.services import officer_create
from tests.utils import PASSWORD, SiteTestCase, add_url, edit_url, make_case_study

BASE = "http://testserver"  # WAGTAILADMIN_BASE_URL in the test settings
URL = re.compile(r"https?://[^\s\"'<>]+")


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def to(message) -> list[str]:
    return list(message.to)


class NotificationTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        user_model = get_user_model()
        # People who must not get mail: a moderator without an address, a closed officer account of region A.
        cls.moderator_no_mail = user_model.objects.create_user("mod2", email="", password=PASSWORD)
        cls.moderator_no_mail.groups.add(cls.moderator.groups.get())
        cls.closed_officer = officer_create(
            region=cls.region_a, username="gone", email="gone@example.id", is_active=False
        )
        cls.second_officer = officer_create(region=cls.region_a, username="a2", email="a2@example.id")
        cls.case_study = make_case_study(cls.page_a, title="Kanal Aduan Terpadu", indicators=(42,))

    def login(self, user):
        self.client.logout()
        self.client.login(username=user.username, password=PASSWORD)

    def recipients(self) -> set[str]:
        return {address for message in mail.outbox for address in message.to}

    def links(self, message) -> list[str]:
        return URL.findall(message.body)

    # ------------------------------------------------------------ moderation (Wagtail's notifiers, deferred)

    def submit(self):
        self.login(self.officer_a)
        data = self.case_study_form(self.page_a, **{"action-submit": "1"})
        with self.captureOnCommitCallbacks() as callbacks:
            self.assertEqual(self.client.post(add_url(self.page_a), data).status_code, 302)
        self.assertEqual(mail.outbox, [], "nothing leaves before the submission commits")
        for callback in callbacks:
            callback()
        return CaseStudyPage.objects.get(slug="e-office-dan-tte")

    def test_wagtail_moderation_mails_are_deferred_to_our_receivers(self):
        for signal, notifier in (
            (task_submitted, wagtail_signal_handlers.task_submission_email_notifier),
            (workflow_approved, wagtail_signal_handlers.workflow_approval_email_notifier),
            (workflow_rejected, wagtail_signal_handlers.workflow_rejection_email_notifier),
        ):
            receivers = [
                ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref, *_r in signal.receivers
            ]
            self.assertNotIn(notifier, receivers, "Wagtail's notifier would send inside the request")
            self.assertTrue(any(getattr(r, "__qualname__", "").startswith("_deferring_receiver") for r in receivers))

    def test_a_submission_mails_the_moderators(self):
        page = self.submit()
        self.assertEqual(self.recipients(), {self.moderator.email})
        message = mail.outbox[0]
        self.assertIn("Pengajuan baru untuk ditinjau", message.subject)
        self.assertIn("E-office dan TTE di semua OPD", message.subject)
        self.assertIn("Yth. moderator", message.body)
        self.assertIn("Kabupaten Sumedang", message.body)
        self.assertIn(BASE + edit_url(page), self.links(message))
        self.assertTrue(all(link.startswith(BASE + "/") for link in self.links(message)), self.links(message))
        self.assertNotIn("has been submitted", message.body)

    def workflow_action(self, page, action, comment=""):
        task_state = TaskState.objects.get(revision__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        self.login(self.moderator)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"comment": comment})

    def test_sent_back_and_approved_mail_the_officer_who_submitted(self):
        page = self.submit()
        self.workflow_action(page, "reject", comment="Mohon lengkapi data biaya.")
        self.assertEqual(self.recipients(), {self.officer_a.email})
        message = mail.outbox[0]
        self.assertIn("Perlu perubahan", message.subject)
        self.assertIn("Mohon lengkapi data biaya.", message.body)
        self.assertIn(BASE + edit_url(page), self.links(message))

        self.login(self.officer_a)
        data = self.admin_form_data(edit_url(page))
        data["action-submit"] = "1"
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(edit_url(page), data)
        self.workflow_action(page, "approve", comment="Terima kasih.")
        self.assertEqual(self.recipients(), {self.officer_a.email})
        message = mail.outbox[0]
        self.assertIn("Disetujui dan terbit", message.subject)
        self.assertIn(CaseStudyPage.objects.get(pk=page.pk).full_url, self.links(message))

    # ------------------------------------------------------------ reader reports

    def report(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("report-case-study", args=[self.case_study.pk]), data)

    def test_a_report_mails_the_moderators_and_the_region_officers(self):
        self.report(reason="inaccurate", message="Angka biaya keliru, hubungi saya di 0812.")
        report = ContentReport.objects.get()
        self.assertEqual(self.recipients(), {self.moderator.email, self.officer_a.email, self.second_officer.email})
        by_address = {address: message for message in mail.outbox for address in message.to}
        self.assertEqual(len(mail.outbox), 3, "one mail per person")

        to_moderator = by_address[self.moderator.email]
        self.assertIn("Laporan pembaca baru", to_moderator.subject)
        self.assertIn("Isi tidak akurat", to_moderator.body)
        self.assertIn("Angka biaya keliru", to_moderator.body)
        self.assertIn(f"{BASE}/admin/content-reports/#report-{report.pk}", self.links(to_moderator))
        self.login(self.moderator)
        self.assertContains(self.client.get(reverse("content_reports")), f'id="report-{report.pk}"')

        to_officer = by_address[self.officer_a.email]
        self.assertIn("Praktik baik Anda dilaporkan pembaca", to_officer.subject)
        self.assertIn("Isi tidak akurat", to_officer.body)
        self.assertNotIn("0812", to_officer.body, "the reader's message stays with the moderators")
        self.assertEqual(self.links(to_officer), [BASE + edit_url(self.case_study)])

    def test_english_for_who_chose_it(self):
        profile = UserProfile.get_for_user(self.officer_a)
        profile.preferred_language = "en"
        profile.save()
        self.report(reason="outdated")
        message = next(m for m in mail.outbox if self.officer_a.email in m.to)
        self.assertIn("A reader reported your good practice", message.subject)
        self.assertIn("Out of date", message.body)

    def test_a_failing_mail_server_is_logged_and_the_reader_still_thanked(self):
        failing = override_settings(EMAIL_BACKEND="tests.casestudies.test_notifications.FailingBackend")
        with failing, self.assertLogs("casestudies.notifications", "ERROR") as logs:
            response = self.report(reason="other")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ContentReport.objects.exists())
        self.assertEqual(len(logs.records), 3)

    # ------------------------------------------------------------ replications

    def test_a_replication_mails_the_origin_region_officers(self):
        self.login(self.officer_b)
        url = reverse("case_study_replicate", args=[self.case_study.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url, {"start_year": "2024", "status": "in_progress", "note": "Sejak 2024 di semua kecamatan."}
            )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Replication.objects.filter(region=self.region_b).exists())
        self.assertEqual(self.recipients(), {self.officer_a.email, self.second_officer.email})
        message = mail.outbox[0]
        self.assertIn("Kabupaten Indramayu mereplikasi praktik baik Anda", message.subject)
        self.assertIn("Sejak 2024 di semua kecamatan.", message.body)
        self.assertIn("Sejak 2024; status: berjalan.", message.body)
        self.assertNotIn(self.officer_b.email, message.body)
        self.assertEqual(self.links(message), [self.case_study.full_url, BASE + edit_url(self.case_study)])

    def test_a_replication_taken_back_before_the_mail_left_sends_nothing(self):
        from casestudies.replications import replication_add, replication_remove

        with self.captureOnCommitCallbacks() as callbacks:
            replication = replication_add(case_study=self.case_study, region=self.region_b, user=self.officer_b)
            replication_remove(replication=replication, user=self.officer_b, user_region=self.region_b)
        for callback in callbacks:
            callback()
        self.assertEqual(mail.outbox, [])
