"""Uploads in the admin: the self-assessment (penilaian mandiri) and the case-study import, each preview → confirm.

The session fixture has loaded the framework, the regions and the official results (2023–2024); no indicator
levels exist before a test. Region A is 32.11 (officer_a), region B is 32.12 (officer_b).
"""

import io
import json
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import override_settings

from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

import openpyxl

from casestudies.models import AggregateScore, CaseStudyPage, Framework, IndicatorScore, Origin, PendingUpload, Scope
from casestudies.scores.importer import import_score_content
from casestudies.scores.targets import Target
from casestudies.scores.values import values_for
from casestudies.upload_views import LOG_SELF_ASSESSMENT
from tests.utils import PASSWORD, SiteTestCase, make_case_study

URL = "/admin/penilaian-mandiri/"
CASE_URL = "/admin/impor-praktik-baik/"
LEVELS = {n: (n * 7) % 5 + 1 for n in range(1, 48)}


def score_csv(code="32.11", year=2025, levels=LEVELS, extra=()) -> bytes:
    lines = ["region_code,year,indicator,level"]
    lines += [f"{code},{year},{n},{level}" for n, level in sorted(levels.items())]
    lines += list(extra)
    return ("\n".join(lines) + "\n").encode()


def upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def token_of(response) -> str:
    return response.context["token"]


class UploadTestCase(SiteTestCase):
    def preview(self, user, content, name="nilai.csv", url=URL, **data):
        self.client.force_login(user)
        return self.client.post(url, {"file": upload(name, content), **data})

    def confirm(self, token, url=URL):
        return self.client.post(url, {"token": token})

    def error_rows(self, response) -> list[tuple[int, str]]:
        return [(e.line, e.field) for e in response.context["errors"]]


class SelfAssessmentPermissionTests(UploadTestCase):
    def test_anonymous_is_sent_to_sign_in(self):
        for url in (URL, URL + "templat.xlsx", CASE_URL):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/admin/login/", response["Location"])

    def test_a_user_with_admin_access_but_no_region_is_refused(self):
        user = get_user_model().objects.create_user("tamu", "tamu@example.id", PASSWORD)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(user)
        denied = "/admin/"  # Wagtail answers a PermissionDenied in its admin with a redirect home and a message
        for url in (URL, URL + "templat.xlsx", CASE_URL):
            self.assertRedirects(self.client.get(url), denied, fetch_redirect_response=False)
        response = self.client.post(URL, {"file": upload("nilai.csv", score_csv())})
        self.assertRedirects(response, denied, fetch_redirect_response=False)
        self.assertNotIn(URL, self.client.get("/admin/").content.decode())
        self.assertFalse(IndicatorScore.objects.exists())

    def test_officers_and_moderators_see_the_screens_in_the_menu(self):
        for user in (self.officer_a, self.moderator):
            self.client.force_login(user)
            home = self.client.get("/admin/").content.decode()
            self.assertIn(URL, home)
            self.assertIn(CASE_URL, home)
            response = self.client.get(URL)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'name="file"')
            self.assertContains(response, "templat.xlsx")


