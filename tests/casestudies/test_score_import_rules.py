"""The score import's rules on small inputs: row validation, line-and-field errors, what is written and reported.

Most tests stop before anything is written (bad input, or a dry run): an import that writes rebuilds the
summaries (the costly part), so only the two tests of WritingTests write.
"""

from decimal import Decimal

from casestudies.exchange import ImportValidationError, LineError
from casestudies.models import AggregateScore, Framework, Indicator, IndicatorScore, Origin, Region, Scope
from casestudies.models.summaries import SummaryState
from casestudies.scores.import_rows import ScoreRow
from casestudies.scores.importer import (
    CREATE,
    KEEP,
    UNCHANGED,
    UPDATE,
    ScoreChange,
    import_score_content,
    import_score_rows,
    import_scores,
)

from .test_score_import import AGGREGATE_HEADER, HEADER, INDICATOR_HEADER, ScoreImportTestCase, state

SOURCE = "Uji aturan"


def numbered(header, *rows) -> list[tuple[int, list]]:
    """Rows as a reader gives them: (line, cells), the header on line 1."""
    return [(1, list(header)), *((line, list(cells)) for line, cells in enumerate(rows, start=2))]


def csv_bytes(*lines: str) -> bytes:
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


class RulesTestCase(ScoreImportTestCase):
    def setUp(self):
        super().setUp()
        self.framework = Framework.current()
        self.region = dict(Region.objects.values_list("code", "pk"))

    def rejected(self, raw_rows, **options) -> list[str]:
        """Every error of a dry run of `raw_rows`, as the user reads it."""
        with self.assertRaises(ImportValidationError) as caught:
            import_score_rows(raw_rows, source=SOURCE, dry_run=True, **options)
        return [str(error) for error in caught.exception.errors]

    def rejected_upload(self, content: bytes, **options) -> list[str]:
        """Every error of a dry run of an uploaded .csv file."""
        with self.assertRaises(ImportValidationError) as caught:
            import_score_content("nilai.csv", content, source=SOURCE, dry_run=True, **options)
        return [str(error) for error in caught.exception.errors]

    def level(self, code, year, number, level, *, origin=Origin.IMPORTED, source=SOURCE):
        return IndicatorScore(
            region_id=self.region[code],
            indicator=Indicator.objects.get(framework=self.framework, number=number),
            year=year,
            level=level,
            origin=origin,
            source=source,
            is_demo=False,
        )

    def aggregate(self, code, year, scope, number, value, *, framework=None, source=SOURCE, predicate=""):
        return AggregateScore(
            region_id=self.region[code],
            framework=framework or self.framework,
            year=year,
            scope=scope,
            number=number,
            value=Decimal(value),
            predicate=predicate,
            origin=Origin.IMPORTED,
            source=source,
            is_demo=False,
        )


class HeaderRuleTests(RulesTestCase):
    def test_empty_file_is_told_every_column_name(self):
        """An empty file: line 1 must name the columns, and the message lists all eight."""
        self.assertEqual(
            self.rejected([]),
            [
                "line 1: (header): line 1 must name the columns: region_code, year, indicator, level, domain, "
                "aspect, index, value (the ones you use)"
            ],
        )

    def test_unknown_columns_are_listed_together(self):
        """Several unknown column names: one header error quoting each of them, comma-separated."""
        self.assertEqual(
            self.rejected(numbered([*INDICATOR_HEADER, "tahun", "nilai"], ["32.11", "2024", "1", "3", "", ""])),
            [
                "line 1: (header): unknown column(s): 'tahun', 'nilai'; the columns are region_code, year, "
                "indicator, level, domain, aspect, index, value"
            ],
        )

    def test_both_required_columns_missing_are_listed_together(self):
        """A header without region_code and year: one error naming both."""
        self.assertEqual(
            self.rejected(numbered(["indicator", "level"], ["1", "3"])),
            ["line 1: (header): missing column(s): region_code, year"],
        )

    def test_an_unnamed_empty_column_between_named_ones_is_ignored(self):
        """An Excel header with an empty cell (None) is no column; the columns after it still count, and an empty
        cell below it is fine: only the row's real problem is reported."""
        rows = numbered(["region_code", None, "year", "indicator", "level"], ["32.11", None, 2024, 1, 9])
        self.assertEqual(self.rejected(rows), ["line 2: level: must be an integer 1–5, got 9"])


