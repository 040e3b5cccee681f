"""An officer of a newly onboarded region uploads a self-assessment (from the downloaded template) and a case study
in the admin, each through its preview and confirmation, and sees the self-assessment on the region's dashboard."""

import io
import json
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from .conftest import manage, screenshot

pytestmark = pytest.mark.browser

CODE = "32.04"  # Kabupaten Bandung: no other browser test uses it
EMAIL = "rina.wulandari@bandungkab.example.go.id"
PASSWORD = "Bandung-Berbagi-2026"


def _officer_signs_in(page, base):
    manage("onboard_region", CODE, "--officer", EMAIL)
    manage(  # the invitation's own walk is test_onboarding's; here the officer already chose a password
        "shell",
        "-c",
        f"from django.contrib.auth import get_user_model; u = get_user_model().objects.get(email='{EMAIL}'); "
        f"u.set_password('{PASSWORD}'); u.save()",
    )
    page.goto(base + "/admin/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("Masuk|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_an_officer_uploads_a_self_assessment_and_a_case_study(demo_server, page, tmp_path):
    _officer_signs_in(page, demo_server)
    page.get_by_role("link", name="Penilaian mandiri").first.click()
    expect(page).to_have_url(re.compile(r"/admin/penilaian-mandiri/$"))
    expect(page.locator("#self-assessment")).to_contain_text("Kabupaten Bandung")
    screenshot(page, "admin-self-assessment-upload")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Unduh templat XLSX")).click()
    template = tmp_path / "templat.xlsx"
    download_info.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=2, value=2025)
        sheet.cell(row=row, column=4, value=3 if row % 3 else 4)
    filled = tmp_path / "penilaian-mandiri-2025.xlsx"
    workbook.save(filled)

    # A row of another region: errors with line and field, nothing kept to confirm.
    wrong = io.StringIO()
    wrong.write("region_code,year,indicator,level\n")
    wrong.write(f"{CODE},2025,1,3\n32.11,2025,2,4\n{CODE},2025,3,9\n")
    wrong_file = tmp_path / "salah.csv"
    wrong_file.write_text(wrong.getvalue(), encoding="utf-8")
    page.set_input_files("input[name=file]", str(wrong_file))
    page.get_by_role("button", name="Unggah dan tinjau").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("region_code")
    expect(errors).to_contain_text("level")
    expect(page.locator("#confirm-form")).to_have_count(0)
    screenshot(page, "admin-self-assessment-errors")

    page.set_input_files("input[name=file]", str(filled))
    page.get_by_role("button", name="Unggah dan tinjau").click()
    preview = page.locator("#upload-preview")
    expect(preview.locator("tbody tr")).to_have_count(47)
    expect(page.locator("#upload-summary")).to_contain_text("47 tingkat baru")
    screenshot(page, "admin-self-assessment-preview")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("47 tingkat baru")

    page.goto(demo_server + "/daerah/skor/" + CODE.replace(".", "-") + "/")
    expect(page.locator("#self-assessed-index")).to_have_text("Penilaian mandiri")
    expect(page.locator("main")).to_contain_text("Indeks SPBE 2025")
    screenshot(page, "dashboard-self-assessed")
    scores = page.request.get(demo_server + f"/api/v1/regions/{CODE}/scores/").json()
    latest = scores["years"][-1]
    assert (latest["year"], latest["index"]["origin"]) == (2025, "self_assessed")

    record = {
        "external_id": "bandung-sipd-001",
        "title": "Satu data perencanaan di semua perangkat daerah",
        "region_code": CODE,
        "summary": "Perencanaan dan penganggaran memakai satu data untuk semua perangkat daerah.",
        "body_html": "<p>Semua OPD mengisi satu aplikasi.</p>",
        "indicators": [11],
        "tags": ["satu data"],
        "year_start": 2023,
    }
    cases = tmp_path / "praktik-baik.jsonl"
    cases.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    page.goto(demo_server + "/admin/")
    page.get_by_role("link", name="Impor praktik baik").first.click()
    expect(page.locator("input[name=publish]")).to_have_count(0)  # an officer's case studies are drafts
    page.set_input_files("input[name=file]", str(cases))
    page.get_by_role("button", name="Unggah dan tinjau").click()
    expect(page.locator("#upload-preview")).to_contain_text(record["title"])
    expect(page.locator("#upload-summary")).to_contain_text("draf")
    screenshot(page, "admin-case-study-import-preview")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("1 praktik baik baru")
    page.goto(demo_server + "/admin/pages/search/?q=" + "Satu+data+perencanaan")
    expect(page.get_by_role("link", name=record["title"]).first).to_be_visible()
