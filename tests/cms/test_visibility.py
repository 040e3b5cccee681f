"""What the public sees (cms/visibility.py): live pages outside view-restricted and unpublished sections."""

from wagtail.models import Page, PageViewRestriction

from casestudies.models import CaseStudyPage
from casestudies.selectors import case_studies_public
from cms.visibility import hidden_sections, publicly_visible
from tests.utils import SiteTestCase, make_case_study


class VisibilityTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.shown = make_case_study(cls.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        cls.other = make_case_study(cls.page_b, title="Perizinan Daring", indicators=(43,))
        cls.draft = make_case_study(cls.page_a, title="Draf", indicators=(42,), live=False)

    def restrict(self, page):
        return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    def test_nothing_hidden_but_drafts(self):
        self.assertEqual(hidden_sections(), [])  # a case study draft hides no section
        self.assertEqual(set(case_studies_public()), {self.shown, self.other})

    def test_sections_are_outermost_only(self):
        self.restrict(self.regions_index)
        self.restrict(self.shown)
        Page.objects.filter(pk=self.page_b.pk).update(live=False)
        self.assertEqual(hidden_sections(), [self.regions_index.path])
        self.assertEqual(list(case_studies_public()), [])
        visible = publicly_visible(Page.objects.filter(depth__gt=1)).values_list("pk", flat=True)
        self.assertEqual(set(visible), {self.home.pk, self.explorer().pk})

    def test_an_unpublished_region_page_hides_its_case_studies(self):
        self.reload(self.page_a).unpublish()
        self.assertEqual(hidden_sections(), [self.page_a.path])
        self.assertEqual(set(case_studies_public()), {self.other})
        self.assertTrue(CaseStudyPage.objects.live().public().filter(pk=self.shown.pk).exists(), "Wagtail's view")

    def test_two_small_queries(self):
        self.restrict(self.shown)
        with self.assertNumQueries(3):  # restrictions, unpublished pages that may have children, the pages
            self.assertEqual(list(case_studies_public()), [self.other])

    def test_a_page_under_an_unpublished_page_answers_404(self):
        self.assertEqual(self.client.get(self.shown.url).status_code, 200)
        url = self.shown.url
        self.reload(self.page_a).unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(self.other.url).status_code, 200)
        self.assertEqual(self.client.get(f"/laporkan/{self.shown.pk}/").status_code, 404)

    def test_listings_of_regions_leave_hidden_region_pages_out(self):
        self.restrict(self.page_b)
        response = self.client.get(self.regions_index.url)
        self.assertContains(response, self.page_a.title)
        self.assertNotContains(response, self.page_b.title)
        self.assertContains(self.client.get(self.page_a.url), self.shown.title)

    def explorer(self):
        from casestudies.models import IndicatorExplorerPage

        return IndicatorExplorerPage.objects.get()
