""" "Tanya daerah ini" (issue 14, part 3): an officer asks the region that published a case study, or a region that
made a step, a question; that region's officers answer in their workspace; both sides are e-mailed; a moderator
publishes useful pairs on the case study page; questions are rate-limited, in the audit log and reportable."""

from django.core import mail
from django.test import override_settings

from wagtail.models import ModelLogEntry

from casestudies.models import ContentReport, Indicator, IndicatorScore, Question, Region
from casestudies.questions import LOG_ANSWER, LOG_ASK, LOG_PUBLISH, LOG_WITHDRAW, question_answer, question_ask
from casestudies.reports import report_hide
from casestudies.services import officer_create, region_page_create
from tests.utils import PASSWORD, SiteTestCase, make_case_study

QUESTION = "Berapa biaya <b>lisensi</b> TTE per tahun?\n\n\n\nDan siapa yang melatih operator OPD?"


class QuestionCase(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="TTE di semua OPD", indicators=(37,))
        cls.ask_url = f"/admin/pertanyaan/tanya/praktik/{cls.case_study.pk}/"

    def ask(self, *, by=None, text="Berapa biayanya?", named=False, **about):
        about = about or {"case_study": self.case_study}
        return question_ask(
            user=by or self.officer_b, asking_region=self.region_b, text=text, name_asking_region=named, **about
        )

    def answered(self, **kwargs):
        question = self.ask(**kwargs)
        return question_answer(
            question=question, user=self.officer_a, user_region=self.region_a, answer="Rp 40 juta setahun."
        )

    def log_in(self, username):
        self.client.login(username=username, password=PASSWORD)

    def post(self, url, data=None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data or {})

    def section(self, url, marker):
        page = self.client.get(url).content.decode()
        return page.split(marker)[1].split("</section>")[0] if marker in page else ""


