"""import_casestudies / export_casestudies: valid imports, dry run, idempotency, all-or-nothing rejection of bad
input (with line and field), export → import round trips (JSONL and CSV), HTML sanitizing on the way in, edits
made on the site that an import must not replace silently, and lines the model refuses while writing.

Region A = 32.11 Kabupaten Sumedang and B = 32.12 Kabupaten Indramayu have region pages; 35.10 Kabupaten
Banyuwangi has none until an import needs it. One published page ("uji-ada", region A) exists before each test.
"""

import contextlib
import json
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from wagtail.log_actions import registry as log_registry
from wagtail.models import Collection, Page, PageLogEntry, Revision
from wagtail.rich_text import RichText

from casestudies.exchange import import_file
from casestudies.management.commands.import_casestudies import Command as ImportCommand
from casestudies.models import CaseStudyIndicator, CaseStudyPage, CaseStudyTag, RegionPage
from casestudies.records import export_record
from casestudies.site_edits import LOG_OVERWRITE
from tests.utils import PASSWORD, SiteTestCase, edit_url, make_case_study

MISSING = object()


def record(**changes) -> dict:
    """A short valid record; `changes` override fields (MISSING removes one)."""
    base = {
        "external_id": "uji-001",
        "title": "Tanda tangan elektronik di semua OPD",
        "region_code": "32.11",
        "summary": "Semua naskah dinas ditandatangani secara elektronik.",
        "body_html": "<p>Isi tambahan.</p>",
        "indicators": [37, 43],
        "levels": {"37": [2, 4]},
        "tags": ["tte", "e-office"],
        "year_start": 2021,
        "solution": "<p>Semua OPD memakai e-office.</p>",
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not MISSING}


SECOND = {
    "external_id": "uji-002",
    "title": "Mal pelayanan publik digital",
    "region_code": "35.10",
    "summary": "Satu aplikasi untuk semua layanan perizinan.",
    "body_html": "",
    "indicators": [45],
    "levels": {"45": [None, 3]},
    "tags": ["mpp"],
    "year_start": 2019,
    "year_end": 2023,
    "status": "scaled",
    "cost_idr": 1_500_000_000,
    "contact_name": "Budi Santoso",
    "contact_role": "Kepala Bidang Layanan",
    "contact_email": "layanan@banyuwangikab.go.id",
    "results": "<ul><li>Waktu layanan turun 60%.</li></ul>",
}


def encode(line) -> bytes:
    if isinstance(line, bytes):
        return line
    if isinstance(line, dict):
        line = json.dumps(line, ensure_ascii=False)
    return line.encode("utf-8")


def write(directory: Path, name: str, *lines) -> Path:
    path = directory / name
    path.write_bytes(b"\n".join(encode(line) for line in lines) + b"\n")
    return path


