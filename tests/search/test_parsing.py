"""From typed text to engine groups: indicators, synonyms, the unfinished word."""

from django.test import TestCase

from search.models import Synonym
from search.parsing import parse


class ParsingTests(TestCase):
    def test_indicator_references(self):
        for text in ("indikator 43", "Indikator-43", "I-43", "i43", "43", "ind. 43"):
            with self.subTest(text=text):
                parsed = parse(text)
                self.assertEqual(parsed.indicators, [43])
                self.assertEqual(parsed.groups, ((("i43",),),))

    def test_numbers_that_are_not_indicators_stay_words(self):
        self.assertEqual(parse("2023").indicators, [])
        self.assertEqual(parse("indikator 99").indicators, [])

    def test_synonym_phrases_become_one_group_of_alternatives(self):
        Synonym.objects.all().delete()
        Synonym.objects.create(terms="TTE, tanda tangan elektronik")
        groups = parse("tanda tangan elektronik").groups
        self.assertEqual(groups, ((("tte",), ("tanda", "tangan", "elektronik")),))
        self.assertEqual(parse("TTE ").groups, groups)

    def test_the_last_unfinished_word_is_also_a_prefix(self):
        Synonym.objects.all().delete()
        self.assertEqual(parse("pengadu").groups, ((("adu",), ("pengadu*",)),))
        self.assertEqual(parse("pengadu ").groups, ((("adu",),),))  # a finished word: no prefix

    def test_shipped_synonyms_are_loaded(self):
        self.assertTrue(Synonym.objects.filter(terms__icontains="mal pelayanan publik").exists())
        self.assertGreaterEqual(Synonym.objects.count(), 40)