class AskTests(QuestionCase):
    def test_an_officer_asks_the_region_of_a_case_study_which_is_emailed(self):
        self.log_in("officer_b")
        self.assertIn(f'href="{self.ask_url}"', self.client.get(self.case_study.url).content.decode())
        form = self.client.get(self.ask_url)
        self.assertContains(form, "Tanya Kabupaten Sumedang")
        self.assertContains(form, "TTE di semua OPD")
        response = self.post(self.ask_url, {"text": QUESTION, "name_asking_region": "on"})
        question = Question.objects.get()
        self.assertRedirects(response, f"/admin/pertanyaan/{question.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            (question.region, question.asking_region, question.case_study_id, question.asked_by),
            (self.region_a, self.region_b, self.case_study.pk, self.officer_b),
        )
        self.assertEqual(
            question.text,
            "Berapa biaya lisensi TTE per tahun?\n\nDan siapa yang melatih operator OPD?",
            "tags stripped, paragraphs kept",
        )
        self.assertTrue(question.name_asking_region)
        [message] = mail.outbox
        self.assertEqual(message.to, ["a@example.id"], "the asked region's officers, not the asker")
        self.assertIn("Pertanyaan dari Kabupaten Indramayu", message.subject)
        self.assertIn("Dan siapa yang melatih operator OPD?", message.body)
        self.assertIn(f"/admin/pertanyaan/{question.pk}/", message.body, "a link to answer it")
        entry = ModelLogEntry.objects.get(action=LOG_ASK)
        self.assertEqual((entry.object_id, entry.user), (str(question.pk), self.officer_b))

    def test_an_officer_asks_a_region_that_made_a_step_from_the_step_page(self):
        indicator = Indicator.objects.get(number=42, framework__is_current=True)
        for year, level in ((2022, 2), (2023, 3)):
            IndicatorScore.objects.create(
                region=self.region_a, indicator=indicator, year=year, level=level, source="uji"
            )
        ask = "/admin/pertanyaan/tanya/indikator/42/langkah/2-3/32.11/"
        step_page = "/indikator/42/langkah/2-3/"
        self.assertNotIn(ask, self.client.get(step_page).content.decode(), "anonymous readers get no ask link")
        self.assertContains(self.client.get(step_page), "Petugas daerah yang masuk dapat bertanya")
        self.log_in("officer_b")
        regions = self.section(step_page, 'id="daerah"')
        self.assertIn(f'href="{ask}"', regions)
        self.assertIn("Tanya Kabupaten Sumedang", regions)
        silent = Region.objects.get(code="32.13")  # made the step too, but nobody there would read a question
        for year, level in ((2022, 2), (2023, 3)):
            IndicatorScore.objects.create(region=silent, indicator=indicator, year=year, level=level, source="uji")
        regions = self.section(step_page, 'id="daerah"')
        self.assertIn(silent.name, regions)
        self.assertNotIn("/langkah/2-3/32.13/", regions)
        self.assertIn("belum ada petugas", regions)
        self.log_in("officer_a")
        regions = self.section(step_page, 'id="daerah"')
        self.assertNotIn("Kabupaten Sumedang", regions, "an officer's own region is not listed to learn from")
        self.log_in("officer_b")
        form = self.client.get(ask)
        self.assertContains(form, "dari tingkat 2 ke 3 pada indikator 42")
        self.assertContains(form, "Tanya jawab tentang langkah jalur belajar tidak diterbitkan.")
        self.assertNotContains(form, "boleh disebut", msg_prefix="nothing to agree to: it is never published")
        response = self.post(ask, {"text": "Bagaimana SOP tindak lanjut aduan Anda disusun?"})
        question = Question.objects.get()
        self.assertRedirects(response, f"/admin/pertanyaan/{question.pk}/", fetch_redirect_response=False)
        self.assertEqual((question.indicator, question.step_from, question.case_study), (indicator, 2, None))
        self.assertIn("naik dari tingkat 2 ke 3 pada indikator 42", mail.outbox[0].body)

    def test_refusals_say_why_and_write_nothing(self):
        self.log_in("officer_a")
        own = self.client.get(self.ask_url)
        self.assertContains(own, "Ini daerah Anda sendiri")
        self.assertNotContains(own, "Kirim pertanyaan")
        self.assertEqual(self.post(self.ask_url, {"text": "Halo?"}).status_code, 400)
        self.assertNotIn(self.ask_url, self.client.get(self.case_study.url).content.decode(), "not offered either")
        self.log_in("officer_b")
        for bad in ({"text": ""}, {"text": "<p> </p>"}, {"text": "x" * 2001}):
            with self.subTest(bad=bad):
                self.assertEqual(self.post(self.ask_url, bad).status_code, 400)
        draft = make_case_study(self.page_a, title="Draf", live=False)
        self.assertEqual(self.client.get(f"/admin/pertanyaan/tanya/praktik/{draft.pk}/").status_code, 404)
        for url in (
            "/admin/pertanyaan/tanya/indikator/42/langkah/2-4/32.11/",
            "/admin/pertanyaan/tanya/indikator/99/langkah/2-3/32.11/",
            "/admin/pertanyaan/tanya/indikator/42/langkah/2-3/99.99/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        # A region on the platform without an active officer: nobody would read the question.
        silent = Region.objects.get(code="32.13")
        silent_case_study = make_case_study(region_page_create(region=silent), title="Tanpa petugas")
        response = self.client.get(f"/admin/pertanyaan/tanya/praktik/{silent_case_study.pk}/")
        self.assertContains(response, "belum punya petugas aktif")
        self.assertEqual(self.section(silent_case_study.url, 'id="tanya"'), "", "not offered on its page")
        self.log_in("moderator")
        self.assertContains(self.client.get(self.ask_url), "Hanya petugas daerah yang bisa bertanya")
        self.client.logout()
        self.assertEqual(self.client.get(self.ask_url).status_code, 302, "to the admin login")
        self.assertIn(
            "/admin/login/?next=/admin/pertanyaan/tanya/praktik/",
            self.section(self.case_study.url, 'id="tanya"'),
            "a reader is asked to sign in",
        )
        self.assertFalse(Question.objects.exists())
        self.assertEqual(mail.outbox, [])

    @override_settings(LIVINGLAB_RATE_LIMITS={"question": (2, 86400), "report": (5, 3600)})
    def test_questions_are_rate_limited_per_officer(self):
        self.log_in("officer_b")
        for n in range(2):
            self.assertEqual(self.post(self.ask_url, {"text": f"Pertanyaan {n}"}).status_code, 302)
        refused = self.post(self.ask_url, {"text": "Pertanyaan ketiga"})
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Retry-After", refused)
        self.assertContains(refused, "banyak pertanyaan hari ini", status_code=429)
        self.assertEqual(Question.objects.count(), 2)
        officer_create(region=self.region_b, username="officer_b2", email="b2@example.id", password=PASSWORD)
        self.log_in("officer_b2")
        self.assertEqual(self.post(self.ask_url, {"text": "Dari rekan"}).status_code, 302, "counted per officer")


class AnswerTests(QuestionCase):
    def test_the_region_answers_from_its_workspace_and_the_asker_is_emailed(self):
        question = self.ask(text=QUESTION)
        mail.outbox.clear()
        detail = f"/admin/pertanyaan/{question.pk}/"
        self.log_in("officer_a")
        workspace = self.client.get("/admin/").content.decode().split('id="workspace-questions"')[1]
        self.assertIn(f'href="{detail}"', workspace.split("</ul>")[0])
        inbox = self.client.get("/admin/pertanyaan/").content.decode().split('id="questions-open"')[1]
        self.assertIn("Berapa biaya lisensi TTE", inbox.split("</table>")[0])
        self.assertContains(self.client.get(detail), "Kirim jawaban")
        response = self.post(detail, {"answer": "Rp 40 juta setahun.\n\nPelatihnya <script>x</script>BSrE."})
        self.assertRedirects(response, detail, fetch_redirect_response=False)
        question.refresh_from_db()
        self.assertEqual(question.answer, "Rp 40 juta setahun.\n\nPelatihnya BSrE.")
        self.assertEqual(question.answered_by, self.officer_a)
        [message] = mail.outbox
        self.assertEqual(message.to, ["b@example.id"])
        self.assertIn("Kabupaten Sumedang menjawab pertanyaan Anda", message.subject)
        self.assertIn("Pelatihnya BSrE.", message.body)
        self.assertNotIn('id="workspace-questions"', self.client.get("/admin/").content.decode(), "answered")
        self.post(detail, {"answer": "Rp 45 juta setahun."})
        question.refresh_from_db()
        self.assertEqual(question.answer, "Rp 45 juta setahun.", "corrected until published")
        self.assertEqual(len(mail.outbox), 1, "a correction is not e-mailed again")
        self.assertEqual(ModelLogEntry.objects.filter(action=LOG_ANSWER, object_id=str(question.pk)).count(), 2)
        self.log_in("officer_b")
        asker_view = self.client.get(detail)
        self.assertContains(asker_view, "Rp 45 juta setahun.")
        self.assertNotContains(asker_view, "Kirim jawaban")
        self.assertNotContains(asker_view, "Perbarui jawaban")

    def test_only_the_two_regions_and_moderators_see_a_question(self):
        question = self.ask()
        detail = f"/admin/pertanyaan/{question.pk}/"
        officer_create(
            region=Region.objects.get(code="32.13"), username="officer_c", email="c@example.id", password=PASSWORD
        )
        region_page_create(region=Region.objects.get(code="32.13"))
        self.log_in("officer_c")
        self.assertRedirects(self.client.get(detail), "/admin/", fetch_redirect_response=False)  # refused
        self.assertNotContains(self.client.get("/admin/pertanyaan/"), "Berapa biayanya?")
        self.log_in("officer_b")
        self.assertRedirects(
            self.post(detail, {"answer": "Saya jawab sendiri"}), "/admin/", fetch_redirect_response=False
        )
        self.log_in("moderator")
        self.assertContains(self.client.get(detail), "Berapa biayanya?")
        self.assertRedirects(
            self.post(detail, {"answer": "Moderator menjawab"}), "/admin/", fetch_redirect_response=False
        )
        self.assertEqual(self.client.get("/admin/pertanyaan/999999/").status_code, 404)
        question.refresh_from_db()
        self.assertFalse(question.is_answered)
        self.assertEqual(self.post(detail, {"answer": ""}).status_code, 302, "still refused, not a 500")


class PublishTests(QuestionCase):
    def publish(self, question, action="publish"):
        return self.post(f"/admin/pertanyaan/{question.pk}/{action}/")

    def test_a_moderator_publishes_a_useful_question_on_the_case_study_page(self):
        anonymous = self.answered(text="Berapa biaya lisensi TTE?")
        named = self.answered(text="Siapa yang melatih operator?", named=True)
        self.assertEqual(self.section(self.case_study.url, 'id="tanya-jawab"'), "", "nothing public before")
        self.log_in("officer_a")
        self.publish(anonymous)
        anonymous.refresh_from_db()
        self.assertFalse(anonymous.is_published, "officers do not publish")
        self.log_in("moderator")
        self.assertContains(self.client.get("/admin/"), "2 tanya jawab terjawab, belum diterbitkan")
        self.assertContains(self.client.get(f"/admin/pertanyaan/{anonymous.pk}/"), "Terbitkan di halaman praktik baik")
        self.publish(anonymous)
        listing = self.client.get("/admin/pertanyaan/").content.decode().split('id="questions-publishable"')[1]
        self.assertLess(listing.index("Siapa yang melatih"), listing.index("Berapa biaya"), "unpublished first")
        self.publish(named)
        self.client.logout()
        public = self.section(self.case_study.url, 'id="tanya-jawab"')
        self.assertIn("Berapa biaya lisensi TTE?", public)
        self.assertIn("Rp 40 juta setahun.", public)
        self.assertIn("Petugas daerah lain bertanya", public, "the asking region did not agree to be named")
        self.assertIn("Kabupaten Indramayu bertanya", public, "this one agreed")
        self.assertEqual(public.count("Kabupaten Indramayu"), 1)
        self.assertIn("Jawaban Kabupaten Sumedang", public)
        self.assertNotIn("officer_b", public, "the asker's name is never public")
        self.assertTrue(ModelLogEntry.objects.filter(action=LOG_PUBLISH, object_id=str(named.pk)).exists())
        self.log_in("officer_a")
        self.assertContains(self.client.get(f"/admin/pertanyaan/{named.pk}/"), "minta moderator menariknya")
        refused = self.post(f"/admin/pertanyaan/{named.pk}/", {"answer": "Diubah setelah terbit"})
        self.assertRedirects(refused, "/admin/", fetch_redirect_response=False)
        named.refresh_from_db()
        self.assertEqual(named.answer, "Rp 40 juta setahun.", "a published answer is not changed behind the moderator")
        self.log_in("moderator")
        self.publish(named, "withdraw")
        self.assertNotIn("Siapa yang melatih", self.section(self.case_study.url, 'id="tanya-jawab"'))
        self.assertTrue(ModelLogEntry.objects.filter(action=LOG_WITHDRAW, object_id=str(named.pk)).exists())

    def test_unanswered_and_step_questions_are_not_published(self):
        unanswered = self.ask()
        step = self.ask(
            indicator=Indicator.objects.get(number=42, framework__is_current=True), step_from=2, region=self.region_a
        )
        question_answer(question=step, user=self.officer_a, user_region=self.region_a, answer="Dengan SOP.")
        self.log_in("moderator")
        for question, reason in ((unanswered, "belum dijawab"), (step, "Hanya pertanyaan tentang satu praktik baik")):
            with self.subTest(reason=reason):
                response = self.client.post(f"/admin/pertanyaan/{question.pk}/publish/", follow=True)
                self.assertContains(response, reason)
                question.refresh_from_db()
                self.assertFalse(question.is_published)
        self.assertEqual(
            self.client.post(f"/admin/pertanyaan/{step.pk}/terbit/").status_code, 302, "unknown action refused"
        )

    def test_a_published_question_is_reportable_and_an_upheld_report_withdraws_it(self):
        question = self.answered()
        unpublished = self.answered(text="Belum terbit")
        self.log_in("moderator")
        self.publish(question)
        self.client.logout()
        report_url = f"/laporkan/tanya-jawab/{question.pk}/"
        self.assertIn(f'href="{report_url}"', self.section(self.case_study.url, 'id="tanya-jawab"'))
        self.assertEqual(self.client.get(f"/laporkan/tanya-jawab/{unpublished.pk}/").status_code, 404)
        self.assertContains(self.client.get(report_url), "Laporkan tanya jawab")
        mail.outbox.clear()
        response = self.post(report_url, {"reason": "personal_data", "message": "Ada nomor HP warga."})
        self.assertRedirects(response, self.case_study.url + "#tanya-jawab", fetch_redirect_response=False)
        report = ContentReport.objects.get()
        self.assertEqual((report.page_id, report.question), (self.case_study.pk, question))
        self.assertTrue(any("Yang dilaporkan: satu tanya jawab" in m.body for m in mail.outbox))
        self.log_in("moderator")
        self.assertContains(self.client.get("/admin/content-reports/"), "Tarik tanya jawab")
        self.post(f"/admin/content-reports/{report.pk}/hide/")
        question.refresh_from_db()
        report.refresh_from_db()
        self.assertFalse(question.is_published)
        self.assertEqual(report.status, ContentReport.Status.HIDDEN)
        self.case_study.refresh_from_db()
        self.assertTrue(self.case_study.live, "the case study itself stays published")
        self.assertEqual(self.client.get(report_url).status_code, 404)

    def test_a_report_on_the_case_study_still_unpublishes_it(self):
        question = self.answered()
        self.log_in("moderator")
        self.publish(question)
        report = ContentReport.objects.create(page=self.case_study, reason="inaccurate")
        report_hide(report=report, user=self.moderator)
        self.case_study.refresh_from_db()
        self.assertFalse(self.case_study.live)
        self.assertEqual(self.client.get(f"/laporkan/tanya-jawab/{question.pk}/").status_code, 404, "not public")
