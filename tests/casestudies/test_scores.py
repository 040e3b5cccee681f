"""The official formula, the official 2023–2024 results, and the scores/peers JSON API."""

import csv
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from django.test import TestCase

from casestudies.models import AggregateScore, Framework, Origin, Region
from casestudies.reference_data import OFFICIAL_RESULTS_FILE, ReferenceDataError, load_framework, load_official_results
from casestudies.scores.formula import Weights, aggregate, index_from_domains
from casestudies.scores.services import scores_recalculate
from tests.casestudies.test_reference_data import PEMDI_DIR
from tests.utils import SiteTestCase

HEADER = "year,region_code,instansi,province_table,D1,D2,D3,D4,indeks,predikat,no\n"


class OfficialFormulaTests(TestCase):
    def setUp(self):
        self.weights = Weights.of(Framework.current())

    def test_hand_computed_index(self):
        # All indicators at level 2, the six public-service indicators (aspect 8, 18 %) at level 5:
        # aspect 8 = 5, domain 4 = (2·27.5 + 5·18) / 45.5 = 3.1868…, index = 2 + 3 × 0.18 = 2.54.
        levels = dict.fromkeys(range(1, 48), 2) | dict.fromkeys(range(42, 48), 5)
        result = aggregate(levels, self.weights)
        self.assertEqual(result.aspects[8], 5)
        self.assertEqual(result.aspects[7], 2)
        self.assertAlmostEqual(float(result.domains[4]), 3.1868, places=4)
        self.assertAlmostEqual(float(result.domains[1]), 2.0, places=6)
        self.assertAlmostEqual(float(result.index), 2.54, delta=0.01)
        self.assertEqual(self.weights.predicate(Decimal("2.54")), "Cukup")

    def test_a_value_on_a_band_bound_takes_the_band_that_starts_there(self):
        """The predicate rule (PermenPANRB 59/2020): bands are [min, max), the top band includes 5.00."""
        for value, expected in (
            ("0", "Kurang"), ("1.79", "Kurang"), ("1.80", "Cukup"), ("2.59", "Cukup"), ("2.60", "Baik"),
            ("3.50", "Sangat Baik"), ("4.19", "Sangat Baik"), ("4.20", "Memuaskan"), ("5.00", "Memuaskan"),
        ):  # fmt: skip
            with self.subTest(value=value):
                self.assertEqual(self.weights.predicate(Decimal(value)), expected)
        self.assertEqual(self.weights.predicate(Decimal("5.01")), "")

    def test_each_indicator_step_adds_its_weight(self):
        base = aggregate(dict.fromkeys(range(1, 48), 3), self.weights).index
        for number, expected in ((1, "0.013"), (11, "0.025"), (21, "0.015"), (32, "0.0275"), (42, "0.03")):
            levels = dict.fromkeys(range(1, 48), 3) | {number: 4}
            self.assertAlmostEqual(aggregate(levels, self.weights).index - base, Decimal(expected), places=6)

    def test_stored_values_are_rounded_half_up_to_two_places(self):
        """Aggregates are stored as the official tables print them: 2.345 is 2.35 (not banker's 2.34)."""
        from casestudies.scores.formula import rounded

        for value, expected in (("2.345", "2.35"), ("2.3449", "2.34"), ("3.115", "3.12"), ("1", "1.00")):
            with self.subTest(value=value):
                self.assertEqual(str(rounded(Decimal(value))), expected)
        self.assertIsNone(rounded(None))

    def test_the_indicators_of_a_domain_are_those_of_its_aspects(self):
        """SPBE 2018: Kebijakan Internal is indicators 1–10, Layanan SPBE (aspects 7 and 8) 32–47."""
        self.assertEqual(self.weights.indicators_of_domain(1), list(range(1, 11)))
        self.assertEqual(self.weights.indicators_of_domain(4), list(range(32, 48)))
        self.assertEqual(self.weights.indicators_of_domain(9), [])

    def test_the_weights_load_in_four_queries_whatever_the_size_of_the_framework(self):
        framework = Framework.current()
        with self.assertNumQueries(4):  # indicators with their aspects, aspects with their domains, domains, bands
            weights = Weights.of(framework)
            self.assertEqual(weights.indicator_aspect[42], 8)
            self.assertEqual(weights.aspect_domain[8], 4)

    def test_incomplete_evaluations_give_no_index(self):
        levels = dict.fromkeys(range(1, 47), 3)  # indicator 47 missing
        result = aggregate(levels, self.weights)
        self.assertNotIn(8, result.aspects)
        self.assertIsNone(result.index)
        self.assertEqual(result.aspects[7], 3)

    def test_every_official_row_agrees_with_its_domains(self):
        """Each published index recomputed from its published domains, ±0.01 (the numbers are rounded)."""
        rows = {}
        for a in AggregateScore.objects.filter(origin=Origin.OFFICIAL).select_related("region"):
            rows.setdefault((a.region.code, a.year), {})[(a.scope, a.number)] = a.value
        self.assertEqual(len(rows), 529 + 523)
        disagreements = []
        for key, values in rows.items():
            computed = index_from_domains({n: values[("domain", n)] for n in (1, 2, 3, 4)}, self.weights)
            difference = computed - values[("index", 0)]
            if abs(difference) > Decimal("0.01"):
                disagreements.append((key, values[("index", 0)], round(difference, 3)))
        self.assertEqual(disagreements, [], f"rows whose index and domains disagree: {disagreements}")


