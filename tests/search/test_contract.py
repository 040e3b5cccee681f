"""The contract every search engine passes (database engine: SQLite FTS5 or PostgreSQL, whichever the suite runs
on; Elasticsearch when ELASTICSEARCH_URL is set). Queries go through the same parsing the service uses."""

import os
import unittest
import uuid

from django.test import override_settings

from search.backends.base import Filters, Query
from search.backends.database import database_backend
from search.documents import build_documents, pages_to_index
from search.models import Synonym
from search.parsing import parse
from tests.search.scenario import SearchCorpusTestCase


class EngineContract:
    """Mixed into a SearchCorpusTestCase; subclasses give `engine()`."""

    def engine(self):
        raise NotImplementedError

    def hits(self, text="", *, sort="relevance", offset=0, limit=50, match_any=False, boost=(), **filters):
        query = Query(
            groups=parse(text).groups,
            filters=Filters(**filters),
            sort=sort,
            offset=offset,
            limit=limit,
            match_any=match_any,
            boost_regions=tuple(boost),
            boost=3.0 if boost else 1.0,
        )
        return self.engine().search(query)

    def ids(self, text="", **kwargs):
        return self.hits(text, **kwargs).ids

    def found(self, text="", **kwargs):
        return set(self.ids(text, **kwargs))

    # ---------------------------------------------------------------- Indonesian words

    def test_affixed_forms_find_each_other(self):
        self.assertIn(self.licensing.pk, self.found("layanan"))  # "pelayanan" in its solution
        self.assertIn(self.licensing.pk, self.found("melayani"))
        self.assertEqual(self.found("aduan") & self.found("pengaduan"), self.found("pengaduan"))
        self.assertIn(self.complaints.pk, self.found("aduan"))  # title says "Pengaduan"
        self.assertIn(self.population.pk, self.found("penduduk"))  # title says "Kependudukan"
        self.assertIn(self.population.pk, self.found("integrasi"))  # text says "terintegrasi"

    def test_case_and_accents_do_not_matter(self):
        self.assertEqual(self.found("PENGADUAN"), self.found("pengaduan"))
        self.assertEqual(self.found("pengadúan"), self.found("pengaduan"))

    def test_indicator_number_in_any_spelling(self):
        expected = {self.population.pk, self.licensing.pk}
        for text in ("indikator 43", "Indikator-43", "I-43", "i43", "43"):
            with self.subTest(text=text):
                self.assertEqual(self.found(text), expected)

    def test_indicator_name_words(self):
        # Indicator 16 is "Pusat Data"; its case study is found by the indicator's name.
        self.assertIn(self.datacentre.pk, self.found("pusat data"))

    def test_prefix_of_the_last_word(self):
        self.assertIn(self.complaints.pk, self.found("pengadu"))
        self.assertIn(self.signature.pk, self.found("tanda tangan elek"))

    def test_every_word_is_required_unless_relaxed(self):
        self.assertEqual(self.found("pengaduan gedung"), set())
        self.assertEqual(
            self.found("pengaduan gedung", match_any=True),
            {self.mpp.pk, self.complaints.pk} | (self.found("pengaduan")),
        )

    def test_synonyms_apply_both_ways_at_once(self):
        self.assertNotIn(self.mpp.pk, self.found("gerai"))
        Synonym.objects.create(terms="MPP, mal pelayanan publik, gerai layanan terpadu")
        self.assertIn(self.mpp.pk, self.found("gerai layanan terpadu"))
        self.assertIn(self.mpp.pk, self.found("mpp"))
        self.assertIn(self.signature.pk, self.found("naskah dinas"))

    def test_region_names_and_tags_are_searchable(self):
        self.assertEqual(self.found("indramayu"), {self.population.pk, self.licensing.pk, self.datacentre.pk})
        self.assertEqual(self.found("infrastruktur"), {self.datacentre.pk})

    def test_drafts_are_never_found(self):
        self.assertNotIn(self.draft.pk, self.found("rahasia"))
        self.assertNotIn(self.draft.pk, self.found())

    # ---------------------------------------------------------------- ranking

    def test_title_outranks_body(self):
        ids = self.ids("pelayanan")
        self.assertLess(ids.index(self.mpp.pk), ids.index(self.licensing.pk))

    def test_boosted_regions_rank_higher(self):
        plain = self.ids("aduan")
        self.assertEqual(plain[0], self.complaints.pk)  # title match in region A
        boosted = self.ids("aduan", boost=["32.12"])
        self.assertEqual(boosted[0], self.licensing.pk)
        self.assertEqual(set(boosted), set(plain))

    def test_sorts(self):
        newest = self.ids(sort="newest")
        self.assertEqual(newest[0], self.datacentre.pk)  # published last
        self.assertEqual(len(newest), 6)
        self.assertEqual(self.ids("data", sort="newest")[0], self.datacentre.pk)

    def test_pagination_and_total(self):
        everything = self.ids(sort="newest")
        page = self.hits(sort="newest", offset=2, limit=2)
        self.assertEqual(page.ids, everything[2:4])
        self.assertEqual(page.total, 6)

    # ---------------------------------------------------------------- filters and facets

    def test_each_filter(self):
        self.assertEqual(self.found(indicators=(42,)), {self.complaints.pk, self.licensing.pk})
        self.assertEqual(self.found(aspects=(8,)), {self.complaints.pk, self.licensing.pk, self.population.pk,
                                                    self.mpp.pk})  # fmt: skip
        self.assertEqual(self.found(domains=(2,)), {self.datacentre.pk})
        self.assertEqual(self.found(domains=(3,)), set())
        self.assertEqual(self.found(regions=("32.12",)), {self.population.pk, self.licensing.pk, self.datacentre.pk})
        self.assertEqual(len(self.found(provinces=("32",))), 6)
        self.assertEqual(self.found(provinces=("35",)), set())
        self.assertEqual(len(self.found(region_types=("kabupaten",))), 6)
        self.assertEqual(self.found(region_types=("kota",)), set())
        self.assertEqual(self.found(year_from=2022, year_to=2022), {self.complaints.pk, self.datacentre.pk})
        self.assertEqual(self.found(statuses=("scaled", "stopped")), {self.signature.pk, self.licensing.pk})
        self.assertEqual(self.found(tags=("mpp",)), {self.mpp.pk})
        self.assertEqual(self.found("data", regions=("32.11",)), set())

    def test_filters_combine_with_words(self):
        self.assertEqual(self.found("aduan", indicators=(43,)), {self.licensing.pk})
        self.assertEqual(self.found("aduan", indicators=(42,), year_from=2020), {self.complaints.pk})

    def test_facets_count_every_match(self):
        hits = self.hits()
        self.assertEqual(hits.total, 6)
        self.assertEqual(hits.facets["indicator"], {"45": 1, "42": 2, "37": 1, "43": 2, "16": 1})
        # Aspect 8 (indicators 42, 43, 45): four case studies, licensing counted once although it has two.
        self.assertEqual(hits.facets["aspect"]["8"], 4)
        self.assertEqual(hits.facets["domain"], {"4": 5, "2": 1})
        self.assertEqual(hits.facets["aspect"], {"8": 4, "7": 1, "3": 1})
        self.assertEqual(hits.facets["province"], {"32": 6})
        self.assertEqual(hits.facets["year"], {"2019": 1, "2020": 1, "2021": 1, "2022": 2, "2023": 1})
        self.assertEqual(hits.facets["status"], {"active": 4, "scaled": 1, "stopped": 1})
        self.assertEqual(hits.facets["tag"], {"mpp": 1, "layanan publik": 1, "pengaduan": 1, "infrastruktur": 1})
        self.assertEqual(hits.facets["region_type"], {"kabupaten": 6})

    def test_facets_follow_the_query_and_filters(self):
        hits = self.hits("aduan", indicators=(42,))
        self.assertEqual(hits.total, 2)
        self.assertEqual(hits.facets["indicator"], {"42": 2, "43": 1})
        self.assertEqual(hits.facets["aspect"], {"8": 2})

    def test_verified_only(self):
        self.assertEqual(self.found(verified_only=True), set())  # no level claim is confirmed by scores here

    # ---------------------------------------------------------------- rebuild and clear

    def test_rebuild_replaces_every_document(self):
        documents = [d for d in build_documents(pages_to_index()) if d.page_id != self.mpp.pk]
        progress = []
        loaded = self.engine().rebuild(iter([documents[:2], documents[2:]]), len(documents), progress=progress.append)
        self.assertEqual((loaded, progress), (len(documents), [2, len(documents) - 2]))
        self.assertEqual(self.found(), {d.page_id for d in documents})
        self.assertNotIn(self.mpp.pk, self.found("mpp"))

    def test_clear_removes_every_document(self):
        self.engine().clear()
        hits = self.hits()
        self.assertEqual((hits.ids, hits.total), ([], 0))
        self.assertEqual(self.found("pengaduan"), set())


