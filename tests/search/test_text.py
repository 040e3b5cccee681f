"""Indonesian analysis, query parsing and highlighting (no database)."""

from django.test import SimpleTestCase

from search.highlight import Marker
from search.text import analyze, normalize, stem, terms


class AnalysisTests(SimpleTestCase):
    def test_affixed_forms_share_a_stem(self):
        for group in (
            ("pelayanan", "layanan", "melayani"),
            ("pengaduan", "aduan"),
            ("kependudukan", "penduduk"),
            ("terintegrasi", "integrasi"),
        ):
            with self.subTest(group=group):
                self.assertEqual(len({stem(w) for w in group}), 1)

    def test_words_the_stemmer_does_not_know_are_kept(self):
        # PostgreSQL's `indonesian` snowball configuration turns "digital" into "gital".
        self.assertEqual(stem("digital"), "digital")
        self.assertEqual(stem("aplikasi"), "aplikasi")

    def test_case_accents_punctuation_and_stop_words(self):
        self.assertEqual(normalize("Pélayanan, Publik!"), "pelayanan publik")
        self.assertEqual(terms("Pelayanan yang Terintegrasi dan Digital"), ["layan", "integrasi", "digital"])
        self.assertEqual(analyze(""), "")


class MarkerTests(SimpleTestCase):
    def test_marks_every_form_of_a_searched_stem_and_escapes_the_rest(self):
        marker = Marker({"adu"})
        html = marker.mark("Pengaduan <script>alert(1)</script> & aduan")
        self.assertEqual(html, "<mark>Pengaduan</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>aduan</mark>")

    def test_prefix_marks_unfinished_words(self):
        self.assertIn("<mark>Pelayanan</mark>", Marker(set(), ("pelay",)).mark("Pelayanan publik"))

    def test_snippet_is_the_window_with_the_matches(self):
        text = " ".join(["kata"] * 100 + ["pengaduan", "warga"] + ["lain"] * 100)
        snippet = Marker({"adu"}).snippet(text, words=10)
        self.assertIn("<mark>pengaduan</mark>", snippet)
        self.assertTrue(snippet.startswith("… ") and snippet.endswith(" …"))
        self.assertLessEqual(len(snippet.split()), 14)

    def test_snippet_without_matches_is_the_start(self):
        self.assertEqual(Marker({"zzz"}).snippet("Satu dua tiga.", words=2), "Satu dua …")
