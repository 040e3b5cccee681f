"""PostgreSQL's match (search_searchvector, migration 0004): phrases of up to three words are lexemes of the GIN
index ("a_b", "a_b_c"); longer phrases and autocomplete prefixes are checked against the full vector."""

import unittest

from django.db import connection

from search.backends.base import Query
from search.backends.database import database_backend
from search.backends.database.postgres import match_expressions
from search.models import SearchText
from tests.search.scenario import SearchCorpusTestCase
from tests.utils import make_case_study


def query(*groups, match_any=False):
    return Query(groups=tuple(tuple(tuple(a.split()) for a in g) for g in groups), match_any=match_any)


class MatchExpressionTests(unittest.TestCase):
    def test_words_and_short_phrases_are_exact(self):
        self.assertEqual(
            match_expressions(query(["adu", "sp4n lapor"], ["tanda tangan digital"])),
            ("('adu' | 'sp4n_lapor') & ('tanda_tangan_digital')", None),
        )

    def test_a_phrase_containing_another_alternative_is_left_out(self):
        self.assertEqual(
            match_expressions(query(["sdi", "satu data", "satu data indonesia"])), ("('sdi' | 'satu_data')", None)
        )

    def test_long_phrases_and_prefixes_are_checked(self):
        # Rows that match "ptsp" are certain; rows that may match only through the long phrase are checked.
        self.assertEqual(
            match_expressions(query(["ptsp", "layan padu satu pintu"], ["izin"])),
            ("('ptsp') & ('izin')", "((('layan_padu_satu' & 'padu_satu_pintu')) & ('izin'))"),
        )
        self.assertEqual(match_expressions(query(["adu", "pengad*"])), ("('adu')", "(('pengad':*))"))

    def test_a_group_with_only_long_phrases_has_no_exact_part(self):
        self.assertEqual(
            match_expressions(query(["layan padu satu pintu"], ["izin"])),
            (None, "((('layan_padu_satu' & 'padu_satu_pintu')) & ('izin'))"),
        )

    def test_any_word(self):
        self.assertEqual(
            match_expressions(query(["adu"], ["layan padu satu pintu"], match_any=True)),
            ("('adu')", "(('layan_padu_satu' & 'padu_satu_pintu'))"),
        )


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
class PostgresPhraseTests(SearchCorpusTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Every run of three words of "layanan terpadu satu pintu", but never the four together.
        cls.scattered = make_case_study(
            cls.page_a,
            title="Layanan terpadu satu atap",
            summary="Satu pintu untuk semua izin.",
            solution="<p>Pelayanan terpadu satu kali. Terpadu satu pintu di kecamatan.</p>",
        )
        cls.together = make_case_study(cls.page_b, title="Izin lewat pelayanan terpadu satu pintu")

    def found(self, *groups):
        return set(database_backend().search(query(*groups)).ids)

    def test_long_phrase_is_checked_against_the_full_vector(self):
        self.assertEqual(self.found(["layan padu satu pintu"]), {self.together.pk})
        self.assertEqual(self.found(["padu satu pintu"]), {self.scattered.pk, self.together.pk})

    def test_phrases_do_not_cross_fields(self):
        # The title ends with "atap", the summary starts with "satu": "atap satu" is in no field.
        self.assertEqual(self.found(["atap satu"]), set())
        self.assertEqual(self.found(["satu atap"]), {self.scattered.pk})

    def test_vectors_follow_the_text_rows(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchvector")
            (count,) = cursor.fetchone()
        self.assertEqual(count, SearchText.objects.count())
        self.scattered.unpublish()
        self.assertEqual(self.found(["satu atap"]), set())

    def test_filtered_searches_rank_only_the_filtered_case_studies_and_count_every_match(self):
        """Selective filters rank only what they leave (SCORE_WITHIN_MAX); otherwise every match is ranked. Both
        give the same page, scores, total and facets."""
        from unittest import mock

        from search.backends.base import Filters

        filtered = Query(
            groups=((("padu",),),), filters=Filters(regions=(self.region_b.code,)), with_facets=True, limit=10
        )
        within = database_backend().search(filtered)
        with mock.patch("search.backends.database.base.SCORE_WITHIN_MAX", 0):
            everything = database_backend().search(filtered)
        self.assertEqual(within.ids, [self.together.pk])
        self.assertEqual(
            (within.ids, within.scores, within.total), (everything.ids, everything.scores, everything.total)
        )
        self.assertEqual(within.facets, everything.facets)
        self.assertEqual(within.total, 1)
