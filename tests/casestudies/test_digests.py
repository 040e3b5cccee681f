"""Follow an indicator or a region, and the weekly digest (issue 14, part 5): what is new that week on what a user
follows, sent once per user and ISO week by `send_digests`."""

import datetime
from io import StringIO

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from casestudies.digests import Digest, digest_for, send_digests, week_window
from casestudies.models import (
    AggregateScore,
    CaseStudyPage,
    DigestSent,
    Follow,
    Framework,
    Indicator,
    Origin,
    Question,
    Scope,
)
from casestudies.questions import question_answer, question_ask
from casestudies.services import follow_set
from tests.utils import PASSWORD, SiteTestCase, make_case_study

WEEK = "2026-W45"  # Monday 2026-11-02 … Sunday 2026-11-08
IN_WEEK = timezone.make_aware(datetime.datetime(2026, 11, 4, 10, 0))
BEFORE = timezone.make_aware(datetime.datetime(2026, 10, 28, 10, 0))


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


class FollowTests(SiteTestCase):
    def test_an_officer_follows_and_stops_following_an_indicator(self):
        self.client.login(username="officer_b", password=PASSWORD)
        page = self.client.get("/indikator/42/")
        self.assertContains(page, "Ikuti indikator 42")
        response = self.client.post("/ikuti/", {"indicator": "42", "follow": "on", "next": "/indikator/42/"})
        self.assertRedirects(response, "/indikator/42/", fetch_redirect_response=False)
        self.assertEqual(list(Follow.objects.values_list("user__username", "indicator__number")), [("officer_b", 42)])
        self.assertContains(self.client.get("/indikator/42/"), "Berhenti mengikuti indikator 42")
        self.client.post("/ikuti/", {"indicator": "42", "next": "/indikator/42/"})
        self.assertFalse(Follow.objects.exists())

    def test_a_region_from_its_dashboard(self):
        self.client.login(username="officer_b", password=PASSWORD)
        self.assertContains(self.client.get("/daerah/skor/32-11/"), "Ikuti Kabupaten Sumedang")
        self.client.post("/ikuti/", {"region": "32.11", "follow": "on", "next": "/daerah/skor/32-11/"})
        self.client.post("/ikuti/", {"region": "32.11", "follow": "on", "next": "/daerah/skor/32-11/"})  # twice: once
        self.assertEqual(list(Follow.objects.values_list("region__code", flat=True)), ["32.11"])
        self.assertContains(self.client.get("/daerah/skor/32-11/"), "Berhenti mengikuti Kabupaten Sumedang")

    def test_bad_requests_write_nothing(self):
        self.assertNotContains(self.client.get("/indikator/42/"), "Ikuti indikator", msg_prefix="anonymous: no button")
        response = self.client.post("/ikuti/", {"indicator": "42", "follow": "on", "next": "/indikator/42/"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.client.login(username="officer_b", password=PASSWORD)
        for data in ({}, {"indicator": "42", "region": "32.11"}, {"indicator": "99"}, {"indicator": "²"}, {"indicator": "٤٢"},
                     {"region": "99.99"}, {"region": "\x00"}, {"indicator": "9" * 5000}):  # fmt: skip
            with self.subTest(data=data):
                self.assertEqual(self.client.post("/ikuti/", {**data, "follow": "on"}).status_code, 400)
        response = self.client.post("/ikuti/", {"indicator": "42", "follow": "on", "next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(Follow.objects.count(), 1)
        self.assertEqual(self.client.get("/ikuti/").status_code, 405)


class DigestTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = Framework.current()
        cls.indicator = Indicator.objects.get(framework=cls.framework, number=42)
        follow_set(user=cls.officer_b, following=True, indicator=cls.indicator)
        follow_set(user=cls.officer_b, following=True, region=cls.region_a)
        cls.on_indicator = cls.published(make_case_study(cls.page_b, title="Aduan satu pintu", indicators=(42,)))
        cls.in_region = cls.published(make_case_study(cls.page_a, title="TTE Sumedang", indicators=(37,)))
        cls.earlier = cls.published(make_case_study(cls.page_b, title="Aduan lama", indicators=(42,)), BEFORE)
        cls.elsewhere = cls.published(make_case_study(cls.page_b, title="TTE Indramayu", indicators=(37,)))
        make_case_study(cls.page_a, title="Draf Sumedang", indicators=(42,), live=False)
        common = {"framework": cls.framework, "scope": Scope.INDEX, "number": 0, "source": "uji"}
        AggregateScore.objects.create(region=cls.region_a, year=2025, value=3.1, origin=Origin.IMPORTED, **common)
        AggregateScore.objects.create(region=cls.region_a, year=2022, value=2.9, origin=Origin.IMPORTED, **common)
        AggregateScore.objects.create(region=cls.region_a, year=2026, value=4.9, origin=Origin.SELF_ASSESSED, **common)
        AggregateScore.objects.update(created_at=None)  # the reference data: written before the field existed
        AggregateScore.objects.filter(region=cls.region_a, year__in=(2025, 2026)).update(created_at=IN_WEEK)

    @classmethod
    def published(cls, page, when=IN_WEEK):
        CaseStudyPage.objects.filter(pk=page.pk).update(first_published_at=when)
        return page

    def test_the_week_window(self):
        start, end = week_window(WEEK)
        self.assertEqual((start.date(), end.date()), (datetime.date(2026, 11, 2), datetime.date(2026, 11, 9)))
        for bad in ("2026-49", "2026-W54", "x"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                week_window(bad)

    def test_what_is_new_on_what_the_user_follows(self):
        digest = digest_for(self.officer_b, WEEK)
        self.assertEqual({p.title for p in digest.case_studies}, {"Aduan satu pintu", "TTE Sumedang"})
        self.assertEqual([(s.region.code, s.year) for s in digest.scores], [("32.11", 2025)])
        self.assertTrue(digest_for(self.officer_a, WEEK).is_empty, "officer A follows nothing")

    def test_sent_once_per_user_and_week(self):
        self.assertEqual(send_digests(week=WEEK), {"sent": 1, "empty": 0, "already": 0, "failed": 0})
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [self.officer_b.email])
        self.assertIn(WEEK, message.subject)
        self.assertIn("Aduan satu pintu", message.body)
        self.assertIn("TTE Sumedang", message.body)
        self.assertIn(self.on_indicator.full_url, message.body)
        self.assertIn("Kabupaten Sumedang 2025: 3,10 — Diimpor", message.body)
        self.assertNotIn("Aduan lama", message.body)
        self.assertNotIn("TTE Indramayu", message.body)
        self.assertNotIn("Draf Sumedang", message.body)
        self.assertNotIn("4,90", message.body, "another region's self-assessment")
        self.assertEqual(send_digests(week=WEEK), {"sent": 0, "empty": 0, "already": 1, "failed": 0})
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(send_digests(week="2026-W46")["empty"], 1, "nothing new the week after: no mail")
        self.assertEqual(len(mail.outbox), 1)

    def test_answered_questions_once_a_moderator_published_them_that_week(self):
        def answered(text, published_at=None):
            question = question_ask(
                user=self.officer_b, asking_region=self.region_b, case_study=self.in_region, text=text
            )
            question_answer(question=question, user=self.officer_a, user_region=self.region_a, answer=f"Ya: {text}")
            Question.objects.filter(pk=question.pk).update(published_at=published_at)

        answered("Terbit minggu ini?", IN_WEEK)
        answered("Dijawab, belum terbit?")
        answered("Terbit minggu lalu?", BEFORE)
        digest = digest_for(self.officer_b, WEEK)
        self.assertEqual([q.text for q in digest.questions], ["Terbit minggu ini?"])
        self.assertFalse(Digest(questions=digest.questions).is_empty, "a published answer alone is news")
        send_digests(week=WEEK)
        body = mail.outbox[-1].body
        self.assertIn("Tanya jawab baru", body)
        self.assertIn("Ya: Terbit minggu ini?", body)
        self.assertIn("dijawab Kabupaten Sumedang", body)
        self.assertIn(self.in_region.full_url + "#tanya-jawab", body)
        self.assertNotIn("belum terbit", body)
        self.assertNotIn("minggu lalu", body)

    @override_settings(EMAIL_BACKEND="tests.casestudies.test_digests.FailingBackend")
    def test_a_failed_mail_is_tried_again_next_run(self):
        with self.assertLogs("casestudies.digests", "ERROR"):
            self.assertEqual(send_digests(week=WEEK)["failed"], 1)
        self.assertFalse(DigestSent.objects.exists())
        with self.settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.assertEqual(send_digests(week=WEEK)["sent"], 1)

    def test_the_command(self):
        out = StringIO()
        call_command("send_digests", "--week", WEEK, stdout=out)
        self.assertIn(f"digests {WEEK}: 1 sent, 0 already sent, 0 with nothing new, 0 failed", out.getvalue())
        with self.assertRaisesMessage(CommandError, "not an ISO week"):
            call_command("send_digests", "--week", "minggu lalu")
