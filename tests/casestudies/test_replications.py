"""'Add your region as a replicator': officers record that their region applies another region's case study."""

from django.core.exceptions import ValidationError

from wagtail.models import PageLogEntry

from casestudies.models import Replication
from casestudies.replications import LOG_ADD, LOG_REMOVE, replication_add
from tests.utils import PASSWORD, SiteTestCase, make_case_study


class ReplicationTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Mal Pelayanan Publik Digital", indicators=(42,))
        cls.url = f"/admin/case-studies/{cls.case_study.pk}/replicate/"

    def test_the_service_records_a_region_once_never_its_own_and_logs_it(self):
        replication = replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, note="<b>Sejak</b> 2024"
        )
        self.assertEqual(replication.note, "Sejak 2024", "plain text only")
        entry = PageLogEntry.objects.get(page=self.case_study, action=LOG_ADD)
        self.assertEqual((entry.user, entry.data), (self.officer_b, {"region": "32.12"}))
        with self.assertRaisesMessage(ValidationError, "sudah tercatat"):
            replication_add(case_study=self.case_study, region=self.region_b, user=self.officer_b)
        with self.assertRaisesMessage(ValidationError, "daerah Anda sendiri"):
            replication_add(case_study=self.case_study, region=self.region_a, user=self.officer_a)
        draft = make_case_study(self.page_a, title="Belum terbit", live=False)
        with self.assertRaisesMessage(ValidationError, "belum terbit"):
            replication_add(case_study=draft, region=self.region_b, user=self.officer_b)
        self.assertEqual(Replication.objects.count(), 1)

    def test_an_officer_confirms_and_the_case_study_lists_the_region(self):
        self.client.login(username="officer_b", password=PASSWORD)
        page = self.client.get(self.case_study.url).content.decode()
        self.assertIn(f'href="{self.url}"', page, "another region's officer is offered the action")
        form = self.client.get(self.url)
        self.assertContains(form, "Mal Pelayanan Publik Digital")
        self.assertContains(form, "Kabupaten Indramayu akan tercantum")
        response = self.client.post(self.url, {"note": "Diterapkan di 3 kecamatan sejak 2024."})
        self.assertRedirects(response, self.case_study.url, fetch_redirect_response=False)
        page = self.client.get(self.case_study.url).content.decode()
        replicators = page.split('id="replikasi"')[1].split("</section>")[0]
        self.assertIn("Kabupaten Indramayu", replicators)
        self.assertIn("Diterapkan di 3 kecamatan sejak 2024.", replicators)
        self.assertNotIn(f'href="{self.url}"', page, "offered only once")

    def test_bad_requests_are_refused_with_a_reason_and_write_nothing(self):
        self.client.login(username="officer_a", password=PASSWORD)
        response = self.client.post(self.url, {"note": ""})
        self.assertContains(response, "Ini praktik baik daerah Anda sendiri", status_code=400)
        self.client.login(username="officer_b", password=PASSWORD)
        self.assertContains(self.client.post(self.url, {"note": "x" * 501}), "500", status_code=400)
        other_draft = make_case_study(self.page_a, title="Draf rahasia Sumedang", live=False)
        self.assertNotContains(self.client.get(f"{self.url}?draft={other_draft.pk}"), "Draf rahasia Sumedang")
        own_draft = make_case_study(self.page_b, title="Draf Indramayu", live=False)
        self.assertContains(self.client.get(f"{self.url}?draft={own_draft.pk}"), "Draf Anda “Draf Indramayu”")
        self.client.login(username="moderator", password=PASSWORD)
        # A moderator speaks for no region: Wagtail's admin answers a refusal with a redirect home and a message.
        self.assertRedirects(self.client.get(self.url), "/admin/", fetch_redirect_response=False)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302, "to the admin login")
        self.assertFalse(Replication.objects.exists())

    def test_the_region_or_a_moderator_can_take_it_back(self):
        replication = replication_add(case_study=self.case_study, region=self.region_b, user=self.officer_b)
        remove = f"/admin/replications/{replication.pk}/remove/"
        self.client.login(username="officer_a", password=PASSWORD)
        self.assertRedirects(self.client.post(remove), "/admin/", fetch_redirect_response=False)  # refused
        self.assertTrue(Replication.objects.exists(), "another region's officer may not")
        self.client.login(username="moderator", password=PASSWORD)
        self.assertRedirects(self.client.post(remove), self.case_study.url, fetch_redirect_response=False)
        self.assertFalse(Replication.objects.exists())
        self.assertTrue(PageLogEntry.objects.filter(page=self.case_study, action=LOG_REMOVE).exists())