class ExchangeTestCase(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tempfile.TemporaryDirectory() as tmp:
            path = write(Path(tmp), "existing.jsonl", record(external_id="uji-ada", title="Praktik yang sudah ada"))
            import_file(path, publish=True)
        cls.existing = CaseStudyPage.objects.get(external_id="uji-ada")

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)

    def write(self, name: str, *lines) -> Path:
        return write(self.tmp, name, *lines)

    def run_command(self, name: str, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(name, *map(str, args), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def import_(self, path: Path, *args) -> str:
        return self.run_command("import_casestudies", path, *args)[0].strip()

    @staticmethod
    def state() -> dict:
        """Everything an import may write."""
        return {
            "pages": Page.objects.count(),
            "revisions": Revision.objects.count(),
            "case_studies": sorted(
                CaseStudyPage.objects.values_list(
                    "pk", "title", "external_id", "live", "has_unpublished_changes", "latest_revision_id"
                )
            ),
            "claims": sorted(
                CaseStudyIndicator.objects.values_list("page_id", "indicator__number", "level_before", "level_after")
            ),
            "tags": sorted(CaseStudyTag.objects.values_list("content_object_id", "tag__name")),
            "region_pages": sorted(RegionPage.objects.values_list("region__code", flat=True)),
            "groups": Group.objects.count(),
            "collections": Collection.objects.count(),
            "latest": [export_record(p.get_latest_revision_as_object()) for p in CaseStudyPage.objects.order_by("pk")],
        }

    @staticmethod
    def page(external_id: str) -> CaseStudyPage:
        return CaseStudyPage.objects.get(external_id=external_id)


class ImportTests(ExchangeTestCase):
    def test_valid_file_imports_drafts_by_default(self):
        self.assertFalse(RegionPage.objects.filter(region__code="35.10").exists())
        pages_before = Page.objects.count()
        path = self.write("valid.jsonl", record(), SECOND)
        self.assertEqual(self.import_(path), "valid.jsonl: 2 created, 0 updated, 0 unchanged, 0 published")
        self.assertEqual(Page.objects.count(), pages_before + 3)  # two case studies and Banyuwangi's region page

        first = self.page("uji-001")
        self.assertFalse(first.live)
        self.assertIsNotNone(first.latest_revision)
        self.assertEqual(first.get_parent().pk, self.page_a.pk)
        self.assertEqual(first.title, "Tanda tangan elektronik di semua OPD")
        self.assertEqual(first.summary, "Semua naskah dinas ditandatangani secara elektronik.")
        self.assertEqual(first.solution, "<p>Semua OPD memakai e-office.</p>")
        self.assertEqual(first.year_start, 2021)
        self.assertEqual(first.status, CaseStudyPage.Status.ACTIVE)
        self.assertEqual(
            [(c.indicator.number, c.level_before, c.level_after) for c in first.indicator_claims.all()],
            [(37, 2, 4), (43, None, None)],
        )
        self.assertTrue(all(c.indicator.framework.is_current for c in first.indicator_claims.all()))
        self.assertEqual(sorted(t.name for t in first.tags.all()), ["e-office", "tte"])
        self.assertEqual([b.block_type for b in first.body], ["paragraph"])
        self.assertEqual(first.body[0].value.source, "<p>Isi tambahan.</p>")
        self.assertFalse(first.is_demo)

        second = self.page("uji-002")
        region_page = second.get_parent().specific
        self.assertIsInstance(region_page, RegionPage)
        self.assertEqual(region_page.region.code, "35.10")
        self.assertEqual(region_page.title, "Kabupaten Banyuwangi")
        self.assertEqual(region_page.get_parent().pk, self.regions_index.pk)
        self.assertTrue(region_page.live)
        self.assertIsNotNone(region_page.officers_group)
        self.assertEqual(second.region.code, "35.10")
        self.assertEqual((second.year_start, second.year_end, second.status), (2019, 2023, "scaled"))
        self.assertEqual(second.cost_idr, 1_500_000_000)
        self.assertEqual(
            (second.contact_name, second.contact_role, second.contact_email),
            ("Budi Santoso", "Kepala Bidang Layanan", "layanan@banyuwangikab.go.id"),
        )
        self.assertEqual(second.results, "<ul><li>Waktu layanan turun 60%.</li></ul>")
        self.assertEqual(list(second.body), [])
        self.assertEqual(
            [(c.indicator.number, c.level_before, c.level_after) for c in second.indicator_claims.all()],
            [(45, None, 3)],
        )

    def test_publish_makes_pages_live(self):
        path = self.write("valid.jsonl", record(), SECOND)
        self.assertEqual(self.import_(path, "--publish"), "valid.jsonl: 2 created, 0 updated, 0 unchanged, 2 published")
        for external_id in ("uji-001", "uji-002"):
            page = self.page(external_id)
            self.assertTrue(page.live)
            self.assertFalse(page.has_unpublished_changes)
            self.assertIsNotNone(page.first_published_at)
        self.assertEqual(CaseStudyPage.objects.live().count(), 3)

    def test_demo_flag(self):
        self.import_(self.write("demo.jsonl", record()), "--demo")
        self.assertTrue(self.page("uji-001").is_demo)

    def test_dry_run_writes_nothing(self):
        before = self.state()
        path = self.write("valid.jsonl", record(), SECOND, record(external_id="uji-ada", title="Judul baru"))
        self.assertEqual(self.import_(path, "--dry-run"), "3 record(s) valid; nothing written (--dry-run).")
        self.assertEqual(
            self.import_(path, "--dry-run", "--publish"), "3 record(s) valid; nothing written (--dry-run)."
        )
        self.assertEqual(self.state(), before)
        self.assertFalse(RegionPage.objects.filter(region__code="35.10").exists())

    def test_dry_run_still_reports_errors(self):
        path = self.write("bad.jsonl", record(region_code="99.99"))
        with self.assertRaises(CommandError):
            self.run_command("import_casestudies", path, "--dry-run")

    def test_file_that_is_missing_or_of_another_type(self):
        with self.assertRaisesRegex(CommandError, "no such file"):
            self.import_(self.tmp / "nope.jsonl")
        with self.assertRaisesRegex(CommandError, "expected a .jsonl or .csv file"):
            self.import_(self.write("data.json", record()))

    def test_empty_file(self):
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_casestudies", str(self.write("empty.jsonl", "")), stdout=StringIO(), stderr=err)
        self.assertEqual(err.getvalue().strip(), "empty.jsonl: line 1: (file): the file holds no records")


class IdempotencyTests(ExchangeTestCase):
    def assert_second_import_changes_nothing(self, *args):
        path = self.write("valid.jsonl", record(), SECOND)
        self.import_(path, *args)
        before = self.state()
        self.assertEqual(self.import_(path, *args), "valid.jsonl: 0 created, 0 updated, 2 unchanged, 0 published")
        self.assertEqual(self.state(), before)

    def test_same_drafts_twice(self):
        self.assert_second_import_changes_nothing()

    def test_same_published_file_twice(self):
        self.assert_second_import_changes_nothing("--publish")

    def test_drafts_imported_again_with_publish_are_published_in_place(self):
        path = self.write("valid.jsonl", record(), SECOND)
        self.import_(path)
        ids = sorted(CaseStudyPage.objects.values_list("pk", flat=True))
        self.assertEqual(self.import_(path, "--publish"), "valid.jsonl: 0 created, 2 updated, 0 unchanged, 2 published")
        self.assertEqual(sorted(CaseStudyPage.objects.values_list("pk", flat=True)), ids)
        self.assertTrue(self.page("uji-001").live)

    def test_changed_title_updates_in_place(self):
        for args in ((), ("--publish",)):
            with self.subTest(args=args):
                self.import_(self.write("v1.jsonl", record(), SECOND), *args)
                page_id = self.page("uji-001").pk
                count = CaseStudyPage.objects.count()
                revisions = Revision.objects.count()
                path = self.write("v2.jsonl", record(title=f"Judul baru {args}"), SECOND)
                self.assertTrue(self.import_(path, *args).startswith("v2.jsonl: 0 created, 1 updated, 1 unchanged"))
                self.assertEqual(CaseStudyPage.objects.count(), count)
                self.assertEqual(Revision.objects.count(), revisions + 1)
                page = self.page("uji-001")
                self.assertEqual(page.pk, page_id)
                self.assertEqual(page.get_latest_revision_as_object().title, f"Judul baru {args}")
                self.assertEqual(page.title, f"Judul baru {args}")  # the row follows: draft row, or published

    def test_existing_page_can_be_updated_and_moved_to_another_region(self):
        path = self.write(
            "move.jsonl", record(external_id="uji-ada", title="Praktik yang sudah ada", region_code="32.12")
        )
        self.assertEqual(self.import_(path, "--publish"), "move.jsonl: 0 created, 1 updated, 0 unchanged, 1 published")
        page = self.page("uji-ada")
        self.assertEqual(page.pk, self.existing.pk)
        self.assertEqual(page.get_parent().pk, self.page_b.pk)

    def test_external_id_with_surrounding_spaces_is_idempotent(self):
        path = self.write("spaces.jsonl", record(external_id="uji-spasi "))
        self.import_(path)
        self.assertEqual(self.page("uji-spasi").external_id, "uji-spasi")
        self.assertEqual(self.import_(path), "spaces.jsonl: 0 created, 0 updated, 1 unchanged, 0 published")

    def test_duplicate_tags_are_idempotent(self):
        path = self.write("tags.jsonl", record(tags=["tte", "tte"]))
        self.import_(path)
        revisions = Revision.objects.count()
        self.assertEqual(self.import_(path), "tags.jsonl: 0 created, 0 updated, 1 unchanged, 0 published")
        self.assertEqual(Revision.objects.count(), revisions)

    def test_summary_with_escaped_markup_is_idempotent(self):
        path = self.write("entity.jsonl", record(summary="Skor &lt;b&gt; naik"))
        self.import_(path, "--publish")
        self.assertEqual(
            self.import_(path, "--publish"), "entity.jsonl: 0 created, 0 updated, 1 unchanged, 0 published"
        )


class BadInputTests(ExchangeTestCase):
    """Line 1 updates the existing page, line 2 creates one in a region without a page, line 3 is bad."""

    def assert_rejected(self, bad, *expected: str, name="bad.jsonl", line=3):
        """`expected`: the reported errors as '<field>: <message start>' (all of them, in order)."""
        path = self.write(
            name,
            record(external_id="uji-ada", title="Judul yang tidak boleh tersimpan"),
            record(external_id="uji-baru", region_code="35.10"),
            bad,
        )
        before = self.state()
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_casestudies", str(path), "--publish", stdout=out, stderr=err)
        self.assertEqual(str(caught.exception), f"{len(expected)} error(s); nothing was written.")
        reported = err.getvalue().splitlines()
        self.assertEqual(len(reported), len(expected), reported)
        for text, start in zip(reported, expected, strict=True):
            self.assertTrue(text.startswith(f"{name}: line {line}: {start}"), (text, start))
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(self.state(), before)
        self.assertEqual(self.page("uji-ada").title, "Praktik yang sudah ada")
        self.assertFalse(CaseStudyPage.objects.filter(external_id="uji-baru").exists())
        self.assertFalse(RegionPage.objects.filter(region__code="35.10").exists())
        return reported

    def test_unknown_region_code(self):
        self.assert_rejected(record(external_id="x", region_code="99.99"), "region_code: unknown region '99.99'")

    def test_unknown_indicator(self):
        self.assert_rejected(record(external_id="x", indicators=[37, 48]), "indicators: unknown indicator 48 (1–47)")

    def test_missing_required_field(self):
        self.assert_rejected(record(external_id="x", title=MISSING), "title: missing")
        self.assert_rejected(record(external_id="x", indicators=None, levels=MISSING), "indicators: missing")

    def test_invalid_json(self):
        self.assert_rejected('{"external_id": "x", "title": "Tanpa penutup"', "(line): invalid JSON")
        self.assert_rejected('["external_id", "x"]', "(line): each line must be a JSON object")

    def test_wrong_types(self):
        self.assert_rejected(
            record(external_id="x", indicators="37", levels=MISSING), "indicators: must be a list of indicator numbers"
        )
        self.assert_rejected(
            record(external_id="x", indicators=[37, "43"]), "indicators: '43' is not an indicator number"
        )
        self.assert_rejected(record(external_id="x", year_start="2021"), "year_start: must be an integer year, got str")
        self.assert_rejected(record(external_id="x", tags="tte, e-office"), "tags: must be a list of strings, got str")
        self.assert_rejected(record(external_id="x", tags=["tte", 5]), "tags: 5 is not a tag")
        self.assert_rejected(
            record(external_id="x", indicators="37", levels=MISSING, year_start="2021", tags="tte"),
            "indicators: must be",
            "tags: must be",
            "year_start: must be",
        )

    def test_line_in_another_encoding(self):
        for encoding, title in (("latin-1", "Kabupaten Garut - café"), ("cp1252", "Kabupaten Garut – café")):
            with self.subTest(encoding=encoding):
                raw = json.dumps(record(external_id="x", title=title), ensure_ascii=False).encode(encoding)
                first_bad = next(i for i, byte in enumerate(raw) if byte >= 0x80)  # 'é' (latin-1), '–' (cp1252)
                reported = self.assert_rejected(raw, "(line): not valid UTF-8")
                self.assertIn(f"(byte {first_bad + 1})", reported[0])

    def test_csv_in_another_encoding(self):
        path = self.write("valid.jsonl", record(title="Kabupaten Garut – café"))
        csv_path = self.tmp / "cp1252.csv"
        self.import_(path, "--publish")
        self.run_command("export_casestudies", "--format", "csv", "--output", csv_path)
        csv_path.write_bytes(csv_path.read_text(encoding="utf-8").encode("cp1252"))
        self.page("uji-001").delete()
        before = self.state()
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_casestudies", str(csv_path), stdout=StringIO(), stderr=err)
        self.assertRegex(err.getvalue(), r"cp1252\.csv: line \d+: \(line\): not valid UTF-8")
        self.assertEqual(self.state(), before)

    def test_level_out_of_range(self):
        self.assert_rejected(
            record(external_id="x", levels={"37": [0, 6]}), "levels.37: levels must be integers 1–5 or null"
        )
        self.assert_rejected(record(external_id="x", levels={"37": [4, 2]}), "levels.37: level_after is lower")
        self.assert_rejected(record(external_id="x", levels={"12": [1, 2]}), "levels.12: is not one of this record")

    def test_duplicate_external_id_within_the_file(self):
        self.assert_rejected(record(external_id="uji-baru", title="Lain"), "external_id: duplicate of line 2")

    def test_unknown_extra_field(self):
        self.assert_rejected(record(external_id="x", rating=5), "rating: unknown field")

    def test_summary_over_300_characters(self):
        self.assert_rejected(record(external_id="x", summary="a" * 301), "summary: is 301 characters; at most 300")
        # 300 characters of text are fine, even wrapped in markup that is stripped
        path = self.write("ok.jsonl", record(external_id="x", summary=f"<b>{'a' * 300}</b>"))
        self.assertTrue(self.import_(path).startswith("ok.jsonl: 1 created"))
        self.assertEqual(self.page("x").summary, "a" * 300)

    def test_several_bad_lines_are_all_reported(self):
        path = self.write(
            "bad.jsonl",
            record(external_id="a", region_code="99.99"),
            record(external_id="b"),
            record(external_id="c", year_start=1800),
        )
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_casestudies", str(path), stdout=StringIO(), stderr=err)
        self.assertEqual(
            err.getvalue().splitlines(),
            [
                "bad.jsonl: line 1: region_code: unknown region '99.99' (Kemendagri code such as '32.11')",
                "bad.jsonl: line 3: year_start: must be between 1990 and 2100",
            ],
        )

    def test_indicators_as_a_number_with_levels(self):
        self.assert_rejected(
            record(external_id="x", indicators=37, levels={"37": [2, 4]}), "indicators: must be a list"
        )

    def test_cost_too_large(self):
        self.assert_rejected(record(external_id="x", cost_idr=10**20), "cost_idr:")

    def test_year_end_out_of_range(self):
        self.assert_rejected(record(external_id="x", year_end=40000), "year_end:")

    def test_csv_row_with_missing_cells(self):
        path = self.tmp / "short.csv"
        path.write_text(
            "external_id,title,region_code,summary,body_html,indicators,tags,year_start\n"
            "uji-csv,Judul,32.11,Ringkasan.,<p>Isi.</p>,37,tte,2021\n"
            "uji-pendek,Judul pendek,32.11\n",
            encoding="utf-8",
        )
        before = self.state()
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_casestudies", str(path), stdout=StringIO(), stderr=err)
        self.assertIn("short.csv: line 3:", err.getvalue())
        self.assertEqual(self.state(), before)


class RoundTripTests(ExchangeTestCase):
    def import_published(self):
        path = self.write("valid.jsonl", record(), SECOND)
        self.import_(path, "--publish")

    def test_jsonl_export_reimports_unchanged(self):
        self.import_published()
        exported = self.tmp / "export.jsonl"
        _out, err = self.run_command("export_casestudies", "--format", "jsonl", "--output", exported)
        self.assertIn(f"3 case studies written to {exported}", err)
        lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
        self.assertEqual(sorted(r["external_id"] for r in lines), ["uji-001", "uji-002", "uji-ada"])
        stdout, _err = self.run_command("export_casestudies", "--format", "jsonl")
        self.assertEqual(stdout, exported.read_text(encoding="utf-8"))

        before = self.state()
        self.assertEqual(
            self.import_(exported, "--publish"), "export.jsonl: 0 created, 0 updated, 3 unchanged, 0 published"
        )
        self.assertEqual(self.import_(exported), "export.jsonl: 0 created, 0 updated, 3 unchanged, 0 published")
        self.assertEqual(self.state(), before)

    def test_export_leaves_out_drafts_unless_asked(self):
        self.import_(self.write("draft.jsonl", record()))
        stdout, _err = self.run_command("export_casestudies")
        self.assertEqual([json.loads(line)["external_id"] for line in stdout.splitlines()], ["uji-ada"])
        stdout, _err = self.run_command("export_casestudies", "--include-drafts")
        self.assertEqual(
            sorted(json.loads(line)["external_id"] for line in stdout.splitlines()), ["uji-001", "uji-ada"]
        )

    def test_csv_export_imports_into_a_fresh_state(self):
        self.import_published()
        exported = self.tmp / "export.csv"
        self.run_command("export_casestudies", "--format", "csv", "--output", exported)
        before = {p.external_id: export_record(p) for p in CaseStudyPage.objects.all()}
        self.assertEqual(len(before), 3)

        for page in list(CaseStudyPage.objects.all()):
            page.delete()
        self.assertFalse(CaseStudyPage.objects.exists())

        self.assertEqual(
            self.import_(exported, "--publish"), "export.csv: 3 created, 0 updated, 0 unchanged, 3 published"
        )
        after = {p.external_id: export_record(p) for p in CaseStudyPage.objects.all()}
        self.assertEqual(after, before)
        self.assertEqual(
            self.import_(exported, "--publish"), "export.csv: 0 created, 0 updated, 3 unchanged, 0 published"
        )

    def test_csv_header_without_a_required_column(self):
        path = self.tmp / "header.csv"
        path.write_text("external_id,title\nuji-x,Judul\n", encoding="utf-8")
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_casestudies", str(path), stdout=StringIO(), stderr=err)
        self.assertIn("header.csv: line 1: (header): missing column(s): region_code", err.getvalue())


class SanitizingTests(ExchangeTestCase):
    def test_script_and_event_handlers_are_removed(self):
        path = self.write(
            "html.jsonl",
            record(
                summary="<b>Ringkas</b> <script>alert('s')</script>dan jelas.",
                body_html="<p>Isi aman.</p><script>alert('body')</script>",
                solution='<p onclick="alert(\'click\')">Solusi <a href="javascript:alert(1)">tautan</a></p>',
                results='<p><img src="x" onerror="alert(1)">Hasil</p><iframe src="https://evil.example"></iframe>',
            ),
        )
        self.import_(path, "--publish")
        page = self.page("uji-001")
        body = page.body[0].value.source
        self.assertEqual(body, "<p>Isi aman.</p>")
        self.assertNotIn("onclick", page.solution)
        self.assertNotIn("javascript:", page.solution)
        self.assertIn("Solusi", page.solution)
        self.assertEqual(page.results, "<p>Hasil</p>")
        self.assertEqual(page.summary, "Ringkas dan jelas.")
        for text in (body, page.solution, page.results, page.summary):
            self.assertNotIn("alert", text)
        latest = page.get_latest_revision_as_object()
        self.assertNotIn("<script", latest.body[0].value.source)
        self.assertNotIn("onclick", latest.solution)

        # the sanitized page compares equal to the dirty file: importing it again changes nothing
        self.assertEqual(self.import_(path, "--publish"), "html.jsonl: 0 created, 0 updated, 1 unchanged, 0 published")

    def test_public_page_renders_without_the_script(self):
        self.import_(self.write("html.jsonl", record(body_html="<p>Isi.</p><script>alert('x')</script>")), "--publish")
        page = self.page("uji-001")
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "alert('x')")
        self.assertContains(response, "Isi.")


class SiteEditTests(ExchangeTestCase):
    """An import never replaces, without a word, what was edited on the site since its file was exported or
    imported: the line is refused (every such line, nothing written) unless --overwrite, which the page history
    records."""

    def export(self, *args) -> Path:
        path = self.tmp / f"export-{len(list(self.tmp.iterdir()))}.jsonl"
        self.run_command("export_casestudies", "--output", path, *args)
        return path

    def moderator_edit(self, page: CaseStudyPage, *, title: str, publish: bool = True) -> Revision:
        """A moderator corrects the title and adds blocks in the editor's way (a revision with its user), publishes."""
        edited = page.get_latest_revision_as_object()
        edited.title = title
        edited.body = [("heading", "Hasil evaluasi"), ("paragraph", RichText("<p>Blok baru dari moderator.</p>"))]
        revision = edited.save_revision(user=self.moderator, log_action=True)
        if publish:
            revision.publish(user=self.moderator)
        return revision

    def refused(self, path: Path, *args) -> list[str]:
        """Import `path`; assert it is refused with nothing written; the error lines."""
        before = self.state()
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_casestudies", str(path), *args, stdout=out, stderr=err)
        reported = err.getvalue().splitlines()
        self.assertEqual(str(caught.exception), f"{len(reported)} error(s); nothing was written.")
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(self.state(), before)
        return reported

    @staticmethod
    def message(path: Path, line: int, revision: Revision, username: str) -> str:
        when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
        return f"{path.name}: line {line}: changed on the site on {when} by {username}; export again or use --overwrite"

    def test_older_export_does_not_revert_a_moderators_edit(self):
        exported = self.export()
        edit = self.moderator_edit(self.existing, title="Judul yang dikoreksi moderator")

        self.assertEqual(self.refused(exported, "--publish"), [self.message(exported, 1, edit, "moderator")])
        self.assertEqual(self.refused(exported), [self.message(exported, 1, edit, "moderator")])  # nor as a draft
        page = self.page("uji-ada")
        self.assertEqual(page.title, "Judul yang dikoreksi moderator")
        self.assertEqual([b.block_type for b in page.body], ["heading", "paragraph"])
        self.assertEqual(page.latest_revision_id, edit.pk)
        self.assertFalse(PageLogEntry.objects.filter(page=page, action=LOG_OVERWRITE).exists())

    def test_overwrite_replaces_the_edit_and_is_in_the_page_history(self):
        exported = self.export()
        edit = self.moderator_edit(self.existing, title="Judul yang dikoreksi moderator")
        self.assertEqual(
            self.import_(exported, "--publish", "--overwrite"),
            f"{exported.name}: 0 created, 1 updated, 0 unchanged, 1 published, 1 overwrote edits made on the site",
        )
        page = self.page("uji-ada")
        self.assertEqual(page.title, "Praktik yang sudah ada")
        self.assertEqual([b.block_type for b in page.body], ["paragraph"])
        entry = PageLogEntry.objects.get(page=page, action=LOG_OVERWRITE)
        self.assertEqual(entry.revision_id, page.latest_revision_id)
        self.assertEqual(entry.data["overwritten_revision"], edit.pk)
        self.assertEqual(entry.data["overwritten_by"], "moderator")
        self.assertEqual(entry.data["file"], exported.name)

        self.client.login(username="moderator", password=PASSWORD)
        history = self.client.get(f"/admin/pages/{page.pk}/history/")
        self.assertContains(history, "Suntingan ditimpa impor")
        self.assertContains(history, "Suntingan di situs ditimpa oleh impor berkas")
        with translation.override("en"):
            self.assertEqual(str(log_registry.get_action_label(LOG_OVERWRITE)), "Edit overwritten by an import")

        # the overwrite is the page's last import: the same file again changes nothing, a changed one updates
        self.assertEqual(
            self.import_(exported, "--publish"), f"{exported.name}: 0 created, 0 updated, 1 unchanged, 0 published"
        )
        changed = self.write("changed.jsonl", record(external_id="uji-ada", title="Judul dari berkas"))
        self.assertEqual(self.import_(changed), "changed.jsonl: 0 created, 1 updated, 0 unchanged, 0 published")

    def test_every_refused_line_is_reported_and_nothing_is_written(self):
        self.import_(self.write("two.jsonl", record(), SECOND), "--publish")
        exported = self.export()  # uji-ada, uji-001 (Sumedang), uji-002 (Banyuwangi), in tree order
        lines = {json.loads(line)["external_id"]: n for n, line in enumerate(exported.read_text().splitlines(), 1)}
        first = self.moderator_edit(self.page("uji-ada"), title="Dikoreksi 1")
        second = self.moderator_edit(self.page("uji-002"), title="Dikoreksi 2", publish=False)
        with_new = self.tmp / "with-new.jsonl"
        with_new.write_text(
            exported.read_text() + json.dumps(record(external_id="uji-baru", region_code="32.12")) + "\n"
        )
        self.assertEqual(
            self.refused(with_new, "--publish"),
            [
                self.message(with_new, lines["uji-ada"], first, "moderator"),
                self.message(with_new, lines["uji-002"], second, "moderator"),
            ],
        )
        self.assertFalse(CaseStudyPage.objects.filter(external_id="uji-baru").exists())
        # --dry-run says so too
        self.assertEqual(len(self.refused(with_new, "--dry-run")), 2)

    def test_an_officers_draft_saved_in_the_admin_is_not_replaced(self):
        exported = self.export()
        self.client.login(username="officer_a", password=PASSWORD)
        data = self.admin_form_data(edit_url(self.existing), title="Draf petugas")
        self.assertEqual(self.client.post(edit_url(self.existing), data).status_code, 302)
        draft = self.page("uji-ada").latest_revision
        self.assertEqual(draft.user, self.officer_a)
        self.assertEqual(self.refused(exported, "--publish"), [self.message(exported, 1, draft, "officer_a")])
        self.assertEqual(self.page("uji-ada").get_latest_revision_as_object().title, "Draf petugas")

    def test_a_line_without_the_export_marker_is_refused_after_an_edit(self):
        """A hand-written line (or an older export) cannot tell what it was based on: after an edit on the site
        since the last import it is refused; before one, it updates."""
        hand_written = self.write("hand.jsonl", record(external_id="uji-ada", title="Dari berkas tulisan tangan"))
        self.assertEqual(self.import_(hand_written), "hand.jsonl: 0 created, 1 updated, 0 unchanged, 0 published")
        edit = self.moderator_edit(self.page("uji-ada"), title="Dikoreksi moderator")
        again = self.write("hand2.jsonl", record(external_id="uji-ada", title="Dari berkas lagi"))
        self.assertEqual(self.refused(again, "--publish"), [self.message(again, 1, edit, "moderator")])

    def test_an_unedited_page_still_updates_from_its_export(self):
        exported = self.export()
        line = json.loads(exported.read_text())
        self.assertRegex(line["revision"], r"^\d+@\d{4}-\d\d-\d\dT")
        changed = self.write("changed.jsonl", {**line, "title": "Judul dari berkas ekspor"})
        self.assertEqual(
            self.import_(changed, "--publish"), "changed.jsonl: 0 created, 1 updated, 0 unchanged, 1 published"
        )
        self.assertEqual(self.page("uji-ada").title, "Judul dari berkas ekspor")

    def test_a_fresh_export_after_the_edit_imports(self):
        self.export()
        self.moderator_edit(self.existing, title="Judul yang dikoreksi moderator")
        fresh = self.export()
        self.assertEqual(
            self.import_(fresh, "--publish"), f"{fresh.name}: 0 created, 0 updated, 1 unchanged, 0 published"
        )
        changed = self.write("changed.jsonl", {**json.loads(fresh.read_text()), "summary": "Ringkasan dari berkas."})
        self.assertEqual(
            self.import_(changed, "--publish"), "changed.jsonl: 0 created, 1 updated, 0 unchanged, 1 published"
        )
        page = self.page("uji-ada")
        self.assertEqual((page.title, page.summary), ("Judul yang dikoreksi moderator", "Ringkasan dari berkas."))
        # the format carries the body as HTML: the moderator's heading and paragraph come back as one block
        self.assertEqual(page.body[0].value.source, "<h3>Hasil evaluasi</h3><p>Blok baru dari moderator.</p>")

    def test_a_draft_edited_again_in_the_same_revision_is_not_replaced(self):
        """Wagtail saves a person's next draft into their latest revision: same id, new time."""
        draft = self.moderator_edit(self.existing, title="Draf pertama", publish=False)
        exported = self.export("--include-drafts")
        self.assertEqual(json.loads(exported.read_text())["title"], "Draf pertama")
        again = self.page("uji-ada").get_latest_revision_as_object()
        again.title = "Draf kedua"
        self.assertEqual(again.save_revision(user=self.moderator, overwrite_revision=draft).pk, draft.pk)
        draft.refresh_from_db()
        self.assertEqual(self.refused(exported), [self.message(exported, 1, draft, "moderator")])

    def test_live_export_with_a_draft_pending_does_not_replace_the_draft(self):
        draft = self.moderator_edit(self.existing, title="Draf menunggu", publish=False)
        exported = self.export()  # the live content, marked with the live revision
        self.assertEqual(json.loads(exported.read_text())["title"], "Praktik yang sudah ada")
        self.assertEqual(self.refused(exported, "--publish"), [self.message(exported, 1, draft, "moderator")])

    def test_csv_export_carries_the_marker(self):
        exported = self.tmp / "export.csv"
        self.run_command("export_casestudies", "--format", "csv", "--output", exported)
        edit = self.moderator_edit(self.existing, title="Dikoreksi")
        self.assertIn(",revision", exported.read_text().splitlines()[0])
        self.assertEqual(self.refused(exported, "--publish"), [self.message(exported, 2, edit, "moderator")])

    def test_a_marker_that_is_not_the_exports(self):
        path = self.write("bad.jsonl", record(external_id="uji-ada", revision="kemarin"))
        self.assertEqual(
            self.refused(path),
            [
                "bad.jsonl: line 1: revision: is not a revision written by the export (ID@TIME); "
                "leave it out of a hand-written line"
            ],
        )


class WriteFailureTests(ExchangeTestCase):
    """A line that passes the checks but that the model refuses while writing: every line rolled back, the reason
    as `line N: field: reason`, no traceback, a non-zero exit (as manage.py runs the command)."""

    def run_from_argv(self, path: Path, *args) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            # run_from_argv closes the connections when it ends: the test's transaction must stay open
            mock.patch("django.core.management.base.connections.close_all"),
            self.assertRaises(SystemExit) as exit_,
        ):
            ImportCommand().run_from_argv(["manage.py", "import_casestudies", str(path), *args])
        return exit_.exception.code, out.getvalue(), err.getvalue()

    def assert_rolled_back(self, path: Path, *expected: str):
        before = self.state()
        code, out, err = self.run_from_argv(path, "--publish")
        self.assertEqual(code, 1)
        self.assertNotIn("Traceback", err)
        lines = err.splitlines()
        self.assertEqual(len(lines), len(expected) + 1, lines)
        for text, start in zip(lines, expected, strict=False):
            self.assertTrue(text.startswith(f"{path.name}: {start}"), (text, start))
        self.assertEqual(lines[-1], f"CommandError: {len(expected)} error(s); nothing was written.")
        self.assertEqual(out, "")
        self.assertEqual(self.state(), before)

    def test_slug_taken_where_the_page_moves(self):
        make_case_study(self.page_b, title="Praktik yang sudah ada", slug=self.existing.slug)
        path = self.write(
            "move.jsonl",
            record(external_id="uji-baru"),  # written first, then rolled back
            record(external_id="uji-ada", title="Praktik yang sudah ada", region_code="32.12"),
        )
        self.assert_rolled_back(path, f"line 2: slug: The slug '{self.existing.slug}' is already in use")
        self.assertFalse(CaseStudyPage.objects.filter(external_id="uji-baru").exists())
        self.assertEqual(self.page("uji-ada").get_parent().pk, self.page_a.pk)

    def test_value_the_model_refuses(self):
        """contact_name is at most 120 characters, contact_role 200: on a new draft, on an existing draft and on a live page (the
        draft row used to reach PostgreSQL unchecked: a DataError traceback)."""
        self.import_(self.write("draft.jsonl", record(external_id="uji-draf")))
        too_long = "x" * 121
        path = self.write(
            "long.jsonl",
            record(external_id="uji-baru"),
            record(external_id="uji-panjang", contact_name=too_long),
            record(external_id="uji-draf", contact_name=too_long),
            record(external_id="uji-ada", contact_role="y" * 201),
        )
        self.assert_rolled_back(path, "line 2: contact_name: ", "line 3: contact_name: ", "line 4: contact_role: ")
        self.assertFalse(CaseStudyPage.objects.filter(external_id__in=["uji-baru", "uji-panjang"]).exists())
