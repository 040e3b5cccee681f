"""import_scores: indicator levels and imported aggregates from .csv and .xlsx, the computed values that follow,
official values left alone, all-or-nothing rejection of bad input (with line and field), idempotency and dry runs.

The session fixture (tests/conftest.py) has loaded the SPBE 2020 framework, the regions and the official
KemenPANRB results (e.g. 35.10 Kabupaten Banyuwangi 2024: index 4.77); no indicator levels exist before a test.
"""

import csv
import re
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import TestCase

import openpyxl

from casestudies.models import AggregateScore, Framework, IndicatorScore, Origin, Region, Scope
from casestudies.reference_data import SPBE_2020_DIR
from casestudies.scores.importer import import_scores

HEADER = ["region_code", "year", "indicator", "level", "domain", "aspect", "index", "value"]
INDICATOR_HEADER = ["region_code", "year", "indicator", "level"]
AGGREGATE_HEADER = ["region_code", "year", "domain", "aspect", "index", "value"]


def shipped_weights() -> tuple[dict[int, Decimal], dict[int, int], dict[int, int]]:
    """From indicators.csv: indicator weight (% of the index), indicator → aspect, aspect → domain."""
    with (SPBE_2020_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    weight = {int(r["number"]): Decimal(r["weight_percent"]) for r in rows}
    aspect_of = {int(r["number"]): int(r["aspect_number"]) for r in rows}
    domain_of = {int(r["aspect_number"]): int(r["domain_number"]) for r in rows}
    return weight, aspect_of, domain_of


def hand_computed(levels: dict[int, int]) -> tuple[dict[int, Decimal], dict[int, Decimal], Decimal]:
    """PermenPANRB 59/2020 §B.4, weights as fractions: aspect = Σ(NI×BI)/BA, domain = Σ(NA×BA)/BD, index = Σ(ND×BD)."""
    weight, aspect_of, domain_of = shipped_weights()
    bi = {n: w / 100 for n, w in weight.items()}
    ba = {a: sum(bi[n] for n in bi if aspect_of[n] == a) for a in set(aspect_of.values())}
    bd = {d: sum(ba[a] for a in ba if domain_of[a] == d) for d in set(domain_of.values())}
    aspects = {a: sum(levels[n] * bi[n] for n in bi if aspect_of[n] == a) / ba[a] for a in ba}
    domains = {d: sum(aspects[a] * ba[a] for a in ba if domain_of[a] == d) / bd[d] for d in bd}
    index = sum(domains[d] * bd[d] for d in bd)
    return aspects, domains, index


LEVELS = {n: (n * 7) % 5 + 1 for n in range(1, 48)}  # every level 1–5 appears, spread over all aspects


def indicator_rows(code="32.11", year=2024, levels=LEVELS) -> list[list]:
    return [[code, year, n, level] for n, level in sorted(levels.items())]


def state() -> dict:
    """Everything an import may write."""
    return {
        "levels": sorted(IndicatorScore.objects.values_list("region__code", "year", "indicator_id", "level", "source", "is_demo")),
        "aggregates": sorted(
            AggregateScore.objects.values_list(
                "region__code", "year", "scope", "number", "origin", "framework_id", "value", "predicate", "source",
                "is_demo",
            )
        ),
    }  # fmt: skip


class ScoreImportTestCase(TestCase):
    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)

    def write_csv(self, name: str, header, rows, *, delimiter=",", encoding="utf-8") -> Path:
        buffer = StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = self.tmp / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    def write_text(self, name: str, text: str) -> Path:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    def write_xlsx(self, name: str, header, rows) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        path = self.tmp / name
        workbook.save(path)
        return path

    def import_(self, path: Path, *args) -> str:
        out, err = StringIO(), StringIO()
        call_command("import_scores", str(path), *args, stdout=out, stderr=err)
        return out.getvalue().strip()

    @staticmethod
    def aggregates(code, year, origin) -> dict[tuple[str, int], AggregateScore]:
        return {
            (a.scope, a.number): a for a in AggregateScore.objects.filter(region__code=code, year=year, origin=origin)
        }