class DatabaseEngineContractTests(EngineContract, SearchCorpusTestCase):
    def engine(self):
        return database_backend()


@unittest.skipUnless(
    os.environ.get("ELASTICSEARCH_URL"),
    "ELASTICSEARCH_URL is not set: no Elasticsearch server here (the mapping and query bodies are tested as data "
    "in test_elasticsearch_queries.py)",
)
class ElasticsearchContractTests(EngineContract, SearchCorpusTestCase):
    index_name = f"livinglab-test-{uuid.uuid4().hex[:8]}"

    @classmethod
    def setUpClass(cls):
        cls._settings = override_settings(ELASTICSEARCH_URL=os.environ.get("ELASTICSEARCH_URL", ""),
                                          ELASTICSEARCH_INDEX=cls.index_name)  # fmt: skip
        cls._settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        from search.backends.elasticsearch.backend import ElasticsearchBackend

        ElasticsearchBackend().client.indices.delete(index=f"{cls.index_name}-*", ignore_unavailable=True)
        super().tearDownClass()
        cls._settings.disable()

    def setUp(self):
        from search.backends.elasticsearch.backend import ElasticsearchBackend

        self._engine = ElasticsearchBackend()
        documents = build_documents(pages_to_index())
        self._engine.rebuild(iter([documents]), len(documents))

    def engine(self):
        return self._engine