class FrameworkWithoutDomainsTests(TestCase):
    """Pemdi 2026 (tests/data/pemdi_2026): seven aspects weighed directly, no domains."""

    def test_the_index_weighs_the_aspects_by_their_percentages(self):
        """The no-domain index rule: index = Σ(aspect value × aspect weight %) / 100, on the same 1–5 scale."""
        load_framework(PEMDI_DIR)
        pemdi = Framework.objects.get(slug="pemdi-2026-unconfirmed")
        weights = Weights.of(pemdi)
        numbers = list(pemdi.indicators.values_list("number", flat=True))
        satisfaction = set(pemdi.indicators.filter(aspect__number=7).values_list("number", flat=True))  # 25 %
        self.assertEqual(aggregate(dict.fromkeys(numbers, 3), weights).index, 3)
        levels = {n: 5 if n in satisfaction else 1 for n in numbers}
        result = aggregate(levels, weights)
        self.assertEqual((result.aspects[7], result.aspects[1]), (5, 1))
        self.assertEqual(result.index, Decimal("2"))  # 1 × 75 % + 5 × 25 %
        self.assertEqual(result.domains, {})
        self.assertIsNone(aggregate(dict.fromkeys(numbers[1:], 3), weights).index, "an indicator missing")


class OfficialResultsLoaderTests(TestCase):
    def write(self, rows: str) -> Path:
        directory = Path(tempfile.mkdtemp())
        path = directory / "results.csv"
        path.write_text(HEADER + rows, encoding="utf-8")
        return path

    def test_banyuwangi_2024_is_shipped_as_official(self):
        value = AggregateScore.objects.get(region__code="35.10", year=2024, scope="index", origin=Origin.OFFICIAL)
        self.assertEqual(value.value, Decimal("4.77"))
        self.assertEqual(value.predicate, "Memuaskan")
        self.assertEqual(value.source, "KemenPANRB 2024 (resmi)")

    def test_reload_is_idempotent(self):
        before = AggregateScore.objects.filter(origin=Origin.OFFICIAL).count()
        report = load_official_results()
        self.assertEqual((report.created, report.updated, report.skipped), (0, 0, []))
        self.assertEqual(AggregateScore.objects.filter(origin=Origin.OFFICIAL).count(), before)

    def test_the_documented_correction_is_applied_and_labelled(self):
        d1 = AggregateScore.objects.get(region__code="35", year=2024, scope="domain", number=1, origin=Origin.OFFICIAL)
        self.assertEqual(d1.value, Decimal("4.60"))
        self.assertIn("dikoreksi", d1.source)
        with OFFICIAL_RESULTS_FILE.open(encoding="utf-8") as handle:
            published = next(r for r in csv.DictReader(handle) if r["year"] == "2024" and r["region_code"] == "35")
        self.assertEqual(published["D1"], ".60", "the shipped file stays as published")

    def test_unknown_codes_are_reported_not_dropped_silently(self):
        path = self.write(
            "2031,32.11,Kab. Sumedang,Jawa Barat,3,3,3,3,3.00,Baik,1\n2031,99.99,Kab. Entah,X,3,3,3,3,3.00,Baik,2\n"
        )
        report = load_official_results(path, corrections_path=None)
        self.assertEqual(report.created, 5)
        self.assertEqual(len(report.skipped), 1)
        self.assertIn("line 3: region_code: '99.99' (Kab. Entah)", report.skipped[0])

    def test_bad_values_stop_with_line_and_field_and_write_nothing(self):
        before = AggregateScore.objects.count()
        cases = {
            "2031,32.11,A,B,3,3,3,abc,3.00,Baik,1\n": "line 3: D4: not a number",
            "2031,32.11,A,B,3,3,3,3,3.00,Luar Biasa,1\n": "line 3: predikat",
            "2031,32.11,A,B,3,3,3,7,3.00,Baik,1\n": "line 3: D4: 7 is outside 0–5",
            "20x1,32.11,A,B,3,3,3,3,3.00,Baik,1\n": "line 3: year",
            "2031,32.11,A,B,3,3,3,3,3.00,Baik,1\n2031,32.11,A,B,3,3,3,3,3.00,Baik,1\n": "line 4: region_code: 32.11 2031 appears twice",
        }
        for rows, message in cases.items():
            with self.subTest(message=message), self.assertRaisesMessage(ReferenceDataError, message):
                load_official_results(self.write("2031,32.12,A,B,3,3,3,3,3.00,Baik,0\n" + rows), corrections_path=None)
        self.assertEqual(AggregateScore.objects.count(), before)

    def test_computed_values_never_replace_official_ones(self):
        region = Region.objects.get(code="35.10")
        scores_recalculate(framework=Framework.current(), region_ids=[region.pk], years=[2024])
        self.assertEqual(
            AggregateScore.objects.get(region=region, year=2024, scope="index", origin=Origin.OFFICIAL).value,
            Decimal("4.77"),
        )


