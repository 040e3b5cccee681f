"""cms/integers.py: ASCII decimal integers with bounds, the one conversion of query parameters and path values."""

from django.test import SimpleTestCase

from cms.integers import ascii_int


class AsciiIntTests(SimpleTestCase):
    def test_ascii_digits_within_bounds(self):
        self.assertEqual(ascii_int("42", low=1, high=47), 42)
        self.assertEqual(ascii_int("042", low=1, high=47), 42)
        self.assertEqual(ascii_int("1", low=1, high=1), 1)

    def test_everything_else_is_none(self):
        # superscripts pass str.isdigit() but not int(); other scripts' digits pass int() but are no ASCII
        for raw in ("", None, "abc", "²", "²⁰²⁴", "٣", "३", "3.0", "-1", "+3", " 3", "3 ", "3_000", "1e3", "\x003"):
            with self.subTest(raw=raw):
                self.assertIsNone(ascii_int(raw, low=0, high=10**6))

    def test_out_of_bounds_and_huge_numbers_are_none(self):
        self.assertIsNone(ascii_int("0", low=1, high=47))
        self.assertIsNone(ascii_int("48", low=1, high=47))
        self.assertIsNone(ascii_int("9" * 5000, low=1, high=47), "more than int()'s 4,300 digits: no ValueError")
