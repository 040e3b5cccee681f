"""The database search engine's rules (filters, masks, facets, sorts, paging) on small hand-built indexes."""

from casestudies.models import CaseStudyIndicator, Framework, Indicator, IndicatorScore
from casestudies.replications import replication_add
from casestudies.scores.claims import claims_verify
from casestudies.scores.services import scores_changed
from search.backends.base import Filters, Query
from search.backends.database import database_backend
from search.backends.document_table import document_table
from search.parsing import parse
from tests.utils import SiteTestCase, make_case_study

Y1, Y2 = 2030, 2032  # score years no shipped data uses
TWIN = {"title": "Gerbang Kembar", "summary": "Loket kembar untuk warga.", "solution": "<p>Dua loket.</p>"}


def query(text="", *, sort="relevance", offset=0, limit=50, boost_regions=(), boost=1.0, with_facets=True, **filters):
    return Query(
        groups=parse(text).groups,
        filters=Filters(**filters),
        sort=sort,
        offset=offset,
        limit=limit,
        with_facets=with_facets,
        boost_regions=tuple(boost_regions),
        boost=boost,
    )


def hits(text="", **kwargs):
    return database_backend().search(query(text, **kwargs))


def ids(text="", **kwargs) -> list[int]:
    return hits(text, **kwargs).ids


