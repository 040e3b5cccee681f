"""cms/wagtail_search.py: Wagtail's own search (admin, API v2) gets only the words of a query."""

from django.test import SimpleTestCase

from modelsearch.query import And, Not, Phrase, PlainText

from cms.wagtail_search import MAX_WORDS, words_only


class WordsOnlyTests(SimpleTestCase):
    def test_syntax_is_dropped_and_words_kept(self):
        self.assertEqual(words_only('+a -b "c d"'), "a b c d")
        self.assertEqual(words_only("a\x00b"), "a b")
        self.assertEqual(words_only("e-office: TTE*"), "e office TTE")

    def test_a_query_without_words_is_none(self):
        for query in ('"', " ", "", "\x00", "-", PlainText('"'), And([Phrase('"'), Not(PlainText("*"))])):
            with self.subTest(query=query):
                self.assertIsNone(words_only(query))

    def test_trees_keep_their_shape(self):
        query = words_only(And([PlainText('"x'), Phrase("c d"), Not(PlainText("-b"))]))
        self.assertIsInstance(query, And)
        first, phrase, negated = query.subqueries
        self.assertEqual((first.query_string, phrase.query_string, negated.subquery.query_string), ("x", "c d", "b"))
        self.assertEqual(words_only(And([PlainText("a"), Phrase('"')])).query_string, "a")

    def test_at_most_max_words(self):
        self.assertEqual(len(words_only(" ".join(["kata"] * 600)).split()), MAX_WORDS)
        tree = words_only(And([PlainText(" ".join(["a"] * 30)), Phrase("b c d e")]))
        self.assertEqual(tree.subqueries[1].query_string, "b c")