class RowRuleTests(RulesTestCase):
    def test_a_value_in_an_unnamed_column(self):
        """A cell under a header cell left empty is an error of the row, naming the column's position."""
        content = csv_bytes("region_code,year,,indicator,level", "32.11,2024,x,1,3")
        self.assertEqual(
            self.rejected_upload(content), ["line 2: (row): column 3 has a value but no name in the header"]
        )

    def test_a_short_row_misses_its_last_cells(self):
        """A CSV line with fewer cells than the header: the cells not there are empty (here: the level)."""
        content = csv_bytes("region_code,year,indicator,level", "32.11,2024,1")
        self.assertEqual(
            self.rejected_upload(content), ["line 2: level: missing (an indicator row needs indicator and level)"]
        )

    def test_year_bounds_are_inclusive(self):
        """1990 and 2100 are valid years; 1989 is not (only line 4 is reported)."""
        rows = numbered(
            INDICATOR_HEADER, ["32.11", "1990", "1", "3"], ["32.11", "2100", "1", "3"], ["32.11", "1989", "1", "3"]
        )
        self.assertEqual(self.rejected(rows), ["line 4: year: 1989 is not between 1990 and 2100"])

    def test_value_bounds_are_inclusive(self):
        """1 and 5 are valid values; 0,999 is not (only line 4 is reported)."""
        rows = numbered(
            AGGREGATE_HEADER,
            ["32.11", "2024", "1", "", "", "1"],
            ["32.11", "2024", "2", "", "", "5"],
            ["32.11", "2024", "3", "", "", "0,999"],
        )
        self.assertEqual(self.rejected(rows), ["line 4: value: '0,999' is outside 1–5"])

    def test_values_are_rounded_half_up_before_repeats_are_compared(self):
        """3.1225 is stored as 3.123 (half up), so a repeat giving 3.122 differs from it."""
        rows = numbered(
            AGGREGATE_HEADER, ["32.11", "2024", "1", "", "", "3.1225"], ["32.11", "2024", "1", "", "", "3.122"]
        )
        self.assertEqual(
            self.rejected(rows),
            ["line 3: value: 3.122 differs from line 2 (3.123) for the same region, year and domain 1; give it once"],
        )

    def test_a_repeated_index_with_another_value(self):
        """The index has no number: the message says "index", not "index 0"."""
        rows = numbered(AGGREGATE_HEADER, ["32.11", "2024", "", "", "x", "4.1"], ["32.11", "2024", "", "", "ya", "4,2"])
        self.assertEqual(
            self.rejected(rows),
            ["line 3: value: 4.2 differs from line 2 (4.1) for the same region, year and index; give it once"],
        )

    def test_no_trailing_zero_hint_when_the_padded_code_is_no_region(self):
        """'99.9' looks like a code that lost its trailing zero, but 99.90 is no region either: no hint."""
        rows = numbered(INDICATOR_HEADER, ["99.9", "2024", "1", "3"])
        self.assertEqual(
            self.rejected(rows), ["line 2: region_code: unknown region '99.9' (Kemendagri code such as '32.11')"]
        )

    def test_spreadsheet_cells_that_are_not_finite_numbers(self):
        """Infinite and NaN numeric cells (float or Decimal) are not numbers: neither values nor levels."""
        for cell, shown in (
            (float("inf"), "inf"),
            (float("nan"), "nan"),
            (Decimal("NaN"), "NaN"),
            (Decimal("-Infinity"), "-Infinity"),
        ):
            with self.subTest(cell=shown):
                rows = numbered(AGGREGATE_HEADER, ["32.11", 2024, 1, None, None, cell])
                self.assertEqual(self.rejected(rows), [f"line 2: value: must be a number 1–5, got {shown}"])
        rows = numbered(INDICATOR_HEADER, ["32.11", 2024, 1, float("inf")])
        self.assertEqual(self.rejected(rows), ["line 2: level: must be an integer 1–5, got inf"])

    def test_numeric_region_codes_and_decimal_cells_are_read(self):
        """A numeric code cell is read as NN or NN.NN (32 → '32', 35.1 → '35.10'); a Decimal cell is a number."""
        rows = numbered(
            AGGREGATE_HEADER,
            [32, 2024, 1, None, None, 3],
            [32.0, 2024, 2, None, None, 3],
            [35.1, 2024, 3, None, None, Decimal("3.5")],
        )
        report = import_score_rows(rows, source=SOURCE, dry_run=True, with_changes=True)
        self.assertEqual(
            [(c.row.region_id, c.row.number, c.row.value, c.action) for c in report.changes],
            [
                (self.region["32"], 1, Decimal("3.000"), CREATE),
                (self.region["32"], 2, Decimal("3.000"), CREATE),
                (self.region["35.10"], 3, Decimal("3.500"), CREATE),
            ],
        )

    def test_numbers_against_a_framework_that_has_none(self):
        """A current framework without indicators or domains yet: every number is unknown, the range 0–0."""
        Framework.objects.update(is_current=False)
        Framework.objects.create(slug="kosong", name_id="Kerangka kosong", is_current=True)
        rows = numbered(
            HEADER, ["32.11", "2024", "1", "3", "", "", "", ""], ["32.11", "2024", "", "", "1", "", "", "3"]
        )
        self.assertEqual(
            self.rejected(rows),
            ["line 2: indicator: unknown indicator 1 (0–0)", "line 3: domain: unknown domain 1 (0–0)"],
        )

    def test_no_current_framework(self):
        """Without a current framework nothing can be read: one error about the file."""
        Framework.objects.update(is_current=False)
        with self.assertRaises(ImportValidationError) as caught:
            import_score_rows(numbered(INDICATOR_HEADER, ["32.11", "2024", "1", "3"]), source=SOURCE, dry_run=True)
        self.assertEqual(
            caught.exception.errors,
            [LineError(1, "(file)", "no current framework; run load_reference_data first")],
        )