class DatabaseEngineRulesTests(SiteTestCase):
    """Ten case studies (more than fit one byte of a bitset), in region A (32.11) and B (32.12). Created in
    this order; all published in this order except `late`, created first (lowest page id) and published last
    (the newest). `late` and `twin` have the same words; `sinergi_a` and `sinergi_b` the same title in the two
    regions; `sinergi_body` has "sinergi" only in its summary. `verified` has a claim its region's scores confirm;
    `replicated` is replicated successfully by region B; `tagged` is tagged "MPP"; `last_b` starts in 2024."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, b = cls.page_a, cls.page_b
        # An aspect may belong to no domain: indicator 16's (claimed by `tagged` and `last_b`) is given none.
        aspect = Indicator.objects.get(number=16, framework__is_current=True).aspect
        aspect.domain = None
        aspect.save()
        cls.late = make_case_study(a, indicators=(42,), year_start=2019, slug="kembar-1", live=False, **TWIN)
        cls.twin = make_case_study(a, indicators=(42,), year_start=2019, slug="kembar-2", **TWIN)
        cls.sinergi_a = make_case_study(a, title="Sinergi Arsip Desa", indicators=(37,), year_start=2020, slug="s-a")
        cls.verified = make_case_study(
            b, title="Perizinan Terpadu", indicators=(43,), year_start=Y1, year_end=Y2, summary="Izin usaha."
        )
        CaseStudyIndicator.objects.filter(page=cls.verified).update(level_before=1, level_after=3)
        indicator = Indicator.objects.get(number=43, framework__is_current=True)
        for year, level in ((Y1, 1), (Y2, 3)):
            IndicatorScore.objects.create(
                region=cls.region_b, indicator=indicator, year=year, level=level, source="uji"
            )
        cls.replicated = make_case_study(a, title="Aduan Cepat", indicators=(42,), year_start=2021)
        cls.tagged = make_case_study(a, title="Kanal Informasi", indicators=(16,), year_start=2021)
        cls.tagged.tags.add("MPP")
        cls.tagged.save_revision().publish()
        cls.sinergi_b = make_case_study(b, title="Sinergi Arsip Desa", indicators=(37,), year_start=2020, slug="s-b")
        cls.sinergi_body = make_case_study(
            b, title="Jaringan Desa", indicators=(37,), year_start=2022, summary="Sinergi antar perangkat."
        )
        cls.other = make_case_study(b, title="Ruang Rapat Digital", indicators=(45,), year_start=2022)
        cls.last_b = make_case_study(b, title="Sistem Antrian", indicators=(16,), year_start=2024)
        claims_verify()
        replication_add(
            case_study=cls.replicated, region=cls.region_b, user=cls.officer_b, start_year=2022, status="done"
        )
        framework = Framework.current()
        indicator = Indicator.objects.get(framework=framework, number=42)
        for year, level in ((2021, 2), (2023, 3)):  # region B rose on I-42 after it started replicating
            IndicatorScore.objects.create(
                region=cls.region_b, indicator=indicator, year=year, level=level, source="uji"
            )
        scores_changed(framework, region_ids=[cls.region_b.pk])
        cls.late.save_revision().publish()
        cls.everything = [
            cls.late, cls.twin, cls.sinergi_a, cls.verified, cls.replicated, cls.tagged, cls.sinergi_b,
            cls.sinergi_body, cls.other, cls.last_b,
        ]  # fmt: skip
        # Newest first: `late`, then the others in reverse creation order.
        cls.newest = [cls.late.pk] + [p.pk for p in reversed(cls.everything[1:])]

    def pks(self, *pages) -> set[int]:
        return {p.pk for p in pages}

    # ---------------------------------------------------------------- filters

    def test_every_filter_on_an_empty_index_finds_nothing(self):
        """The empty index rule: after a clear, every filter (alone, with or without words) finds nothing."""
        database_backend().clear()
        for filters in (
            {"tags": ("mpp",)}, {"indicators": (42,)}, {"aspects": (8,)}, {"regions": ("32.11",)},
            {"year_from": 2020}, {"year_to": 2030}, {"verified_only": True}, {"statuses": ("active",)},
        ):  # fmt: skip
            for text in ("", "sinergi"):
                with self.subTest(filters=filters, text=text):
                    found = hits(text, **filters)
                    self.assertEqual((found.ids, found.total, found.facets), ([], 0, {}))

    def test_tag_filter_ignores_case(self):
        """The tag rule: tags are compared case-insensitively ("MPP" and "mpp" choose the same case study)."""
        self.assertEqual(set(ids(tags=("MPP",))), self.pks(self.tagged))
        self.assertEqual(set(ids(tags=("mpp",))), self.pks(self.tagged))

    def test_each_year_bound_works_alone(self):
        """The year rule: "from" alone and "to" alone each bound the start year, inclusively."""
        self.assertEqual(set(ids(year_to=2019)), self.pks(self.late, self.twin))
        self.assertEqual(set(ids(year_to=2020)), self.pks(self.late, self.twin, self.sinergi_a, self.sinergi_b))
        self.assertEqual(set(ids(year_from=2024)), self.pks(self.last_b, self.verified))
        self.assertEqual(set(ids(year_from=2024, year_to=2029)), self.pks(self.last_b))
        self.assertEqual(set(ids("sinergi", year_to=2020)), self.pks(self.sinergi_a, self.sinergi_b))

    def test_a_chosen_year_still_offers_the_other_years(self):
        """The multi-select facet rule for years: with 2020 chosen, the year facet still counts every year."""
        found = hits(year_from=2020, year_to=2020)
        self.assertEqual(found.total, 2)
        self.assertEqual(found.facets["year"], {"2019": 2, "2020": 2, "2021": 2, "2022": 2, "2024": 1, str(Y1): 1})
        self.assertEqual(found.facets["status"], {"active": 2})  # the other facets count within the filter
        self.assertIs(found.disjunctive_facets, True)

    def test_verified_only_keeps_the_confirmed_claims(self):
        """The verified rule: only the case study whose claim the scores confirm."""
        self.assertEqual(ids(verified_only=True), [self.verified.pk])
        self.assertEqual(ids("izin", verified_only=True), [self.verified.pk])

    def test_filters_beyond_the_first_eight_case_studies(self):
        """The bitset rule: filters, facets and totals are right for every case study, not only the first few."""
        region_b = self.pks(self.verified, self.sinergi_b, self.sinergi_body, self.other, self.last_b)
        self.assertEqual(set(ids(regions=("32.12",))), region_b)
        self.assertEqual(ids(regions=("32.12",), sort="newest"), [pk for pk in self.newest if pk in region_b])
        self.assertEqual(ids(indicators=(16,), sort="newest"), [self.last_b.pk, self.tagged.pk])
        self.assertEqual(ids("antrian", sort="newest"), [self.last_b.pk])
        self.assertEqual(hits("antrian").total, 1)
        self.assertEqual(ids("antrian", indicators=(16,)), [self.last_b.pk])
        found = hits()
        self.assertEqual(found.total, 10)
        self.assertEqual(found.facets["indicator"], {"42": 3, "37": 3, "43": 1, "16": 2, "45": 1})
        self.assertEqual(found.facets["year"]["2024"], 1)

    def test_indicators_of_no_domain_count_under_no_domain_value(self):
        """The facet value rule: a case study whose indicators belong to no domain is counted under no domain
        (and offers no empty value)."""
        domains = hits().facets["domain"]
        self.assertNotIn("", domains)
        self.assertEqual(sum(domains.values()), 8)

    # ---------------------------------------------------------------- order and pages

    def test_newest_sort_and_pages_of_one(self):
        """The paging rule: a page of one is the next case study in the order; the total counts every one."""
        self.assertEqual(ids(sort="newest"), self.newest)
        self.assertEqual(ids(sort="newest", limit=1), self.newest[:1])
        page = hits(sort="newest", offset=3, limit=1)
        self.assertEqual((page.ids, page.total), (self.newest[3:4], 10))
        self.assertEqual(hits(limit=1).ids, self.newest[:1])  # no words: relevance is the newest order
        self.assertEqual(hits("sinergi", regions=("32.12",), limit=1).total, 2)

    def test_filtered_relevance_ranks_by_text_then_newest(self):
        """The relevance rule with a filter: the better text match first; equal scores, the newest first."""
        self.assertEqual(ids("kembar", regions=("32.11",)), [self.late.pk, self.twin.pk])
        self.assertEqual(ids("kembar", statuses=("active",), limit=1), [self.late.pk])
        self.assertEqual(ids("sinergi", regions=("32.12",)), [self.sinergi_b.pk, self.sinergi_body.pk])

    def test_words_sorted_by_newest_follow_the_publication_order(self):
        """The newest sort with words: publication order, not text score."""
        self.assertEqual(ids("sinergi", sort="newest"), [self.sinergi_body.pk, self.sinergi_b.pk, self.sinergi_a.pk])
        self.assertEqual(ids("sinergi")[-1], self.sinergi_body.pk)

    def test_improvement_sort_then_text_then_newest(self):
        """The improvement rule: the verified gain first; without one, the better text match, then the newest."""
        order = ids(sort="improvement")
        self.assertEqual(order, [self.verified.pk] + [pk for pk in self.newest if pk != self.verified.pk])
        self.assertEqual(ids("sinergi", sort="improvement")[-1], self.sinergi_body.pk)
        self.assertEqual(ids("sinergi", sort="improvement", limit=1, offset=2), [self.sinergi_body.pk])

    def test_replications_sort_then_text_then_newest(self):
        """The replications rule: most successful replications first; ties by text score, then the newest."""
        order = ids(sort="replications")
        self.assertEqual(order, [self.replicated.pk] + [pk for pk in self.newest if pk != self.replicated.pk])
        self.assertEqual(ids(sort="replications", offset=1, limit=2), order[1:3])
        self.assertEqual(ids("sinergi", sort="replications")[-1], self.sinergi_body.pk)

    # ---------------------------------------------------------------- boosts and scores

    def test_a_boost_multiplies_the_peers_scores_and_lifts_them(self):
        """The peer boost rule: the boosted regions' text scores are multiplied by the boost (any boost, here 2),
        which decides between the two equal titles; the other regions' scores are unchanged."""
        plain = hits("sinergi", sort="newest")
        self.assertTrue(all(score > 0 for score in plain.scores.values()))
        for peer, other in ((self.sinergi_b, self.sinergi_a), (self.sinergi_a, self.sinergi_b)):
            with self.subTest(peer=peer.title):
                region = "32.12" if peer is self.sinergi_b else "32.11"
                boosted = hits("sinergi", boost_regions=(region,), boost=2.0)
                self.assertEqual(boosted.ids[0], peer.pk)
                self.assertAlmostEqual(boosted.scores[peer.pk], 2 * plain.scores[peer.pk])
                self.assertAlmostEqual(boosted.scores[other.pk], plain.scores[other.pk])
                self.assertEqual(boosted.total, 3)
        unboosted = hits("sinergi", boost_regions=("32.12",), boost=1.0)
        self.assertAlmostEqual(unboosted.scores[self.sinergi_b.pk], plain.scores[self.sinergi_b.pk])

    def test_scores_without_words_are_zero(self):
        """The score rule: without words every case study scores 0."""
        self.assertEqual(set(hits(sort="newest").scores.values()), {0.0})
        self.assertEqual(set(hits(regions=("32.11",)).scores.values()), {0.0})

    # ---------------------------------------------------------------- facets

    def test_words_alone_count_total_scores_and_facets(self):
        """The plain search rule: words alone give the total, a score per result and the facets of every match,
        counted as multi-select facets; without facets asked, none."""
        found = hits("sinergi", limit=1)
        self.assertEqual(found.total, 3)
        self.assertEqual(len(found.ids), 1)
        self.assertEqual(set(found.scores), set(found.ids))
        self.assertGreater(found.scores[found.ids[0]], 0)
        self.assertEqual(found.facets["indicator"], {"37": 3})
        self.assertEqual(found.facets["year"], {"2020": 2, "2022": 1})
        self.assertIs(found.disjunctive_facets, True)
        self.assertEqual(hits("sinergi", with_facets=False).facets, {})
        self.assertEqual(hits("sinergi", with_facets=False, sort="newest").facets, {})
        self.assertEqual(hits(with_facets=False, regions=("32.11",)).facets, {})

    def test_a_chosen_indicator_still_offers_its_siblings_with_words(self):
        """The multi-select facet rule with words and a filter: the chosen facet counts every match."""
        found = hits("sinergi", regions=("32.12",))
        self.assertEqual(found.total, 2)
        self.assertEqual(found.facets["indicator"], {"37": 2})
        self.assertIs(found.disjunctive_facets, True)
        found = hits("desa", indicators=(37,), year_from=2022)
        self.assertEqual(found.ids, [self.sinergi_body.pk])
        self.assertEqual(found.facets["year"], {"2020": 2, "2022": 1})

    # ---------------------------------------------------------------- the table

    def test_the_table_is_built_once_per_data_version(self):
        """The table rule: one table per data version, reused until the index changes."""
        table = document_table()
        self.assertIs(document_table(), table)
        self.assertEqual(table.size, 10)