class IndicatorImportTests(ScoreImportTestCase):
    def test_all_indicators_of_one_region_year_and_the_computed_values(self):
        official_before = self.aggregates("32.11", 2024, Origin.OFFICIAL)
        path = self.write_csv("levels.csv", INDICATOR_HEADER, indicator_rows())
        self.assertEqual(
            self.import_(path), "levels.csv: 47 created, 0 updated, 0 unchanged; 13 computed value(s) recalculated"
        )

        scores = IndicatorScore.objects.filter(region__code="32.11", year=2024)
        self.assertEqual({s.indicator.number: s.level for s in scores}, LEVELS)
        self.assertTrue(all(s.indicator.framework.is_current for s in scores))
        self.assertEqual({(s.source, s.is_demo) for s in scores}, {("Impor levels.csv", False)})

        aspects, domains, index = hand_computed(LEVELS)
        computed = self.aggregates("32.11", 2024, Origin.COMPUTED)
        self.assertEqual(len(computed), 8 + 4 + 1)
        for number, value in aspects.items():
            self.assertAlmostEqual(computed[(Scope.ASPECT, number)].value, value, delta=Decimal("0.01"))
        for number, value in domains.items():
            self.assertAlmostEqual(computed[(Scope.DOMAIN, number)].value, value, delta=Decimal("0.01"))
        self.assertAlmostEqual(computed[(Scope.INDEX, 0)].value, index, delta=Decimal("0.01"))
        self.assertEqual(round(index, 2), Decimal("3.06"))  # so the check above is not vacuous: a "Baik" index
        self.assertEqual(computed[(Scope.INDEX, 0)].predicate, "Baik")

        # the official 2024 results of Sumedang (index 4.51) are still there, unchanged
        official_after = self.aggregates("32.11", 2024, Origin.OFFICIAL)
        self.assertEqual(official_after[(Scope.INDEX, 0)].value, Decimal("4.51"))
        self.assertEqual(
            {k: (a.pk, a.value, a.source) for k, a in official_after.items()},
            {k: (a.pk, a.value, a.source) for k, a in official_before.items()},
        )

    def test_changed_level_updates_in_place_and_recomputes(self):
        self.import_(self.write_csv("v1.csv", INDICATOR_HEADER, indicator_rows()))
        ids = sorted(IndicatorScore.objects.values_list("pk", flat=True))
        changed = {**LEVELS, 1: 5 if LEVELS[1] != 5 else 1}
        path = self.write_csv("v2.csv", INDICATOR_HEADER, indicator_rows(levels=changed))
        self.assertEqual(
            self.import_(path), "v2.csv: 0 created, 47 updated, 0 unchanged; 13 computed value(s) recalculated"
        )
        self.assertEqual(sorted(IndicatorScore.objects.values_list("pk", flat=True)), ids)  # source changed too
        path = self.write_csv(
            "v2.csv", INDICATOR_HEADER, indicator_rows(levels={**changed, 2: 5 if changed[2] != 5 else 1})
        )
        self.assertEqual(
            self.import_(path), "v2.csv: 0 created, 1 updated, 46 unchanged; 13 computed value(s) recalculated"
        )
        computed = self.aggregates("32.11", 2024, Origin.COMPUTED)
        _aspects, _domains, index = hand_computed({**changed, 2: 5 if changed[2] != 5 else 1})
        self.assertAlmostEqual(computed[(Scope.INDEX, 0)].value, index, delta=Decimal("0.01"))

    def test_partial_levels_compute_only_complete_aspects(self):
        aspect_1 = dict.fromkeys(range(1, 11), 3)  # indicators 1–10 make up aspect 1, the only aspect of domain 1
        path = self.write_csv("part.csv", INDICATOR_HEADER, indicator_rows(levels=aspect_1))
        self.assertEqual(
            self.import_(path), "part.csv: 10 created, 0 updated, 0 unchanged; 2 computed value(s) recalculated"
        )
        computed = self.aggregates("32.11", 2024, Origin.COMPUTED)
        self.assertEqual(sorted(computed), [(Scope.ASPECT, 1), (Scope.DOMAIN, 1)])
        self.assertEqual(computed[(Scope.ASPECT, 1)].value, Decimal("3.000"))

    def test_existing_demo_level_is_replaced_by_the_imported_one(self):
        region = Region.objects.get(code="32.11")
        indicator = Framework.current().indicators.get(number=37)
        IndicatorScore.objects.create(
            region=region, indicator=indicator, year=2024, level=2, source="Data contoh (sintetis)", is_demo=True
        )
        path = self.write_csv("one.csv", INDICATOR_HEADER, [["32.11", 2024, 37, 2]])
        self.assertTrue(self.import_(path).startswith("one.csv: 0 created, 1 updated, 0 unchanged"))
        score = IndicatorScore.objects.get(region=region, indicator=indicator, year=2024)
        self.assertEqual((score.level, score.source, score.is_demo), (2, "Impor one.csv", False))

    def test_source_option(self):
        path = self.write_csv("levels.csv", INDICATOR_HEADER, indicator_rows())
        self.import_(path, "--source", "Laporan evaluasi SPBE 2024 Kab. Sumedang")
        self.assertEqual(
            set(IndicatorScore.objects.values_list("source", flat=True)), {"Laporan evaluasi SPBE 2024 Kab. Sumedang"}
        )
        with self.assertRaisesRegex(CommandError, "--source is 121 characters; at most 120"):
            self.import_(path, "--source", "x" * 121)
        with self.assertRaisesRegex(CommandError, "--source must not be empty"):
            self.import_(path, "--source", " ")

    def test_identical_duplicate_row_counts_once(self):
        rows = [["32.11", 2024, 37, 4], ["32.11", "2024", "37", "4"], ["32.11", 2024, 1, 3]]
        path = self.write_csv("dup.csv", INDICATOR_HEADER, rows)
        self.assertTrue(self.import_(path).startswith("dup.csv: 2 created, 0 updated, 0 unchanged"))
        self.assertEqual(IndicatorScore.objects.count(), 2)

    def test_full_header_with_both_kinds_bom_and_blank_lines(self):
        text = (
            "\ufeffregion_code,year,indicator,level,domain,aspect,index,value\n"
            "32.11,2024,37,4,,,,\n"
            "\n"
            '32.11,2024,,,2,,,"3,5"\n'
            "32.12,2023,,,,,1,3.53\n"
            ",,,,,,,\n"
            "32.12,2023,,,,8,,4\n"
        )
        path = self.tmp / "mixed.csv"
        path.write_bytes(text.encode("utf-8"))
        self.assertEqual(self.import_(path), "mixed.csv: 4 created, 0 updated, 0 unchanged")  # no complete aspect
        self.assertEqual(IndicatorScore.objects.get().level, 4)
        imported = sorted(
            AggregateScore.objects.filter(origin=Origin.IMPORTED).values_list(
                "region__code", "year", "scope", "number", "value", "predicate"
            )
        )
        self.assertEqual(
            imported,
            [
                ("32.11", 2024, "domain", 2, Decimal("3.500"), ""),
                ("32.12", 2023, "aspect", 8, Decimal("4.000"), ""),
                ("32.12", 2023, "index", 0, Decimal("3.530"), "Sangat Baik"),
            ],
        )