class SelfAssessmentRuleTests(RulesTestCase):
    """An officer's upload (import_score_content, as the admin upload view calls it): origin self_assessed."""

    def test_self_assessment_gives_levels_only(self):
        """Domain and index values in a self-assessment are errors of their column; the level row is fine."""
        content = csv_bytes(",".join(HEADER), "32.11,2024,1,3,,,,", "32.11,2024,,,2,,,3", "32.11,2024,,,,,x,3")
        self.assertEqual(
            self.rejected_upload(content, origin=Origin.SELF_ASSESSED),
            [
                "line 3: domain: a self-assessment gives indicator levels only; the domain values are computed "
                "from them",
                "line 4: index: a self-assessment gives indicator levels only; the index values are computed from them",
            ],
        )

    def test_officer_uploads_for_own_region_only(self):
        """With allowed regions, a row of another region is an error; a row of an allowed one is fine."""
        content = csv_bytes(",".join(INDICATOR_HEADER), "32.11,2024,1,3", "32.12,2024,1,3")
        self.assertEqual(
            self.rejected_upload(
                content, origin=Origin.SELF_ASSESSED, allowed_region_ids=frozenset({self.region["32.11"]})
            ),
            ["line 3: region_code: '32.12' is not your region: you may upload your own region's levels only"],
        )

    def test_self_assessment_keeps_levels_an_import_stored(self):
        """A self-assessed level never replaces an imported one (kept, and reported so); it replaces an earlier
        self-assessed level and creates a missing one. Rows after a kept one are still handled."""
        IndicatorScore.objects.bulk_create(
            [
                self.level("32.11", 2024, 1, 2),
                self.level("32.11", 2024, 2, 4),
                self.level("32.11", 2024, 3, 1, origin=Origin.SELF_ASSESSED),
            ]
        )
        before = state()
        content = csv_bytes(",".join(INDICATOR_HEADER), *(f"32.11,2024,{n},3" for n in (1, 2, 3, 4)))
        report = import_score_content(
            "mandiri.csv", content, source=SOURCE, dry_run=True, origin=Origin.SELF_ASSESSED, with_changes=True
        )
        self.assertEqual(str(report), "1 created, 1 updated, 0 unchanged, 2 kept (an imported level is stored)")
        self.assertEqual((report.created, report.updated, report.unchanged, report.kept), (1, 1, 0, 2))
        self.assertEqual(
            [(c.row.number, c.action, c.stored, c.stored_origin) for c in report.changes],
            [
                (1, KEEP, 2, Origin.IMPORTED),
                (2, KEEP, 4, Origin.IMPORTED),
                (3, UPDATE, 1, Origin.SELF_ASSESSED),
                (4, CREATE, None, ""),
            ],
        )
        self.assertEqual(report.changes[0].row, ScoreRow(2, self.region["32.11"], 2024, "indicator", 1, level=3))
        self.assertEqual(state(), before)


