"""What a reader, an officer and a moderator see in a real browser on the demo site."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def test_reader_goes_from_home_to_a_region_and_a_case_study(demo_server, page):
    page.goto(demo_server + "/")
    expect(page.locator(".demo-banner")).to_contain_text("Data contoh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Belajar dari daerah yang sudah naik")
    screenshot(page, "home")

    page.get_by_role("link", name="Praktik baik per daerah").click()
    page.get_by_role("link", name="Kabupaten Sumedang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabupaten Sumedang")
    screenshot(page, "region")

    first_card = page.locator(".card-title a").first
    title = first_card.inner_text()
    first_card.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".claims")).to_contain_text("Indikator")
    expect(page.get_by_role("navigation", name="Daftar isi")).to_be_visible()
    screenshot(page, "case-study")

    page.locator(".claims a").first.click()
    expect(page).to_have_url(re.compile(r"/indikator/\d+/$"))
    expect(page.get_by_role("heading", level=2, name="Tingkat kematangan")).to_be_visible()
    # Listed under the step it covers (learning path) or among the indicator's other case studies.
    expect(page.get_by_role("link", name=title, exact=True).first).to_be_visible()
    screenshot(page, "indicator")


def test_switch_to_english_and_back(demo_server, page):
    page.goto(demo_server + "/")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="ID").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_phone_width_layout(demo_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    tab = context.new_page()
    tab.goto(demo_server + "/")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways at 360 px ({width} px wide)"
    screenshot(tab, "home-360")
    context.close()


def test_moderator_sees_the_submissions_waiting_for_review(demo_server, page):
    page.goto(demo_server + "/admin/login/")
    page.fill("#id_username", "moderator")
    page.fill("#id_password", "browser-test")
    page.get_by_role("button", name=re.compile("Masuk|Sign in", re.I)).click()
    expect(page.get_by_text("Menunggu tinjauan anda")).to_be_visible()
    rows = page.locator("section:has-text('Menunggu tinjauan anda') tbody tr")
    expect(rows).to_have_count(2)
    screenshot(page, "moderation-queue")


def test_region_dashboard_with_peers(demo_server, page):
    page.goto(demo_server + "/daerah/")
    page.locator("tr", has_text="Kabupaten Indramayu").get_by_role("link", name="Dasbor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skor SPBE Kabupaten Indramayu")
    expect(page.locator(".score-card")).to_contain_text("Data resmi KemenPANRB")
    expect(page.locator("figure.chart svg[aria-labelledby]")).to_have_count(3)
    panels = page.locator(".peer-panel")
    expect(panels.first).to_contain_text("Domain terlemah")
    expect(panels.first.locator(".peer-reason").first).to_contain_text("naik dari")
    page.locator("figure.chart").first.locator("summary").click()
    expect(page.locator("figure.chart").first.locator("table")).to_be_visible()
    screenshot(page, "region-dashboard")

    evidence = page.locator(".peer-panel .evidence a").first
    title = evidence.inner_text()
    evidence.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#daerah-lain")).to_contain_text("Daerah lain yang naik pada aspek ini")
    screenshot(page, "case-study-with-peers")


def test_scores_api_answers_json(demo_server, page):
    response = page.request.get(demo_server + "/api/v1/regions/35.10/scores/")
    assert response.ok
    latest = [y for y in response.json()["years"] if y["year"] == 2024][0]
    assert latest["index"]["value"] == 4.77
    assert latest["index"]["origin"] == "official"
    bad = page.request.get(demo_server + "/api/v1/regions/35.10/peers/?aspect=x")
    assert bad.status == 400
    assert "aspect" in bad.json()["error"]


def test_search_type_pick_facets_open_a_result(demo_server, page):
    """An officer of Indramayu searches, narrows by an indicator, sees highlights and peers that climbed."""
    page.goto(demo_server + "/cari/?for_region=32.12")
    box = page.get_by_role("combobox", name="Kata kunci")
    box.fill("pengad")
    listbox = page.locator("#search-suggestions")
    expect(listbox).to_be_visible()
    expect(listbox).to_contain_text("Indikator 42")
    screenshot(page, "search-autocomplete")

    box.fill("pengaduan")
    box.press("Enter")
    expect(page.locator(".results-head")).to_contain_text("pengaduan")
    expect(page.locator(".results mark").first).to_be_visible()
    expect(page.locator(".badge-peer").first).to_have_text("daerah yang naik")
    screenshot(page, "search-results")

    page.locator("#facet-indicator").get_by_label(re.compile(r"^42\. ")).check()  # the form submits itself
    expect(page).to_have_url(re.compile(r"indicator=42"))
    expect(page.locator("#facet-indicator").get_by_label(re.compile(r"^42\. "))).to_be_checked()
    cards = page.locator(".results > li")
    expect(cards).not_to_have_count(0)  # the loop below checks every card: there must be some
    for i in range(cards.count()):
        expect(cards.nth(i)).to_contain_text("42")
    screenshot(page, "search-facet")

    title = page.locator(".results .card-title a").first
    heading = title.inner_text()
    title.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_reader_reports_and_moderator_hides(demo_server, page, browser):
    page.goto(demo_server + "/cari/?q=bursa+kerja")
    page.locator(".results .card-title a").first.click()
    url = page.url
    title = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Laporkan masalah pada praktik baik ini").click()
    page.get_by_label("Memuat data pribadi").check()
    page.get_by_label("Keterangan (opsional)").fill("Nomor telepon pribadi tercantum di bagian hasil.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.locator(".messages")).to_contain_text("Terima kasih")
    screenshot(page, "report-sent")

    moderator = browser.new_page()
    moderator.goto(demo_server + "/admin/login/")
    moderator.fill("#id_username", "moderator")
    moderator.fill("#id_password", "browser-test")
    moderator.get_by_role("button", name=re.compile("Masuk|Sign in", re.I)).click()
    moderator.goto(demo_server + "/admin/content-reports/")
    row = moderator.locator("#open-reports tr", has_text=title)
    expect(row).to_contain_text("Memuat data pribadi")
    screenshot(moderator, "report-queue")
    row.get_by_role("button", name="Sembunyikan").click()
    expect(moderator.locator("#handled-reports")).to_contain_text(title)
    moderator.close()

    assert page.goto(url).status == 404
    page.goto(demo_server + "/cari/?q=bursa+kerja")
    expect(page.locator(".results")).not_to_contain_text(title)


MAIN_PAGES = ["/", "/indikator/", "/indikator/42/", "/daerah/", "/daerah/3211-kabupaten-sumedang/",
              "/cari/?q=pengaduan&for_region=32.12", "/daerah/skor/32-12/"]  # fmt: skip


@pytest.mark.parametrize("language", ["", "/en"])
def test_main_pages_have_no_serious_accessibility_issues(demo_server, page, axe_source, language):
    """axe-core (WCAG 2.1 A and AA rules): no serious or critical violation on the main pages, in both languages."""
    page.goto(demo_server + language + "/daerah/3211-kabupaten-sumedang/")
    case_study = page.locator(".card-title a").first.get_attribute("href")
    problems = {}
    for path in [*MAIN_PAGES, case_study.removeprefix("/en")]:
        page.goto(demo_server + language + path)
        found = axe_violations(page, axe_source)
        if found:
            problems[language + path] = found
    assert problems == {}
