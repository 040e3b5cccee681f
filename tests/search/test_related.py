"""Related case studies: shared indicators first, then the same aspect and a similar region, then shared words."""

from search.related import related_case_studies
from tests.search.scenario import SearchCorpusTestCase
from tests.utils import make_case_study


class RelatedTests(SearchCorpusTestCase):
    def test_order(self):
        related = [r.document_id for r in related_case_studies(self.licensing.pk, limit=10)]
        # Licensing (43, 42): population shares 43, complaints shares 42; the MPP shares aspect 8 only.
        self.assertEqual(set(related[:2]), {self.population.pk, self.complaints.pk})
        self.assertEqual(related[2], self.mpp.pk)
        self.assertNotIn(self.licensing.pk, related)

    def test_similar_region_breaks_ties(self):
        other = make_case_study(self.page_b, title="Layanan Pengaduan Desa", indicators=(42,))
        related = [r.document_id for r in related_case_studies(self.complaints.pk, limit=10)]
        # Both share indicator 42 with the complaints case study; both are in Jawa Barat: words decide.
        self.assertEqual(set(related[:2]), {self.licensing.pk, other.pk})
        self.assertEqual(related[0], other.pk)  # "Pengaduan" in both titles

    def test_shown_on_the_case_study_page(self):
        response = self.client.get(self.licensing.url)
        self.assertContains(response, "Praktik baik terkait")
        self.assertContains(response, self.population.title)

    def test_unpublished_page_has_none(self):
        self.assertEqual(related_case_studies(self.draft.pk), [])
