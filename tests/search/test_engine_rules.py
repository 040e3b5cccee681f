"""Search rules that the shared corpus (scenario.py) has no witness for: a case study claiming indicators of two
aspects, claims the region's scores confirm (the "verified" filter and the "improvement" sort), and the facets an
engine with conjunctive counts (Elasticsearch's aggregations) must still offer."""

import dataclasses
from unittest import mock

from casestudies.models import CaseStudyIndicator, Indicator, IndicatorScore
from casestudies.scores.claims import claims_verify
from search.backends.base import Filters
from search.backends.database import database_backend
from search.service import SearchRequest, search
from tests.search.scenario import SearchCorpusTestCase
from tests.utils import SiteTestCase, make_case_study

Y1, Y2 = 2030, 2032  # years no shipped data uses


def ids(**filters) -> list[int]:
    sort = filters.pop("sort", "relevance")
    request = SearchRequest(filters=Filters(**filters), sort=sort, per_page=50)
    return [r.id for r in search(request, record=False).results]


class VerifiedClaimsTests(SiteTestCase):
    """Region A and B each have a case study whose claim their scores confirm (gains 1 and 3), and one whose
    claim they do not; the case study with the larger gain was published first (it is not the newest)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def case_study(parent, region, title, number, before, after, scored):
            page = make_case_study(parent, title=title, indicators=(number,), year_start=Y1, year_end=Y2)
            CaseStudyIndicator.objects.filter(page=page).update(level_before=before, level_after=after)
            indicator = Indicator.objects.get(number=number, framework__is_current=True)
            for year, level in zip((Y1, Y2), scored, strict=True):
                IndicatorScore.objects.create(region=region, indicator=indicator, year=year, level=level, source="uji")
            return page

        cls.big = case_study(cls.page_b, cls.region_b, "Perizinan Daring", 43, 1, 4, (1, 4))
        cls.small = case_study(cls.page_a, cls.region_a, "Mal Pelayanan Publik", 45, 2, 3, (2, 3))
        cls.unconfirmed = case_study(cls.page_a, cls.region_a, "Pengaduan Warga", 42, 1, 3, (2, 2))
        cls.unclaimed = make_case_study(cls.page_b, title="Pusat Data", indicators=(16,))
        claims_verify()  # as a score import does: the flags flip, search re-indexes those case studies

    def test_verified_filter_keeps_the_case_studies_the_scores_confirm(self):
        """The verified rule: "verified only" lists exactly the case studies with a claim the scores confirm."""
        self.assertEqual(set(ids(verified_only=True)), {self.big.pk, self.small.pk})
        self.assertEqual(set(ids(verified_only=True, regions=("32.11",))), {self.small.pk})
        self.assertEqual(len(ids()), 4)

    def test_improvement_sort_puts_the_largest_verified_gain_first(self):
        """The improvement rule: by verified level gain, largest first, then the case studies without one."""
        order = ids(sort="improvement")
        self.assertEqual(order[:2], [self.big.pk, self.small.pk])
        self.assertEqual(set(order[2:]), {self.unconfirmed.pk, self.unclaimed.pk})
        newest = ids(sort="newest")
        self.assertLess(newest.index(self.small.pk), newest.index(self.big.pk))  # the order is the gain's


class MultiAspectTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Indicator 42 is in aspect 8 (domain 4), indicator 16 in aspect 3 (domain 2).
        cls.both = make_case_study(cls.page_a, title="Layanan Terpadu", indicators=(42, 16))
        cls.one = make_case_study(cls.page_b, title="Pengaduan", indicators=(42,))

    def test_a_case_study_is_found_under_every_aspect_and_domain_it_claims(self):
        """The aspect rule: a case study belongs to the aspect (and domain) of each indicator it claims."""
        self.assertEqual(set(ids(aspects=(8,))), {self.both.pk, self.one.pk})
        self.assertEqual(ids(aspects=(3,)), [self.both.pk])
        self.assertEqual(ids(domains=(2,)), [self.both.pk])
        self.assertEqual(set(ids(domains=(4,))), {self.both.pk, self.one.pk})
        facets = {f.value: f.count for f in search(SearchRequest(), record=False).facets["aspect"]}
        self.assertEqual(facets, {"8": 2, "3": 1})


def conjunctive_engine():
    """The database engine counting facets within every filter, own filter included, as Elasticsearch's
    aggregations do (`disjunctive_facets` False): the service must ask again for the facets that are chosen."""
    vendor = type(database_backend())

    class Conjunctive(vendor):
        @staticmethod
        def _facets(table, matched, filters):
            for mask in filters.values():
                matched &= mask
            return vendor._facets(table, matched, {})

        def search(self, query):
            return dataclasses.replace(super().search(query), disjunctive_facets=False)

    return Conjunctive()


class ConjunctiveFacetEngineTests(SearchCorpusTestCase):
    def test_a_chosen_facet_still_offers_its_other_values_whatever_the_engine(self):
        """The multi-select facet rule: with indicator 42 chosen, the indicator facet still offers the others
        with the number each would add; the other facets count within the filter. Every engine answers the same."""
        requests = [
            SearchRequest(filters=Filters(indicators=(42,))),
            SearchRequest(q="aduan", filters=Filters(indicators=(42,), statuses=("active",))),
            SearchRequest(filters=Filters(tags=("mpp",), aspects=(8,))),
        ]
        for request in requests:
            with self.subTest(request=request):
                database = search(request, record=False)
                with mock.patch("search.service.configured_backend", conjunctive_engine):
                    conjunctive = search(request, record=False)
                self.assertEqual(conjunctive.total, database.total)
                self.assertEqual(conjunctive.facets, database.facets)
        with mock.patch("search.service.configured_backend", conjunctive_engine):
            indicator = search(requests[0], record=False).facets["indicator"]
        self.assertEqual({f.value: f.count for f in indicator}, {"45": 1, "42": 2, "37": 1, "43": 2, "16": 1})