class SelfAssessmentTests(UploadTestCase):
    def test_the_preview_lists_every_row_and_writes_nothing(self):
        response = self.preview(self.officer_a, score_csv())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["rows"]), 47)
        self.assertEqual(response.context["report"].created, 47)
        self.assertContains(response, 'name="token"')
        self.assertContains(response, "Kabupaten Sumedang")
        self.assertFalse(IndicatorScore.objects.exists())
        self.assertEqual(PendingUpload.objects.count(), 1)

    def test_confirming_writes_self_assessed_levels_and_aggregates(self):
        token = token_of(self.preview(self.officer_a, score_csv()))
        response = self.confirm(token)
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        levels = IndicatorScore.objects.filter(region=self.region_a, year=2025)
        self.assertEqual(levels.count(), 47)
        self.assertEqual(set(levels.values_list("origin", flat=True)), {Origin.SELF_ASSESSED})
        aggregates = AggregateScore.objects.filter(region=self.region_a, year=2025)
        self.assertEqual(set(aggregates.values_list("origin", flat=True)), {Origin.SELF_ASSESSED})
        self.assertEqual(aggregates.filter(scope=Scope.INDEX).count(), 1)
        self.assertFalse(PendingUpload.objects.exists())
        entry = ModelLogEntry.objects.get(action=LOG_SELF_ASSESSMENT)
        self.assertEqual((entry.object_id, entry.user_id), (str(self.region_a.pk), self.officer_a.pk))
        self.assertIn("tersimpan", self.client.get(URL).content.decode())

        again = self.confirm(token)  # the same confirmation twice: the kept file is gone
        self.assertEqual(again.status_code, 400)
        self.assertIn("sudah disimpan", again.context["refused"])

    def test_the_scores_api_and_the_dashboard_show_the_origin(self):
        self.confirm(token_of(self.preview(self.officer_a, score_csv())))
        data = self.client.get("/api/v1/regions/32.11/scores/").json()
        year = next(y for y in data["years"] if y["year"] == 2025)
        self.assertEqual(year["index"]["origin"], "self_assessed")
        self.assertEqual({v["origin"] for v in year["aspects"].values()}, {"self_assessed"})
        self.assertEqual({v["origin"] for v in year["domains"].values()}, {"self_assessed"})
        self.assertEqual(len(year["indicators"]), 47)
        official = next(y for y in data["years"] if y["year"] == 2024)
        self.assertEqual(official["index"]["origin"], "official")
        self.assertEqual(data["precedence"][-1], "self_assessed")

        page = self.client.get("/daerah/skor/32-11/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn('id="self-assessed-index"', html)
        self.assertIn("Penilaian mandiri", html)
        self.assertIn("Indeks SPBE 2025", html)
        # "what to learn next" starts from the newest levels: the self-assessed ones
        steps = page.context["next_steps"]
        self.assertTrue(steps)
        self.assertTrue(all(step.level == LEVELS[step.indicator.number] for step in steps))

    def test_self_assessed_values_are_not_compared_with_other_regions(self):
        self.confirm(token_of(self.preview(self.officer_a, score_csv(year=2024))))
        framework = Framework.current()
        values = values_for(Target("index", 0, framework), [2024], region_ids=[self.region_a.pk])
        self.assertEqual(values[(self.region_a.pk, 2024)].origin, Origin.OFFICIAL)
        self.assertFalse(values_for(Target("indicator", 1, framework), [2024], region_ids=[self.region_a.pk]))

    def test_a_row_of_another_region_writes_nothing(self):
        response = self.preview(self.officer_a, score_csv(extra=["32.12,2025,1,3"]))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.error_rows(response), [(49, "region_code")])
        self.assertContains(response, "not your region", status_code=400)
        self.assertNotIn("token", response.context)
        self.assertFalse(PendingUpload.objects.exists())
        self.assertFalse(IndicatorScore.objects.exists())
        self.assertFalse(AggregateScore.objects.filter(origin=Origin.SELF_ASSESSED).exists())

    def test_an_officer_of_another_region_cannot_upload_for_it(self):
        response = self.preview(self.officer_b, score_csv(code="32.11"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(response.context["errors"]), 47)
        self.assertFalse(IndicatorScore.objects.exists())

    def test_a_moderator_uploads_for_any_region(self):
        content = score_csv(code="32.12") + b"32.11,2025,1,4\n"
        token = token_of(self.preview(self.moderator, content))
        self.confirm(token)
        self.assertEqual(IndicatorScore.objects.filter(region=self.region_b, year=2025).count(), 47)
        self.assertEqual(IndicatorScore.objects.filter(region=self.region_a, year=2025).count(), 1)
        self.assertEqual(ModelLogEntry.objects.filter(action=LOG_SELF_ASSESSMENT).count(), 2)

    def test_line_errors_name_their_line_and_field(self):
        content = b"region_code,year,indicator,level\n32.11,2025,1,3\n32.11,2025,2,7\n32.11,2025,99,2\n32.11,2025,3,\n"
        response = self.preview(self.officer_a, content)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.error_rows(response), [(3, "level"), (4, "indicator"), (5, "level")])
        html = response.content.decode()
        self.assertIn('id="upload-errors"', html)
        self.assertIn("<td>3</td><td><code>level</code></td>", html)
        self.assertFalse(PendingUpload.objects.exists())

    def test_aggregate_rows_are_not_a_self_assessment(self):
        content = b"region_code,year,index,value\n32.11,2025,x,3.5\n"
        response = self.preview(self.officer_a, content)
        self.assertEqual(self.error_rows(response), [(2, "index")])

    def test_an_imported_level_is_kept_and_shown_so(self):
        IndicatorScore.objects.create(
            region=self.region_a, indicator_id=self._indicator(1), year=2025, level=2, source="Impor resmi"
        )
        response = self.preview(self.officer_a, score_csv())
        self.assertEqual(response.context["report"].kept, 1)
        first = next(row for row in response.context["rows"] if row["indicator"].number == 1)
        self.assertEqual((first["action"], first["stored"]), ("keep", 2))
        self.confirm(token_of(response))
        kept = IndicatorScore.objects.get(region=self.region_a, year=2025, indicator__number=1)
        self.assertEqual((kept.level, kept.origin, kept.source), (2, Origin.IMPORTED, "Impor resmi"))
        self.assertEqual(IndicatorScore.objects.filter(origin=Origin.SELF_ASSESSED).count(), 46)

    def test_an_import_replaces_a_self_assessment(self):
        self.confirm(token_of(self.preview(self.officer_a, score_csv())))
        import_score_content("resmi.csv", score_csv(levels=dict.fromkeys(LEVELS, 3)), source="Impor resmi")
        levels = IndicatorScore.objects.filter(region=self.region_a, year=2025)
        self.assertEqual(set(levels.values_list("origin", "level")), {(Origin.IMPORTED, 3)})
        origins = set(AggregateScore.objects.filter(region=self.region_a, year=2025).values_list("origin", flat=True))
        self.assertEqual(origins, {Origin.COMPUTED})

    def test_an_uploaded_xlsx_is_read(self):
        workbook = openpyxl.Workbook()
        workbook.active.append(["region_code", "year", "indicator", "level"])
        workbook.active.append(["32.11", 2025, 5, 4])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = self.preview(self.officer_a, buffer.getvalue(), name="nilai.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["report"].created, 1)

    def _indicator(self, number):
        return Framework.current().indicators.get(number=number).pk


class SelfAssessmentTemplateTests(UploadTestCase):
    def test_the_template_lists_the_indicators_and_their_levels_and_uploads_back(self):
        self.client.force_login(self.officer_a)
        response = self.client.get(URL + "templat.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0], ("region_code", "year", "indicator", "level"))
        self.assertEqual([row[2] for row in rows[1:]], list(range(1, 48)))
        self.assertEqual({row[0] for row in rows[1:]}, {"32.11"})
        guide = list(workbook.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(guide[1][0], 1)
        self.assertTrue(all(guide[1][3:8]), guide[1])  # the five level names of indicator 1

        sheet = workbook.worksheets[0]
        for row in range(2, 49):
            sheet.cell(row=row, column=4, value=3)
        buffer = io.BytesIO()
        workbook.save(buffer)
        preview = self.preview(self.officer_a, buffer.getvalue(), name="templat.xlsx")
        self.assertEqual(preview.status_code, 200, preview.context.get("errors"))
        self.assertEqual(preview.context["report"].created, 47)


class ConfirmationTests(UploadTestCase):
    def test_a_tampered_token_is_refused(self):
        token = token_of(self.preview(self.officer_a, score_csv()))
        for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", ""):
            response = self.confirm(forged)
            self.assertEqual(response.status_code, 400)
            self.assertIn("tidak sah", response.context["refused"])
        self.assertFalse(IndicatorScore.objects.exists())

    def test_an_expired_token_is_refused(self):
        token = token_of(self.preview(self.officer_a, score_csv()))
        later = time.time() + 61 * 60
        with mock.patch("django.core.signing.time.time", return_value=later):
            response = self.confirm(token)
        self.assertEqual(response.status_code, 400)
        self.assertIn("kedaluwarsa", response.context["refused"])
        self.assertFalse(IndicatorScore.objects.exists())

    def test_another_users_token_is_refused(self):
        token = token_of(self.preview(self.officer_a, score_csv()))
        self.client.force_login(self.moderator)
        response = self.confirm(token)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(IndicatorScore.objects.exists())

    def test_changed_bytes_are_refused(self):
        token = token_of(self.preview(self.officer_a, score_csv()))
        PendingUpload.objects.update(content=score_csv(levels={1: 5}))
        response = self.confirm(token)
        self.assertEqual(response.status_code, 400)
        self.assertIn("tidak sama", response.context["refused"])
        self.assertFalse(IndicatorScore.objects.exists())

    def test_a_token_of_one_upload_screen_is_refused_by_the_other(self):
        token = token_of(self.preview(self.moderator, score_csv()))
        response = self.confirm(token, url=CASE_URL)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(IndicatorScore.objects.exists())


class UploadCheckTests(UploadTestCase):
    def test_a_file_of_another_type_gets_a_clear_message(self):
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        cases = [
            ("foto.png", png, "bukan berkas .csv atau .xlsx"),
            ("nilai.csv", png, "bukan berkas teks .csv"),
            ("nilai.xlsx", b"region_code,year\n", "bukan buku kerja Excel"),
            ("nilai.xlsx", b"PK\x03\x04" + b"\x00" * 100, "rusak"),
            ("nilai.csv", b"", "kosong"),
        ]
        for name, content, message in cases:
            with self.subTest(name=name, message=message):
                response = self.preview(self.officer_a, content, name=name)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.content.decode())
        self.assertFalse(PendingUpload.objects.exists())

    @override_settings(LIVINGLAB_ADMIN_UPLOAD_MAX_BYTES=200)
    def test_a_file_too_large_is_refused(self):
        response = self.preview(self.officer_a, score_csv())
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "terlalu besar", status_code=400)
        self.assertFalse(PendingUpload.objects.exists())

    def test_no_file_is_a_form_error(self):
        self.client.force_login(self.officer_a)
        response = self.client.post(URL, {})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors["file"])

    def test_a_damaged_workbook_is_a_line_error_not_a_crash(self):
        buffer = io.BytesIO()
        openpyxl.Workbook().save(buffer)
        content = buffer.getvalue().replace(b"xl/workbook.xml", b"xl/workbook.xmX")
        response = self.preview(self.officer_a, content, name="nilai.xlsx")
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.content)