class AggregateImportTests(ScoreImportTestCase):
    def test_xlsx_with_aggregate_rows(self):
        header = ["value", "index", "aspect", "domain", "year", "region_code"]  # any order
        rows = [
            [3.12, None, None, 1, 2022, "32.11"],
            ["2,75", None, None, 2, 2022, "32.11"],  # decimal comma typed as text
            [2, None, None, 3, 2022, "32.11"],
            [4.5, None, None, 4, 2022, "32.11"],
            [3.333, None, 7, None, 2022, "32.11"],
            [3.4, "x", None, None, 2022, "32.11"],
            [4.2, 1, None, None, "2022", 35.1],  # Excel turned "35.10" into the number 35.1
        ]
        path = self.write_xlsx("agregat.xlsx", header, rows)
        self.assertEqual(self.import_(path), "agregat.xlsx: 7 created, 0 updated, 0 unchanged")
        framework = Framework.current()
        imported = self.aggregates("32.11", 2022, Origin.IMPORTED)
        self.assertEqual(
            {key: a.value for key, a in imported.items()},
            {
                (Scope.DOMAIN, 1): Decimal("3.12"),
                (Scope.DOMAIN, 2): Decimal("2.75"),
                (Scope.DOMAIN, 3): Decimal("2"),
                (Scope.DOMAIN, 4): Decimal("4.5"),
                (Scope.ASPECT, 7): Decimal("3.333"),
                (Scope.INDEX, 0): Decimal("3.4"),
            },
        )
        for a in imported.values():
            self.assertEqual((a.framework, a.source, a.is_demo), (framework, "Impor agregat.xlsx", False))
        self.assertEqual(imported[(Scope.INDEX, 0)].predicate, "Baik")
        self.assertEqual(imported[(Scope.DOMAIN, 1)].predicate, "")
        banyuwangi = self.aggregates("35.10", 2022, Origin.IMPORTED)
        self.assertEqual(banyuwangi[(Scope.INDEX, 0)].value, Decimal("4.2"))
        self.assertEqual(banyuwangi[(Scope.INDEX, 0)].predicate, "Memuaskan")  # 4.20 is the band's lower bound
        self.assertFalse(AggregateScore.objects.filter(origin=Origin.COMPUTED).exists())
        self.assertFalse(IndicatorScore.objects.exists())
        self.assertEqual(
            self.import_(path), "agregat.xlsx: 0 created, 0 updated, 7 unchanged"
        )  # floats read back the same

    def test_official_value_is_never_touched(self):
        official = self.aggregates("35.10", 2024, Origin.OFFICIAL)
        self.assertEqual(official[(Scope.INDEX, 0)].value, Decimal("4.77"))
        before = sorted(AggregateScore.objects.filter(origin=Origin.OFFICIAL).values_list())
        rows = [["35.10", 2024, "", "", "", "", "1", "4,1"], ["35.10", 2024, "", "", "4", "", "", "3.9"]]
        path = self.write_csv("banyuwangi.csv", HEADER, rows)
        self.assertEqual(self.import_(path), "banyuwangi.csv: 2 created, 0 updated, 0 unchanged")

        self.assertEqual(sorted(AggregateScore.objects.filter(origin=Origin.OFFICIAL).values_list()), before)
        official = self.aggregates("35.10", 2024, Origin.OFFICIAL)
        self.assertEqual(official[(Scope.INDEX, 0)].value, Decimal("4.77"))
        self.assertEqual(official[(Scope.INDEX, 0)].predicate, "Memuaskan")
        self.assertEqual(official[(Scope.DOMAIN, 4)].value, Decimal("5.00"))
        imported = self.aggregates("35.10", 2024, Origin.IMPORTED)
        self.assertEqual(imported[(Scope.INDEX, 0)].value, Decimal("4.1"))
        self.assertEqual(imported[(Scope.INDEX, 0)].predicate, "Sangat Baik")
        self.assertEqual(imported[(Scope.DOMAIN, 4)].value, Decimal("3.9"))

        # a second file with other values updates the imported rows, still not the official ones
        path = self.write_csv("banyuwangi.csv", HEADER, [["35.10", 2024, "", "", "", "", "1", "4.5"]])
        self.assertEqual(self.import_(path), "banyuwangi.csv: 0 created, 1 updated, 0 unchanged")
        self.assertEqual(self.aggregates("35.10", 2024, Origin.IMPORTED)[(Scope.INDEX, 0)].predicate, "Memuaskan")
        self.assertEqual(sorted(AggregateScore.objects.filter(origin=Origin.OFFICIAL).values_list()), before)

    def test_levels_for_a_region_year_with_official_values(self):
        """Computed values sit beside the official ones; neither replaces the other."""
        path = self.write_csv("banyuwangi.csv", INDICATOR_HEADER, indicator_rows("35.10", 2024))
        self.import_(path)
        official = self.aggregates("35.10", 2024, Origin.OFFICIAL)
        computed = self.aggregates("35.10", 2024, Origin.COMPUTED)
        self.assertEqual(official[(Scope.INDEX, 0)].value, Decimal("4.77"))
        self.assertEqual(computed[(Scope.INDEX, 0)].value, Decimal("3.06"))

    def test_semicolon_separated_csv_with_decimal_commas(self):
        rows = [["32.11", 2024, "", "", "", "", "x", "3,12"], ["32.11", 2024, "", "", "1", "", "", "4,5"]]
        path = self.write_csv("titik-koma.csv", HEADER, rows, delimiter=";")
        self.assertEqual(self.import_(path), "titik-koma.csv: 2 created, 0 updated, 0 unchanged")
        imported = self.aggregates("32.11", 2024, Origin.IMPORTED)
        self.assertEqual(imported[(Scope.INDEX, 0)].value, Decimal("3.12"))
        self.assertEqual(imported[(Scope.DOMAIN, 1)].value, Decimal("4.5"))

    def test_values_are_kept_to_three_decimals(self):
        path = self.write_csv("presisi.csv", AGGREGATE_HEADER, [["32.11", 2024, "", "", "x", "3.12345"]])
        self.import_(path)
        self.assertEqual(self.aggregates("32.11", 2024, Origin.IMPORTED)[(Scope.INDEX, 0)].value, Decimal("3.123"))
        self.assertEqual(self.import_(path), "presisi.csv: 0 created, 0 updated, 1 unchanged")


