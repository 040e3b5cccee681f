"""While an officer writes a case study, similar published ones (same indicator, much the same words) are shown."""

from search.duplicates import similar_case_studies
from tests.utils import PASSWORD, SiteTestCase, add_url, make_case_study


class DuplicateCheckTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.existing = make_case_study(
            cls.page_a,
            title="E-office dan Tanda Tangan Elektronik di Semua OPD",
            indicators=(37,),
            summary="Naskah dinas ditandatangani secara elektronik.",
        )
        make_case_study(cls.page_a, title="Pusat Data Kabupaten", indicators=(16,))

    def test_similar_means_same_indicator_and_same_words(self):
        found = similar_case_studies(title="E-office dan TTE di semua OPD", summary="", indicators=[37])
        self.assertEqual([t.document_id for t in found], [self.existing.pk])
        self.assertEqual(similar_case_studies(title="E-office dan TTE di semua OPD", summary="", indicators=[16]), [])
        self.assertEqual(similar_case_studies(title="Pusat pelatihan", summary="", indicators=[37]), [])

    def test_officer_sees_a_warning_when_saving_a_draft(self):
        self.client.login(username="officer_b", password=PASSWORD)
        response = self.client.post(add_url(self.page_b), self.case_study_form(self.page_b), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Praktik baik serupa sudah ada")
        self.assertContains(response, self.existing.title)
        # The alternative to a duplicate: say the region applies the existing one.
        draft = response.context["page"]
        self.assertContains(response, f"/admin/case-studies/{self.existing.pk}/replicate/?draft={draft.pk}")
        self.assertContains(response, "Daerah saya mereplikasi ini")