class DryRunTests(RulesTestCase):
    def test_changes_list_each_row_against_its_stored_value(self):
        """with_changes: one entry per valid row, in file order, with the stored value and origin when there is
        one. An imported value of an older framework is not this framework's: its row is created."""
        old = Framework.objects.create(slug="lama", name_id="Kerangka lama")
        IndicatorScore.objects.bulk_create([self.level("32.11", 2024, 1, 2), self.level("32.11", 2024, 2, 3)])
        AggregateScore.objects.bulk_create(
            [
                self.aggregate("32.11", 2024, Scope.DOMAIN, 1, "3"),
                self.aggregate("32.11", 2024, Scope.DOMAIN, 2, "2"),
                self.aggregate("32.11", 2024, Scope.INDEX, 0, "4", framework=old, predicate="Sangat Baik"),
            ]
        )
        before = state()
        content = csv_bytes(
            ",".join(HEADER),
            "32.11,2024,1,4,,,,",  # level 2 stored: updated
            "32.11,2024,2,3,,,,",  # the same level, source and origin stored: unchanged
            "32.11,2024,3,5,,,,",  # created
            "32.11,2024,,,1,,,3",  # unchanged
            '32.11,2024,,,2,,,"2,5"',  # updated
            "32.11,2024,,,,,x,4",  # created (the stored index is the older framework's)
        )
        report = import_score_content("nilai.csv", content, source=SOURCE, dry_run=True, with_changes=True)
        self.assertEqual(str(report), "2 created, 2 updated, 2 unchanged")
        region = self.region["32.11"]
        self.assertEqual(
            report.changes,
            [
                ScoreChange(ScoreRow(2, region, 2024, "indicator", 1, level=4), UPDATE, 2, Origin.IMPORTED),
                ScoreChange(ScoreRow(3, region, 2024, "indicator", 2, level=3), UNCHANGED, 3, Origin.IMPORTED),
                ScoreChange(ScoreRow(4, region, 2024, "indicator", 3, level=5), CREATE),
                ScoreChange(ScoreRow(5, region, 2024, "domain", 1, value=Decimal("3")), UNCHANGED, 3, Origin.IMPORTED),
                ScoreChange(ScoreRow(6, region, 2024, "domain", 2, value=Decimal("2.5")), UPDATE, 2, Origin.IMPORTED),
                ScoreChange(ScoreRow(7, region, 2024, "index", 0, value=Decimal("4")), CREATE),
            ],
        )
        self.assertEqual(state(), before)

    def test_no_changes_listed_unless_asked(self):
        """Without with_changes, an upload's report lists no changes (only counts)."""
        content = csv_bytes(",".join(INDICATOR_HEADER), "32.11,2024,1,3")
        report = import_score_content("nilai.csv", content, source=SOURCE, dry_run=True)
        self.assertEqual((str(report), report.changes), ("1 created, 0 updated, 0 unchanged", []))

    def test_dry_run_of_a_file_shows_progress_and_recalculates_nothing(self):
        """import_scores --dry-run: the progress callback sees every valid row, the report lists no changes,
        no computed value is recalculated (aspect 1 would be complete) and nothing is written."""
        path = self.write_csv("aspek.csv", INDICATOR_HEADER, [["32.11", 2024, n, 3] for n in range(1, 11)])
        before = state()
        seen = []

        def progress(rows):
            seen.extend(rows)
            return rows

        report = import_scores(path, dry_run=True, progress=progress)
        self.assertEqual([(row.line, row.number, row.level) for row in seen], [(n + 1, n, 3) for n in range(1, 11)])
        self.assertEqual(
            (str(report), report.recalculated, report.changes), ("10 created, 0 updated, 0 unchanged", 0, [])
        )
        self.assertEqual(state(), before)