def case_jsonl(*records) -> bytes:
    return ("\n".join(json.dumps(r) for r in records) + "\n").encode()


def case_record(**changes) -> dict:
    record = {
        "external_id": "garut-001",
        "title": "Tanda tangan elektronik di semua OPD",
        "region_code": "32.11",
        "summary": "Semua naskah dinas ditandatangani secara elektronik.",
        "body_html": "<p>Isi tambahan.</p>",
        "indicators": [37],
        "tags": ["tte"],
        "year_start": 2021,
    }
    record.update(changes)
    return record


class CaseStudyUploadTests(UploadTestCase):
    def test_an_officer_imports_drafts_under_their_region_even_when_asking_to_publish(self):
        response = self.preview(
            self.officer_a, case_jsonl(case_record()), name="praktik.jsonl", url=CASE_URL, publish="on"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([c.action for c in response.context["changes"]], ["create"])
        self.assertNotContains(response, 'name="publish"')  # officers are not offered publishing
        self.assertFalse(CaseStudyPage.objects.filter(external_id="garut-001").exists())
        self.confirm(token_of(response), url=CASE_URL)
        page = CaseStudyPage.objects.get(external_id="garut-001")
        self.assertFalse(page.live)
        self.assertEqual(page.get_parent().pk, self.page_a.pk)
        self.assertEqual(page.latest_revision.user_id, self.officer_a.pk)

    def test_an_officer_cannot_import_under_another_region(self):
        response = self.preview(
            self.officer_a,
            case_jsonl(case_record(), case_record(external_id="garut-002", region_code="32.12")),
            name="praktik.jsonl",
            url=CASE_URL,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.error_rows(response), [(2, "region_code")])
        self.assertFalse(CaseStudyPage.objects.filter(external_id__startswith="garut-").exists())

    def test_an_officer_cannot_take_over_another_regions_case_study(self):
        theirs = make_case_study(self.page_b, title="Milik Indramayu", external_id="indramayu-001")
        response = self.preview(
            self.officer_a, case_jsonl(case_record(external_id="indramayu-001")), name="praktik.jsonl", url=CASE_URL
        )
        self.assertEqual(self.error_rows(response), [(1, "external_id")])
        theirs.refresh_from_db()
        self.assertEqual(theirs.get_parent().pk, self.page_b.pk)

    def test_a_moderator_may_publish_anywhere(self):
        records = case_jsonl(case_record(), case_record(external_id="indramayu-002", region_code="32.12"))
        response = self.preview(self.moderator, records, name="praktik.jsonl", url=CASE_URL, publish="on")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "akan diterbitkan")
        self.confirm(token_of(response), url=CASE_URL)
        self.assertEqual(CaseStudyPage.objects.live().filter(external_id__in=["garut-001", "indramayu-002"]).count(), 2)

    def test_line_errors_and_file_types(self):
        response = self.preview(
            self.officer_a, case_jsonl(case_record(title=""), case_record(external_id="x", year_start="2021")),
            name="praktik.jsonl", url=CASE_URL,
        )  # fmt: skip
        self.assertEqual(self.error_rows(response), [(1, "title"), (2, "year_start")])
        response = self.preview(self.officer_a, b"%PDF-1.4 ...", name="praktik.pdf", url=CASE_URL)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "bukan berkas .jsonl atau .csv", status_code=400)
        response = self.preview(self.officer_a, b"\x00\x01\x02", name="praktik.jsonl", url=CASE_URL)
        self.assertContains(response, "bukan berkas teks .jsonl", status_code=400)

    def test_a_page_edited_on_the_site_since_is_refused(self):
        self.confirm(
            token_of(self.preview(self.officer_a, case_jsonl(case_record()), name="p.jsonl", url=CASE_URL)),
            url=CASE_URL,
        )
        page = CaseStudyPage.objects.get(external_id="garut-001")
        page.title = "Diubah di situs"
        page.save_revision(user=self.officer_a)
        response = self.preview(self.officer_a, case_jsonl(case_record(summary="Lain.")), name="p.jsonl", url=CASE_URL)
        self.assertEqual(response.status_code, 400)
        self.assertIn("changed on the site", response.context["errors"][0].message)


class UploadLanguageTests(UploadTestCase):
    def test_the_screens_are_in_english_for_an_officer_who_prefers_it(self):
        profile = UserProfile.get_for_user(self.officer_a)
        profile.preferred_language = "en"
        profile.save()
        self.client.force_login(self.officer_a)
        page = self.client.get(URL).content.decode()
        self.assertIn("Self-assessment", page)
        self.assertIn("Download the XLSX template", page)
        self.assertNotIn("Unggah dan tinjau", page)
        preview = self.client.post(URL, {"file": upload("nilai.csv", score_csv())}).content.decode()
        self.assertIn("47 new levels", preview)
        self.assertIn("Upload and preview", self.client.get(CASE_URL).content.decode())