class IdempotencyAndDryRunTests(ScoreImportTestCase):
    def rows(self):
        aggregates = [["32.12", 2023, "", "", "", "", "1", "3,53"], ["32.12", 2023, "", "", "", "3", "", "2.8"]]
        return [r + ["", "", "", ""] for r in indicator_rows()] + aggregates

    def test_second_import_changes_nothing(self):
        path = self.write_csv("semua.csv", HEADER, self.rows())
        self.assertEqual(
            self.import_(path), "semua.csv: 49 created, 0 updated, 0 unchanged; 13 computed value(s) recalculated"
        )
        before = state()
        counts = (IndicatorScore.objects.count(), AggregateScore.objects.count())
        computed_ids = sorted(AggregateScore.objects.filter(origin=Origin.COMPUTED).values_list("pk", flat=True))
        self.assertEqual(self.import_(path), "semua.csv: 0 created, 0 updated, 49 unchanged")
        self.assertEqual(state(), before)
        self.assertEqual((IndicatorScore.objects.count(), AggregateScore.objects.count()), counts)
        self.assertEqual(  # nothing changed, so nothing was recalculated (not even rewritten)
            sorted(AggregateScore.objects.filter(origin=Origin.COMPUTED).values_list("pk", flat=True)), computed_ids
        )

    def test_dry_run_writes_nothing(self):
        before = state()
        path = self.write_csv("semua.csv", HEADER, self.rows())
        self.assertEqual(
            self.import_(path, "--dry-run"),
            "semua.csv: 49 row(s) valid; would be 49 created, 0 updated, 0 unchanged; nothing written (--dry-run).",
        )
        self.assertEqual(state(), before)
        self.import_(path)
        after = state()
        self.assertEqual(
            self.import_(path, "--dry-run"),
            "semua.csv: 49 row(s) valid; would be 0 created, 0 updated, 49 unchanged; nothing written (--dry-run).",
        )
        self.assertEqual(state(), after)

    def test_dry_run_still_reports_errors(self):
        path = self.write_csv("bad.csv", INDICATOR_HEADER, [["99.99", 2024, 1, 3]])
        with self.assertRaises(CommandError):
            self.import_(path, "--dry-run")