class WritingTests(RulesTestCase):
    """The only tests here that write (each write rebuilds the summaries)."""

    def test_levels_are_written_and_only_their_region_years_recalculated(self):
        """import_score_rows writes unless told it is a dry run; the computed values are recalculated for the
        file's regions and years only, not for other region-years that have levels."""
        IndicatorScore.objects.bulk_create(
            [
                self.level(code, year, n, 4, source="Lama")
                for code, year in (("32.12", 2024), ("32.11", 2023))
                for n in range(1, 11)
            ]
        )
        rows = numbered(INDICATOR_HEADER, *(["32.11", 2024, n, 3] for n in range(1, 11)))
        report = import_score_rows(rows, source=SOURCE)
        self.assertEqual(
            (str(report), report.recalculated, report.changes), ("10 created, 0 updated, 0 unchanged", 2, [])
        )
        self.assertEqual(
            sorted(
                IndicatorScore.objects.filter(region__code="32.11", year=2024).values_list(
                    "indicator__number", "level", "source", "origin", "is_demo"
                )
            ),
            [(n, 3, SOURCE, Origin.IMPORTED, False) for n in range(1, 11)],
        )
        computed = AggregateScore.objects.filter(origin=Origin.COMPUTED)
        self.assertEqual(
            sorted(computed.values_list("region__code", "year", "scope", "number", "value")),
            [("32.11", 2024, "aspect", 1, Decimal("3.000")), ("32.11", 2024, "domain", 1, Decimal("3.000"))],
        )

    def test_a_large_update_of_imported_values_is_whole_and_rebuilds_the_summaries(self):
        """An upload that only updates imported values (more than a thousand, all to the same new source): every
        row is updated, and the summaries are rebuilt although nothing was created or recalculated."""
        codes = sorted(self.region)[:21]
        keys = [
            (code, year, scope, number)
            for code in codes
            for year in (2021, 2022, 2023, 2024)
            for scope, numbers in ((Scope.DOMAIN, range(1, 5)), (Scope.ASPECT, range(1, 9)))
            for number in numbers
        ]
        self.assertGreater(len(keys), 1000)
        AggregateScore.objects.bulk_create([self.aggregate(*key, "3", source="Lama") for key in keys])
        SummaryState.objects.filter(framework=self.framework).delete()
        lines = [
            f"{code},{year},{number if scope == Scope.DOMAIN else ''},{number if scope == Scope.ASPECT else ''},,3"
            for code, year, scope, number in keys
        ]
        report = import_score_content("agregat.csv", csv_bytes(",".join(AGGREGATE_HEADER), *lines), source=SOURCE)
        self.assertEqual(str(report), f"0 created, {len(keys)} updated, 0 unchanged")
        imported = AggregateScore.objects.filter(origin=Origin.IMPORTED)
        self.assertEqual(imported.count(), len(keys))
        self.assertEqual(set(imported.values_list("source", "value")), {(SOURCE, Decimal("3"))})
        self.assertTrue(SummaryState.objects.filter(framework=self.framework).exists())
