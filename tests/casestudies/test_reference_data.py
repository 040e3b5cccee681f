"""The shipped reference data: SPBE 2020 taxonomy, Kemendagri regions, IDSL pilots; loaders and their errors.

The session fixture (tests/conftest.py) has already loaded everything once; these tests check the loaded rows
against the shipped files, re-run the loaders (idempotency), feed them broken copies of the files (errors name
file, line and field; nothing is written) and load a second, unconfirmed framework (Pemdi 2026) beside SPBE 2020.
"""

import csv
import json
import shutil
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from casestudies.models import (
    Aspect,
    Domain,
    Framework,
    Indicator,
    LevelCriterion,
    LevelScale,
    Predicate,
    Region,
    ScaleLevel,
)
from casestudies.reference_data import (
    PILOTS_FILE,
    REGIONS_FILE,
    SPBE_2020_DIR,
    ReferenceDataError,
    load_all,
    load_framework,
    load_regions,
)
from casestudies.scores.formula import Weights

PEMDI_DIR = Path(__file__).resolve().parents[1] / "data" / "pemdi_2026"
MODELS = (Framework, Domain, Aspect, LevelScale, ScaleLevel, Predicate, Indicator, LevelCriterion, Region)
SPBE_SLUG = "spbe-2020"


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def shipped_indicator_rows() -> list[dict]:
    with (SPBE_2020_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def spbe() -> Framework:
    return Framework.objects.get(slug=SPBE_SLUG)


class FrameworkTaxonomyTests(TestCase):
    def test_one_current_framework_which_is_spbe_2020(self):
        self.assertEqual(Framework.objects.filter(is_current=True).count(), 1)
        self.assertEqual(Framework.current().slug, SPBE_SLUG)
        self.assertEqual(Framework.current().effective_from.isoformat(), "2021-01-01")

    def test_counts(self):
        framework = spbe()
        self.assertEqual(framework.domains.count(), 4)
        self.assertEqual(framework.aspects.count(), 8)
        self.assertEqual(framework.indicators.count(), 47)
        self.assertEqual(LevelCriterion.objects.filter(indicator__framework=framework).count(), 235)

    def test_domain_and_aspect_names_follow_framework_json(self):
        spec = json.loads((SPBE_2020_DIR / "framework.json").read_text(encoding="utf-8"))
        self.assertEqual(
            list(spbe().domains.values_list("number", "name_id")),
            [(d["number"], d["name_id"]) for d in spec["domains"]],
        )
        self.assertEqual(
            list(spbe().aspects.values_list("number", "domain__number", "name_id")),
            [(a["number"], a["domain"], a["name_id"]) for a in spec["aspects"]],
        )

    def test_every_indicator_matches_its_csv_row(self):
        rows = shipped_indicator_rows()
        self.assertEqual(len(rows), 47)
        indicators = {i.number: i for i in spbe().indicators.select_related("aspect", "aspect__domain")}
        for row in rows:
            number = int(row["number"])
            with self.subTest(indicator=number):
                indicator = indicators[number]
                self.assertEqual(indicator.official_name, row["indicator_name_id"])
                self.assertEqual(indicator.name_en, row["indicator_name_en"])
                self.assertEqual(indicator.aspect.number, int(row["aspect_number"]))
                self.assertEqual(indicator.aspect.domain.number, int(row["domain_number"]))
                self.assertEqual(indicator.aspect.name_id, row["aspect_name"])
                self.assertEqual(indicator.weight, Decimal(row["weight_percent"]))

    def test_display_name_drops_the_tingkat_kematangan_prefix(self):
        for indicator in spbe().indicators.all():
            with self.subTest(indicator=indicator.number):
                self.assertTrue(indicator.official_name.startswith("Tingkat Kematangan "))
                self.assertEqual(indicator.name_id, indicator.official_name.removeprefix("Tingkat Kematangan "))
                self.assertFalse(indicator.name_id.startswith("Tingkat"))
        indicator = spbe().indicators.get(number=1)
        self.assertEqual(indicator.name_id, "Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah")
        self.assertEqual(indicator.display_name, indicator.name_id)

    def test_five_level_criteria_per_indicator(self):
        for indicator in spbe().indicators.prefetch_related("criteria"):
            with self.subTest(indicator=indicator.number):
                self.assertEqual([c.level for c in indicator.criteria.all()], [1, 2, 3, 4, 5])
                self.assertTrue(all(c.text_id.strip() for c in indicator.criteria.all()))


class WeightTests(TestCase):
    def test_domain_weights(self):
        weights = list(spbe().domains.values_list("weight", flat=True))
        self.assertEqual(weights, [Decimal("13"), Decimal("25"), Decimal("16.5"), Decimal("45.5")])
        self.assertEqual(sum(weights), 100)

    def test_aspect_weights(self):
        weights = list(spbe().aspects.values_list("weight", flat=True))
        expected = ["13", "10", "10", "5", "12", "4.5", "27.5", "18"]
        self.assertEqual(weights, [Decimal(w) for w in expected])

    def test_aspect_weights_sum_to_their_domain_weight(self):
        for domain in spbe().domains.prefetch_related("aspects"):
            with self.subTest(domain=domain.number):
                self.assertEqual(sum(a.weight for a in domain.aspects.all()), domain.weight)

    def test_indicator_weights_sum_to_100_and_per_aspect_to_the_aspect_weight(self):
        self.assertEqual(sum(spbe().indicators.values_list("weight", flat=True)), Decimal(100))
        for aspect in spbe().aspects.prefetch_related("indicators"):
            with self.subTest(aspect=aspect.number):
                self.assertEqual(sum(i.weight for i in aspect.indicators.all()), aspect.weight)

    def test_indicator_weight_bands(self):
        bands = {range(1, 11): "1.30", range(11, 21): "2.50", range(21, 32): "1.50", range(32, 42): "2.75"}
        bands[range(42, 48)] = "3.00"  # the 2024 report's 3.50 is a typo (README)
        weights = dict(spbe().indicators.values_list("number", "weight"))
        for numbers, weight in bands.items():
            for number in numbers:
                self.assertEqual(weights[number], Decimal(weight), number)
        self.assertEqual(spbe().indicators.get(number=42).weight_fraction, Decimal("0.03"))


class ScaleTests(TestCase):
    PROCESS = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]
    SERVICE = ["Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum"]

    def level_names(self, number: int) -> list[str]:
        indicator = spbe().indicators.select_related("scale").get(number=number)
        return list(indicator.scale.levels.values_list("name_id", flat=True))

    def test_two_scales(self):
        self.assertEqual(sorted(spbe().scales.values_list("slug", flat=True)), ["layanan", "proses"])

    def test_indicators_1_to_31_on_the_process_scale(self):
        for number in range(1, 32):
            with self.subTest(indicator=number):
                self.assertEqual(self.level_names(number), self.PROCESS)

    def test_indicators_32_to_47_on_the_service_scale(self):
        for number in range(32, 48):
            with self.subTest(indicator=number):
                self.assertEqual(self.level_names(number), self.SERVICE)

    def test_criteria_file_level_names_agree_with_the_scales(self):
        with (SPBE_2020_DIR / "level_criteria.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                number, level = int(row["indicator_number"]), int(row["level"])
                names = self.PROCESS if number <= 31 else self.SERVICE
                self.assertEqual(row["level_name"], names[level - 1], (number, level))


def predicate(value) -> str:
    """The predicate the official formula gives an index value (the one implementation: scores.formula)."""
    return Weights.of(spbe()).predicate(value)


class PredicateTests(TestCase):
    def test_bands(self):
        expected = {
            "0": "Kurang",
            "1.79": "Kurang",
            "1.80": "Cukup",
            "2.59": "Cukup",
            "2.60": "Baik",
            "3.49": "Baik",
            "3.50": "Sangat Baik",
            "4.19": "Sangat Baik",
            "4.20": "Memuaskan",
            "5.00": "Memuaskan",
        }
        for value, name in expected.items():
            with self.subTest(value=value):
                self.assertEqual(predicate(Decimal(value)), name)

    def test_float_input_and_values_outside_the_scale(self):
        self.assertEqual(predicate(1.8), "Cukup")
        self.assertEqual(predicate(3.12), "Baik")  # national index 2024
        self.assertEqual(predicate("5.01"), "")
        self.assertEqual(predicate("-0.01"), "")


class RegionTests(TestCase):
    def test_counts_by_type(self):
        self.assertEqual(Region.objects.filter(type=Region.Type.PROVINSI).count(), 38)
        self.assertEqual(Region.objects.filter(type=Region.Type.KABUPATEN).count(), 416)
        self.assertEqual(Region.objects.filter(type=Region.Type.KOTA).count(), 98)
        self.assertEqual(Region.objects.count(), 552)

    def test_sumedang(self):
        sumedang = Region.objects.select_related("province").get(code="32.11")
        self.assertEqual(sumedang.name, "Kabupaten Sumedang")
        self.assertEqual(sumedang.type, Region.Type.KABUPATEN)
        self.assertEqual((sumedang.province.code, sumedang.province.name), ("32", "Jawa Barat"))
        self.assertEqual(sumedang.short_name, "Kab. Sumedang")
        self.assertEqual(sumedang.population, 1226660)
        self.assertEqual(sumedang.province.short_name, "Prov. Jawa Barat")

    def test_every_kabupaten_and_kota_has_a_province_and_provinces_have_none(self):
        self.assertFalse(Region.objects.exclude(type=Region.Type.PROVINSI).filter(province=None).exists())
        self.assertFalse(Region.objects.filter(type=Region.Type.PROVINSI).exclude(province=None).exists())
        self.assertFalse(Region.objects.exclude(province=None).exclude(province__type=Region.Type.PROVINSI).exists())

    def test_pilots_are_exactly_sumedang_and_indramayu(self):
        pilots = list(Region.objects.filter(is_idsl_pilot=True).values_list("code", flat=True))
        self.assertEqual(pilots, ["32.11", "32.12"])


class ReloadTests(TestCase):
    def test_second_load_creates_nothing(self):
        before = counts()
        reports = load_all()
        self.assertEqual(set(reports), {"framework SPBE 2020", "regions", "official SPBE results 2023-2024"})
        for name, report in reports.items():
            with self.subTest(name):
                self.assertEqual(report.created, 0)
        self.assertEqual(reports["regions"].updated, 552)
        self.assertEqual(counts(), before)
        self.assertEqual(Framework.objects.filter(is_current=True).count(), 1)

    def test_renamed_region_is_restored(self):
        Region.objects.filter(code="32.11").update(name="Kab Sumedang (typo)", population=1)
        load_all()
        region = Region.objects.get(code="32.11")
        self.assertEqual((region.name, region.population), ("Kabupaten Sumedang", 1226660))

    def test_pilot_flag_set_by_an_administrator_survives(self):
        Region.objects.filter(code="35.10").update(is_idsl_pilot=True)  # Kabupaten Banyuwangi
        load_all()
        self.assertTrue(Region.objects.get(code="35.10").is_idsl_pilot)
        self.assertEqual(Region.objects.filter(is_idsl_pilot=True).count(), 3)

    def test_changed_taxonomy_is_refreshed(self):
        Indicator.objects.filter(framework=spbe(), number=5).update(name_id="x", weight=Decimal("9"))
        load_framework()
        indicator = spbe().indicators.get(number=5)
        self.assertEqual(indicator.name_id, "Kebijakan Internal Layanan Pusat Data")
        self.assertEqual(indicator.weight, Decimal("1.30"))


class BrokenDataMixin:
    """Copies of the shipped files in a temporary directory, to break one thing at a time."""

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        self.before = counts()

    def framework_copy(self) -> Path:
        directory = self.tmp / "spbe_2020"
        shutil.copytree(SPBE_2020_DIR, directory)
        # A second change that would be written if the loader wrote anything before failing.
        spec_path = directory / "framework.json"
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        spec["name_id"] = "SHOULD NOT BE WRITTEN"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        return directory

    @staticmethod
    def edit_csv(path: Path, edit) -> None:
        """Rewrite a CSV with `edit(row)` applied to each row (same lines, same order)."""
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fieldnames, rows = reader.fieldnames, list(reader)
        for row in rows:
            edit(row)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def assert_nothing_written(self):
        self.assertEqual(counts(), self.before)
        self.assertEqual(spbe().name_id, "Evaluasi SPBE (PermenPANRB 59/2020)")
        self.assertEqual(Region.objects.get(code="32.12").name, "Kabupaten Indramayu")


class ReferenceDataErrorTests(BrokenDataMixin, TestCase):
    def broken_indicator(self, indicator: int, **values) -> Path:
        directory = self.framework_copy()

        def edit(row):
            if row["number"] == str(indicator):
                row.update(values)

        self.edit_csv(directory / "indicators.csv", edit)
        return directory

    def test_weight_that_is_not_a_number(self):
        directory = self.broken_indicator(12, weight_percent="abc")
        with self.assertRaises(ReferenceDataError) as caught:
            load_framework(directory)
        message = str(caught.exception)
        self.assertIn("indicators.csv", message)
        self.assertIn("line 13", message)
        self.assertIn("weight_percent", message)
        self.assertIn("'abc'", message)
        self.assert_nothing_written()

    def test_unknown_aspect(self):
        directory = self.broken_indicator(12, aspect_number="9")
        with self.assertRaises(ReferenceDataError) as caught:
            load_framework(directory)
        self.assertEqual(str(caught.exception), "spbe_2020/indicators.csv: line 13: aspect_number: unknown aspect 9")
        self.assert_nothing_written()

    def test_indicator_number_that_is_not_an_integer(self):
        directory = self.broken_indicator(12, number="12a")
        with self.assertRaisesRegex(ReferenceDataError, r"indicators\.csv: line 13: number"):
            load_framework(directory)
        self.assert_nothing_written()

    def test_weights_that_no_longer_sum_to_the_aspect_weight(self):
        directory = self.broken_indicator(12, weight_percent="2.60")  # aspect 2 now sums to 10.10
        with self.assertRaises(ReferenceDataError) as caught:
            load_framework(directory)
        message = str(caught.exception)
        self.assertIn("indicators.csv", message)
        self.assertIn("aspect 2", message)
        self.assertIn("10.10", message)
        self.assertIn("framework.json says 10", message)
        self.assert_nothing_written()

    def test_weight_sum_error_names_a_line_and_the_field(self):
        directory = self.broken_indicator(12, weight_percent="2.60")
        with self.assertRaises(ReferenceDataError) as caught:
            load_framework(directory)
        self.assertRegex(str(caught.exception), r"line \d+")
        self.assertIn("weight_percent", str(caught.exception))

    def test_unknown_indicator_in_level_criteria_rolls_back(self):
        directory = self.framework_copy()

        def edit(row):
            if row["indicator_number"] == "47" and row["level"] == "5":
                row["indicator_number"] = "48"

        self.edit_csv(directory / "level_criteria.csv", edit)
        with self.assertRaisesRegex(
            ReferenceDataError, r"level_criteria\.csv: line 236: indicator_number: unknown indicator 48"
        ):
            load_framework(directory)
        self.assert_nothing_written()

    def test_level_criterion_with_a_level_that_is_not_a_number(self):
        directory = self.framework_copy()

        def edit(row):
            if row["indicator_number"] == "2" and row["level"] == "3":
                row["level"] = "x"

        self.edit_csv(directory / "level_criteria.csv", edit)
        with self.assertRaisesRegex(ReferenceDataError, r"level_criteria\.csv: line 9: level"):
            load_framework(directory)

    def test_aspect_with_an_unknown_domain(self):
        directory = self.framework_copy()
        spec = json.loads((directory / "framework.json").read_text(encoding="utf-8"))
        spec["aspects"][0]["domain"] = 5
        (directory / "framework.json").write_text(json.dumps(spec), encoding="utf-8")
        with self.assertRaisesRegex(ReferenceDataError, r"framework\.json.*domain"):
            load_framework(directory)

    def regions_copy(self, edit) -> Path:
        path = self.tmp / "regions.csv"
        shutil.copy(REGIONS_FILE, path)
        self.edit_csv(path, edit)
        return path

    def line_of(self, path: Path, code: str) -> int:
        with path.open(encoding="utf-8", newline="") as handle:
            return next(n for n, row in enumerate(csv.DictReader(handle), start=2) if row["code"] == code)

    def test_region_with_unknown_type(self):
        def edit(row):
            if row["code"] == "32.11":
                row["type"] = "desa"
            if row["code"] == "32.12":
                row["name"] = "SHOULD NOT BE WRITTEN"

        path = self.regions_copy(edit)
        with self.assertRaises(ReferenceDataError) as caught:
            load_regions(path=path, pilots_path=PILOTS_FILE)
        message = str(caught.exception)
        self.assertIn(f"regions.csv: line {self.line_of(path, '32.11')}: type:", message)
        self.assertIn("'desa'", message)
        self.assert_nothing_written()

    def test_region_population_that_is_not_an_integer(self):
        path = self.regions_copy(
            lambda row: row.update(population_2025="1.226.660") if row["code"] == "32.11" else None
        )
        with self.assertRaisesRegex(
            ReferenceDataError, rf"regions\.csv: line {self.line_of(path, '32.11')}: population"
        ):
            load_regions(path=path, pilots_path=PILOTS_FILE)

    def test_region_with_unknown_province_rolls_back_provinces_already_saved(self):
        path = self.regions_copy(lambda row: None)
        with path.open("a", encoding="utf-8", newline="") as handle:
            handle.write("98,Provinsi Uji,provinsi,,,\n")
            handle.write("99.01,Kabupaten Uji,kabupaten,99,Tidak Ada,1000\n")
        with self.assertRaisesRegex(ReferenceDataError, r"regions\.csv: line 555: province_code: unknown 99"):
            load_regions(path=path, pilots_path=PILOTS_FILE)
        self.assertFalse(Region.objects.filter(code="98").exists())
        self.assert_nothing_written()


class SecondFrameworkTests(TestCase):
    """The unconfirmed Pemdi 2026 framework (7 aspects, no domains, 20 indicators) fits without a schema change."""

    def test_loads_beside_spbe_2020(self):
        report = load_framework(PEMDI_DIR)
        self.assertEqual(report.created, 1 + 7 + 20)
        pemdi = Framework.objects.get(slug="pemdi-2026-unconfirmed")
        self.assertFalse(pemdi.is_current)
        self.assertEqual(pemdi.domains.count(), 0)
        self.assertEqual(pemdi.aspects.count(), 7)
        self.assertFalse(pemdi.aspects.exclude(domain=None).exists())
        self.assertEqual(pemdi.indicators.count(), 20)
        self.assertFalse(pemdi.indicators.exclude(scale=None).exists())
        self.assertEqual(sum(pemdi.indicators.values_list("weight", flat=True)), 100)
        self.assertEqual(pemdi.aspects.get(number=7).weight, Decimal(25))  # user satisfaction 25 %

        self.assertEqual(Framework.current().slug, SPBE_SLUG)
        self.assertEqual(Framework.objects.filter(is_current=True).count(), 1)
        self.assertEqual(Framework.current().indicators.count(), 47)
        self.assertEqual(Indicator.objects.filter(framework__is_current=True).count(), 47)

    def test_indicators_match_the_file_and_display_names(self):
        load_framework(PEMDI_DIR)
        pemdi = Framework.objects.get(slug="pemdi-2026-unconfirmed")
        with (PEMDI_DIR / "indicators.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual(len(rows), 20)
        for row in rows:
            indicator = pemdi.indicators.get(number=int(row["number"]))
            self.assertEqual(indicator.official_name, row["indicator_name_id"])
            self.assertEqual(indicator.aspect.number, int(row["aspect_number"]))
            self.assertEqual(indicator.weight, Decimal(row["weight_percent"]))
        self.assertEqual(pemdi.indicators.get(number=1).name_id, "Tata Kelola Pemdi")
        self.assertEqual(pemdi.indicators.get(number=16).name_id, "Integrasi Aplikasi")  # no prefix to drop

    def test_reloading_is_idempotent(self):
        load_framework(PEMDI_DIR)
        before = counts()
        self.assertEqual(load_framework(PEMDI_DIR).created, 0)
        self.assertEqual(counts(), before)

    def test_same_numbers_in_both_frameworks_do_not_collide(self):
        load_framework(PEMDI_DIR)
        self.assertEqual(Indicator.objects.filter(number=20).count(), 2)
        self.assertEqual(
            Indicator.objects.get(number=20, framework__is_current=True).official_name,
            "Tingkat Kematangan Kolaborasi Penerapan SPBE",
        )

    def test_the_data_file_stays_marked_unconfirmed(self):
        spec = json.loads((PEMDI_DIR / "framework.json").read_text(encoding="utf-8"))
        self.assertIn("unconfirmed", spec["slug"])
        self.assertIs(spec["is_current"], False)
        self.assertIn("not official", spec["source_note"])


class LoadReferenceDataCommandTests(TestCase):
    def test_prints_counts_at_verbosity_1(self):
        out = StringIO()
        call_command("load_reference_data", stdout=out, verbosity=1)
        # framework 1 + domains 4 + aspects 8 + scales 2 + scale levels 10 + predicates 5 + indicators 47
        # + level criteria 235 = 312 rows; regions 552.
        self.assertEqual(
            out.getvalue().splitlines(),
            [
                "framework SPBE 2020: 0 created, 312 updated",
                "regions: 0 created, 552 updated",
                "official SPBE results 2023-2024: 0 created, 0 updated",
                "site structure: Living Lab SPBE at http://testserver",
            ],
        )

    def test_silent_at_verbosity_0(self):
        out = StringIO()
        call_command("load_reference_data", stdout=out, verbosity=0)
        self.assertEqual(out.getvalue(), "")

    def test_broken_data_is_a_command_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp) / "spbe_2020"
            shutil.copytree(SPBE_2020_DIR, directory)
            BrokenDataMixin.edit_csv(
                directory / "indicators.csv",
                lambda row: row.update(weight_percent="abc") if row["number"] == "3" else None,
            )
            before = counts()
            with (
                mock.patch("casestudies.reference_data.SPBE_2020_DIR", directory),
                self.assertRaisesRegex(CommandError, r"indicators\.csv: line 4: weight_percent: not a number"),
            ):
                call_command("load_reference_data", verbosity=1, stdout=StringIO())
            self.assertEqual(counts(), before)