class WriteFailureTests(ScoreImportTestCase):
    def test_a_failure_while_writing_leaves_no_row(self):
        """The score import's transaction: a file is written whole or not at all, even when the database fails
        after the first rows are in (here while the computed values are recalculated, the last step)."""
        before = state()
        path = self.write_csv("semua.csv", INDICATOR_HEADER, indicator_rows())
        with (
            mock.patch("casestudies.scores.importer.scores_recalculate", side_effect=DatabaseError("server closed")),
            self.assertRaises(DatabaseError),
        ):
            import_scores(path)
        self.assertEqual(state(), before)


class BadInputTests(ScoreImportTestCase):
    """Line 2 is a valid indicator row, line 3 a valid index row for 35.10 2024; the bad row(s) follow."""

    VALID = [["32.11", "2024", "37", "4", "", "", "", ""], ["35.10", "2024", "", "", "", "", "x", "4.1"]]

    def assert_rejected(self, *bad_rows, expected, path=None):
        """`expected`: every reported error as 'line N: <field>: <message start>', in order.

        Without `path`, the file is the two valid rows followed by `bad_rows`."""
        path = path or self.write_csv("bad.csv", HEADER, self.VALID + list(bad_rows))
        before = state()
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_scores", str(path), stdout=out, stderr=err)
        self.assertEqual(str(caught.exception), f"{len(expected)} error(s); nothing was written.")
        reported = err.getvalue().splitlines()
        self.assertEqual(len(reported), len(expected), reported)
        for text, start in zip(reported, expected, strict=True):
            self.assertTrue(text.startswith(f"{path.name}: {start}"), (text, start))
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(state(), before)
        self.assertFalse(IndicatorScore.objects.exists())
        self.assertFalse(AggregateScore.objects.filter(origin=Origin.IMPORTED).exists())
        return reported

    @staticmethod
    def level_row(indicator="1", level="3", code="32.11", year="2024"):
        return [code, year, indicator, level, "", "", "", ""]

    @staticmethod
    def aggregate_row(domain="", aspect="", index="", value="3", code="32.11", year="2024"):
        return [code, year, "", "", domain, aspect, index, value]

    def test_unknown_region_code(self):
        self.assert_rejected(
            self.level_row(code="99.99"),
            expected=["line 4: region_code: unknown region '99.99' (Kemendagri code such as '32.11')"],
        )
        reported = self.assert_rejected(
            self.level_row(code="35.1"), expected=["line 4: region_code: unknown region '35.1'"]
        )
        self.assertIn("did you mean '35.10'?", reported[0])

    def test_unknown_numbers(self):
        self.assert_rejected(
            self.level_row(indicator="48"), expected=["line 4: indicator: unknown indicator 48 (1–47)"]
        )
        self.assert_rejected(self.aggregate_row(domain="5"), expected=["line 4: domain: unknown domain 5 (1–4)"])
        self.assert_rejected(self.aggregate_row(aspect="9"), expected=["line 4: aspect: unknown aspect 9 (1–8)"])
        self.assert_rejected(self.aggregate_row(aspect="0"), expected=["line 4: aspect: unknown aspect 0 (1–8)"])
        self.assert_rejected(
            self.level_row(indicator="I37"), expected=["line 4: indicator: must be an indicator number, got 'I37'"]
        )
        self.assert_rejected(
            self.aggregate_row(domain="2,5"), expected=["line 4: domain: must be a domain number, got '2,5'"]
        )

    def test_level_not_an_integer_1_to_5(self):
        for level in ("0", "6", "3,5", "3.5", "tiga", "-1", "1e0"):
            with self.subTest(level=level):
                self.assert_rejected(
                    self.level_row(level=level), expected=[f"line 4: level: must be an integer 1–5, got '{level}'"]
                )

    def test_value_not_a_number_1_to_5(self):
        self.assert_rejected(
            self.aggregate_row(index="x", value="5,2"), expected=["line 4: value: '5,2' is outside 1–5"]
        )
        self.assert_rejected(
            self.aggregate_row(domain="4", value="0.30"), expected=["line 4: value: '0.30' is outside 1–5"]
        )
        for value in ("tinggi", "3,1,2", "1.234,5", "NaN", "3.", "#DIV/0!"):
            with self.subTest(value=value):
                self.assert_rejected(
                    self.aggregate_row(domain="1", value=value),
                    expected=[f"line 4: value: must be a number 1–5, got '{value}'"],
                )

    def test_year_not_an_integer_1990_to_2100(self):
        self.assert_rejected(self.level_row(year="1989"), expected=["line 4: year: 1989 is not between 1990 and 2100"])
        self.assert_rejected(self.level_row(year="2101"), expected=["line 4: year: 2101 is not between 1990 and 2100"])
        self.assert_rejected(
            self.level_row(year="2024a"), expected=["line 4: year: must be an integer year, got '2024a'"]
        )
        self.assert_rejected(self.level_row(year=""), expected=["line 4: year: missing"])

    def test_row_fills_none_or_several_kinds(self):
        self.assert_rejected(
            self.aggregate_row(value=""), expected=["line 4: (row): fills no score: give indicator + level"]
        )
        self.assert_rejected(
            ["32.11", "2024", "37", "4", "1", "", "", "3"],
            expected=["line 4: (row): fills several kinds (indicator, domain); a row holds exactly one"],
        )
        self.assert_rejected(
            self.aggregate_row(domain="1", index="x"), expected=["line 4: (row): fills several kinds (domain, index)"]
        )
        self.assert_rejected(self.aggregate_row(), expected=["line 4: value: given without domain, aspect or index"])
        self.assert_rejected(
            self.level_row(level=""), expected=["line 4: level: missing (an indicator row needs indicator and level)"]
        )
        self.assert_rejected(
            self.level_row(indicator=""),
            expected=["line 4: indicator: missing (an indicator row needs indicator and level)"],
        )
        self.assert_rejected(
            self.aggregate_row(aspect="3", value=""),
            expected=["line 4: value: missing (an aspect row needs aspect and value)"],
        )
        self.assert_rejected(
            ["32.11", "2024", "37", "4", "", "", "", "4"], expected=["line 4: value: must be empty in an indicator row"]
        )
        self.assert_rejected(
            ["32.11", "2024", "", "4", "1", "", "", "4"],
            expected=["line 4: (row): fills several kinds (indicator, domain)"],
        )

    def test_duplicate_with_a_different_value(self):
        self.assert_rejected(
            self.level_row(indicator="37", level="5"),
            expected=[
                "line 4: level: 5 differs from line 2 (4) for the same region, year and indicator 37; give it once"
            ],
        )
        self.assert_rejected(
            self.aggregate_row(index="1", value="4,2", code="35.10"),
            expected=["line 4: value: 4.2 differs from line 3 (4.1) for the same region, year and index"],
        )
        # the same value written differently is the same value
        path = self.write_csv(
            "same.csv", HEADER, self.VALID + [self.aggregate_row(index="ya", value="4,10", code="35.10")]
        )
        self.assertTrue(self.import_(path).startswith("same.csv: 2 created, 0 updated, 0 unchanged"))

    def test_missing_region_code(self):
        self.assert_rejected(self.level_row(code=" "), expected=["line 4: region_code: missing"])

    def test_header_errors(self):
        self.assert_rejected(
            path=self.write_csv("h1.csv", ["region_code", "tahun", "indicator", "level"], [["32.11", 2024, 1, 3]]),
            expected=[
                "line 1: (header): unknown column(s): 'tahun'; the columns are region_code, year, indicator, level",
                "line 1: (header): missing column(s): year",
            ],
        )
        self.assert_rejected(
            path=self.write_csv("h2.csv", ["region_code", "year", "indicator"], [["32.11", 2024, 1]]),
            expected=["line 1: (header): missing column: level (an indicator row needs indicator and level)"],
        )
        self.assert_rejected(
            path=self.write_csv("h3.csv", ["region_code", "year", "value"], [["32.11", 2024, 3]]),
            expected=["line 1: (header): missing column: domain, aspect or index (a value belongs to one of them)"],
        )
        self.assert_rejected(
            path=self.write_csv("h4.csv", ["region_code", "year", "index"], [["32.11", 2024, "x"]]),
            expected=["line 1: (header): missing column: value (an index row needs a value)"],
        )
        self.assert_rejected(
            path=self.write_csv("h5.csv", ["region_code", "year", "level", "level"], [["32.11", 2024, 3, 3]]),
            expected=[
                "line 1: (header): column 'level' appears twice",
                "line 1: (header): missing column: indicator (a level belongs to an indicator)",
            ],
        )
        self.assert_rejected(
            path=self.write_csv("h6.csv", ["region_code", "year"], [["32.11", 2024]]),
            expected=["line 1: (header): no score columns"],
        )
        self.assert_rejected(
            path=self.write_csv("h7.csv", ["Region_Code", "year", "indicator", "level"], [["32.11", 2024, 1, 3]]),
            expected=[
                "line 1: (header): unknown column(s): 'Region_Code'",
                "line 1: (header): missing column(s): region_code",
            ],
        )

    def test_empty_file_and_header_only(self):
        self.assert_rejected(
            path=self.write_text("kosong.csv", ""), expected=["line 1: (header): line 1 must name the columns"]
        )
        self.assert_rejected(
            path=self.write_text("judul.csv", "region_code,year,indicator,level\n\n"),
            expected=["line 1: (file): the file holds no score rows below the header"],
        )

    def test_too_many_cells(self):
        self.assert_rejected(
            ["32.11", "2024", "", "", "1", "", "", "3", "12"],
            expected=[
                'line 4: (row): 9 cells for 8 columns in the header; in a comma-separated file a number with a decimal comma needs quotes ("3,12")'
            ],
        )
        path = self.write_text("koma.csv", "region_code,year,domain,value\n32.11,2024,1,3\n32.11,2024,2,3,12\n")
        self.assert_rejected(path=path, expected=["line 3: (row): 5 cells for 4 columns"])

    def test_csv_in_another_encoding(self):
        valid = b"region_code,year,indicator,level\n32.11,2024,37,4\n32.11,2024,1,3\n"
        path = self.tmp / "cp1252.csv"
        path.write_bytes(valid + "32.12,2024,2,3 – é\n".encode("cp1252"))  # '–' is byte 16 of line 4
        self.assert_rejected(path=path, expected=["line 4: (line): not valid UTF-8 (byte 16); save the file as UTF-8"])
        path = self.tmp / "latin1.csv"
        path.write_bytes(valid + "32.11,2024,2,3,é\n".encode("latin-1") * 2)
        self.assert_rejected(path=path, expected=["line 4: (line): not valid UTF-8", "line 5: (line): not valid UTF-8"])

    def test_unreadable_xlsx_is_one_clear_error(self):
        path = self.write_text("rusak.xlsx", "region_code,year,indicator,level\n32.11,2024,37,4\n")
        reported = self.assert_rejected(
            path=path, expected=["line 1: (file): cannot read the file as an Excel workbook"]
        )
        self.assertIn("save it again as .xlsx", reported[0])
        good = self.write_xlsx("potong.xlsx", INDICATOR_HEADER, [["32.11", 2024, 37, 4]])
        truncated = self.tmp / "terpotong.xlsx"
        truncated.write_bytes(good.read_bytes()[:-200])
        self.assert_rejected(path=truncated, expected=["line 1: (file): cannot read the file as an Excel workbook"])

    def test_xlsx_errors_name_the_excel_row(self):
        rows = [["32.11", 2024, 37, 4], [None, None, None, None], ["32.11", 2024, 38, 6], ["32.11", 2024, 39, True]]
        path = self.write_xlsx("baris.xlsx", INDICATOR_HEADER, rows)
        self.assert_rejected(
            path=path,
            expected=[
                "line 4: level: must be an integer 1–5, got 6",
                "line 5: level: must be an integer 1–5, got bool True",
            ],
        )

    def test_file_that_is_missing_or_of_another_type(self):
        with self.assertRaisesRegex(CommandError, "no such file"):
            self.import_(self.tmp / "nope.csv")
        for name in ("nilai.xls", "nilai.json", "nilai.txt"):
            with self.subTest(name=name), self.assertRaisesRegex(CommandError, r"expected a \.csv or \.xlsx file"):
                self.import_(self.write_text(name, "region_code,year,indicator,level\n32.11,2024,37,4\n"))

    def test_every_bad_row_is_reported(self):
        path = self.write_csv(
            "banyak.csv",
            HEADER,
            [
                self.level_row(code="99.99", level="7"),
                self.level_row(indicator="37", level="4"),
                self.aggregate_row(domain="9", value="abc", year="1800"),
            ],
        )
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_scores", str(path), stdout=StringIO(), stderr=err)
        self.assertEqual(
            err.getvalue().splitlines(),
            [
                "banyak.csv: line 2: region_code: unknown region '99.99' (Kemendagri code such as '32.11')",
                "banyak.csv: line 2: level: must be an integer 1–5, got '7'",
                "banyak.csv: line 4: year: 1800 is not between 1990 and 2100",
                "banyak.csv: line 4: domain: unknown domain 9 (1–4)",
                "banyak.csv: line 4: value: must be a number 1–5, got 'abc'",
            ],
        )

    def test_errors_are_capped_at_100(self):
        path = self.write_csv("ratusan.csv", INDICATOR_HEADER, [["32.11", 2024, 48, 3]] * 150)
        err = StringIO()
        with self.assertRaisesRegex(
            CommandError, r"^100 error\(s\) \(at most 100 are reported\); nothing was written\.$"
        ):
            call_command("import_scores", str(path), stdout=StringIO(), stderr=err)
        lines = err.getvalue().splitlines()
        self.assertEqual(len(lines), 100)
        self.assertEqual(lines[-1], "ratusan.csv: line 101: indicator: unknown indicator 48 (1–47)")
        self.assertFalse(IndicatorScore.objects.exists())


class DocumentationTests(ScoreImportTestCase):
    def test_the_csv_examples_in_the_docs_import(self):
        docs = (Path(__file__).resolve().parents[2] / "docs" / "scores-import.md").read_text(encoding="utf-8")
        examples = re.findall(r"```csv\n(.*?)```", docs, flags=re.DOTALL)
        self.assertEqual(len(examples), 3)
        for number, text in enumerate(examples, start=1):
            with self.subTest(example=number):
                path = self.write_text(f"contoh-{number}.csv", text)
                self.assertRegex(self.import_(path), rf"^contoh-{number}\.csv: \d+ created")
        index = self.aggregates("35.10", 2024, Origin.IMPORTED)[(Scope.INDEX, 0)]
        self.assertEqual((index.value, index.source), (Decimal("4.12"), "Impor contoh-3.csv"))
        self.assertEqual(self.aggregates("35.10", 2024, Origin.OFFICIAL)[(Scope.INDEX, 0)].value, Decimal("4.77"))