class ScoresApiTests(SiteTestCase):
    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        return json.loads(response.content)

    def test_scores_of_banyuwangi(self):
        data = self.get("/api/v1/regions/35.10/scores/")
        self.assertEqual(
            data["region"], {"code": "35.10", "name": "Kabupaten Banyuwangi", "type": "kabupaten", "province": "35"}
        )
        year_2024 = next(y for y in data["years"] if y["year"] == 2024)
        self.assertEqual(year_2024["index"]["value"], 4.77)
        self.assertEqual(year_2024["index"]["origin"], "official")
        self.assertEqual(year_2024["index"]["predicate"], "Memuaskan")
        self.assertEqual(set(year_2024["domains"]), {"1", "2", "3", "4"})
        self.assertEqual(data["precedence"], ["official", "imported", "computed", "self_assessed"])

    def test_unknown_region_is_a_json_404(self):
        data = self.get("/api/v1/regions/99.99/scores/", status=404)
        self.assertIn("99.99", data["error"])
        self.assertIn("Kode daerah tidak dikenal", data["error"])
        self.assertEqual(data["errors"], {"code": data["error"]})
        self.assertIn("99.99", self.get("/api/v1/regions/99.99/peers/?aspect=8", status=404)["error"])
        self.assertIn("Unknown region code", self.get("/api/v1/regions/99.99/scores/?lang=en", status=404)["error"])

    def test_bad_peer_parameters_are_json_400s(self):
        """English under ?lang=en (since API v1 moved to django-ninja; Indonesian by default, as every error)."""
        base = "/api/v1/regions/32.12/peers/"
        for query, message, fields in (
            ("", "Give one of domain=N, aspect=N or indicator=N", {"domain", "aspect", "indicator"}),
            ("?aspect=x", "'aspect' must be a whole number", {"aspect"}),
            ("?aspect=9", "No aspect 9", {"aspect"}),
            ("?indicator=48", "No indicator 48", {"indicator"}),
            ("?aspect=8&domain=4", "not domain and aspect", {"domain", "aspect"}),
            ("?aspect=8&limit=0", "'limit' must be between 1 and 50", {"limit"}),
            ("?aspect=8&limit=500", "'limit' must be between 1 and 50", {"limit"}),
            ("?aspect=8&from_year=2024", "Give both from_year and to_year", {"to_year"}),
            ("?aspect=8&from_year=2024&to_year=2023", "from_year must be before to_year", {"from_year"}),
            ("?aspect=8&from_year=abc&to_year=2024", "'from_year' must be a whole number", {"from_year"}),
        ):
            with self.subTest(query=query):
                data = self.get(base + (query or "?") + "&lang=en", status=400)
                self.assertIn(message, data["error"])
                self.assertEqual(set(data["errors"]), fields)

    def test_peer_errors_are_indonesian_by_default(self):
        base = "/api/v1/regions/32.12/peers/"
        self.assertIn("harus antara 1 dan 50", self.get(base + "?aspect=8&limit=0", status=400)["error"])
        self.assertIn("Tidak ada aspect 9", self.get(base + "?aspect=9", status=400)["error"])
        self.assertEqual(set(self.get(base + "?lang=fr&aspect=8", status=400)["errors"]), {"lang"})

    def test_domain_peers_between_the_official_years(self):
        data = self.get("/api/v1/regions/32.12/peers/?domain=4&from_year=2023&to_year=2024&limit=3")
        self.assertEqual(data["target"], {"scope": "domain", "number": 4, "name": "Domain Layanan SPBE"})
        self.assertEqual((data["from_year"], data["to_year"]), (2023, 2024))
        self.assertEqual(len(data["peers"]), 3)
        peer = data["peers"][0]
        self.assertEqual(
            set(peer),
            {
                "code",
                "name",
                "type",
                "before",
                "after",
                "years",
                "delta",
                "score",
                "origin",
                "is_demo",
                "reason",
                "reason_id",
                "reason_en",
                "case_studies",
            },
        )
        self.assertEqual(peer["years"], [2023, 2024])
        self.assertAlmostEqual(peer["delta"], peer["after"] - peer["before"], places=3)
        self.assertIn("naik dari", peer["reason"])
        self.assertIn("rose from", self.get("/api/v1/regions/32.12/peers/?domain=4&lang=en")["peers"][0]["reason"])
