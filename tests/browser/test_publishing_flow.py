"""An officer writes a case study in the Wagtail admin and submits it; a moderator approves it; readers find it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

TITLE = "Aplikasi Antrean Puskesmas Daring"


def log_in(tab, base, username):
    tab.goto(base + "/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "browser-test")
    tab.get_by_role("button", name=re.compile("Masuk|Sign in", re.I)).click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))


def write_case_study(tab, base, *, region, title, summary, indicator_search, indicator):
    """In the admin: open the region's page, add a case study and fill what a submission needs."""
    tab.goto(base + "/admin/pages/search/?q=" + region.replace(" ", "+"))
    tab.get_by_role("link", name=region, exact=True).first.click()
    region_page_id = re.search(r"/admin/pages/(\d+)/", tab.url).group(1)
    tab.goto(f"{base}/admin/pages/{region_page_id}/add_subpage/")  # one page type allowed: its form
    expect(tab.locator("#id_title")).to_be_visible()
    tab.fill("#id_title", title)
    tab.fill("#id_summary", summary)
    tab.get_by_role("button", name="Pilih indikator").click()
    chooser = tab.locator(".modal-content")
    chooser.get_by_role("textbox").first.fill(indicator_search)
    chooser.get_by_role("link", name=re.compile(rf"^{indicator}\. ")).click()
    expect(tab.locator("#panel-child-konten-indikator_spbe-content")).to_contain_text(f"{indicator}. ")
    tab.fill("#id_year_start", "2023")


def test_officer_submits_moderator_approves_and_it_appears_in_search(demo_server, page, browser):
    log_in(page, demo_server, "petugas-sumedang")
    write_case_study(
        page,
        demo_server,
        region="Kabupaten Sumedang",
        title=TITLE,
        summary="Warga mengambil nomor antrean puskesmas dari ponsel dan datang tepat waktu.",
        indicator_search="pengaduan",
        indicator=42,
    )
    screenshot(page, "officer-new-case-study")
    page.get_by_role("button", name="Tindakan lain").click()
    page.get_by_role("button", name=re.compile("Pengajuan ke Moderasi praktik baik|Submit to", re.I)).click()
    expect(page.locator(".messages")).to_contain_text(TITLE)
    screenshot(page, "officer-submitted")

    moderator = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    log_in(moderator, demo_server, "moderator")
    row = moderator.locator("section:has-text('Menunggu tinjauan anda') tr", has_text=TITLE)
    expect(row).to_be_visible()
    screenshot(moderator, "moderator-queue-with-submission")
    row.get_by_role("link", name=TITLE).click()
    moderator.get_by_role("button", name="Tindakan lain").click()
    moderator.get_by_role("button", name=re.compile("^(Setujui|Approve)$")).click()  # the workflow's last task
    expect(moderator.locator(".messages")).to_contain_text(TITLE)
    screenshot(moderator, "moderator-approved")
    moderator.close()

    page.goto(demo_server + "/cari/?q=antrean+puskesmas")
    result = page.locator(".results .card-title a", has_text=TITLE)
    expect(result).to_be_visible()
    expect(page.locator(".results mark").first).to_be_visible()
    screenshot(page, "search-finds-approved-case-study")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".claims")).to_contain_text("42")


def test_officer_sees_a_similar_case_study_and_records_the_region_as_replicator(demo_server, page, axe_source):
    log_in(page, demo_server, "petugas-indramayu")
    write_case_study(
        page,
        demo_server,
        region="Kabupaten Indramayu",
        title="Antrean Puskesmas Daring Indramayu",
        summary="Pendaftaran antrean puskesmas secara daring.",
        indicator_search="sektor 3",
        indicator=47,
    )
    page.get_by_role("button", name="Simpan konsep").click()
    warning = page.locator(".messages li", has_text="Praktik baik serupa sudah ada")
    expect(warning).to_contain_text("Kota Denpasar")
    screenshot(page, "officer-duplicate-warning")
    warning.get_by_role("link", name="Daerah saya mereplikasi ini").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daerah saya mereplikasi praktik ini")
    page.get_by_label("Mulai tahun").fill("2024")
    page.get_by_label("Catatan (opsional)").fill("Diterapkan di 49 puskesmas sejak 2024.")
    screenshot(page, "officer-replicate-confirm")
    page.get_by_role("button", name="Catat daerah saya sebagai replikator").click()
    expect(page.locator(".messages")).to_contain_text("Kabupaten Indramayu tercatat mereplikasi")
    replicators = page.locator("section", has=page.get_by_role("heading", name="Direplikasi oleh"))
    expect(replicators).to_contain_text("Kabupaten Indramayu")
    expect(replicators).to_contain_text("Diterapkan di 49 puskesmas sejak 2024.")
    expect(replicators).to_contain_text("sejak 2024 · berjalan")
    screenshot(page, "case-study-with-replicator")
    assert axe_violations(page, axe_source) == [], "the case study with its replicators passes axe (WCAG 2.1 AA)"
