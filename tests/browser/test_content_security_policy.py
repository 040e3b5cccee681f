"""The Content-Security-Policy in a real browser: Chromium refuses nothing on the public pages (their scripts,
styles, charts and forms all come from the site), the dashboard's charts get their sizes from the nonce-carrying
<style>, and Wagtail's editor still shows the live preview in its frame."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_demo_site import MAIN_PAGES
from .test_publishing_flow import log_in

pytestmark = pytest.mark.browser

# Runs in every document and frame before the page's own scripts (through DevTools, so the policy allows it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watch(tab) -> list[str]:
    """Console messages about the policy (including refused frames, reported to the framing page)."""
    messages = []
    tab.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


@pytest.fixture
def csp_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_browser_refuses_nothing_on_the_main_pages(demo_server, csp_page, language):
    console = watch(csp_page)
    csp_page.goto(demo_server + language + "/daerah/3211-kabupaten-sumedang/")
    case_study = csp_page.locator(".card-title a").first.get_attribute("href")
    refused = {}
    for path in [*MAIN_PAGES, case_study.removeprefix("/en")]:
        response = csp_page.goto(demo_server + language + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        csp_page.wait_for_load_state("networkidle")
        found = csp_page.evaluate("window.__cspViolations")
        if found:
            refused[language + path] = found
    assert refused == {}
    assert console == []


def test_search_suggestions_work_under_the_policy(demo_server, csp_page):
    console = watch(csp_page)
    csp_page.goto(demo_server + "/cari/")
    csp_page.locator("#search-q").fill("penga")
    expect(csp_page.get_by_role("option").first).to_be_visible()
    assert csp_page.evaluate("window.__cspViolations") == []
    assert console == []


def test_dashboard_charts_are_sized_by_the_nonce_style(demo_server, csp_page):
    csp_page.goto(demo_server + "/daerah/skor/32-12/")
    sizes = csp_page.eval_on_selector_all(
        "figure.chart",
        "els => els.map(e => getComputedStyle(e).getPropertyValue('--chart-max-width').trim())",
    )
    assert len(sizes) == 3 and all(re.fullmatch(r"\d+px", s) for s in sizes), sizes
    widths = csp_page.eval_on_selector_all("figure.chart", "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(w < 1000 for w in widths), f"the charts are not stretched to the page: {widths}"
    assert csp_page.evaluate("window.__cspViolations") == []


def test_an_editor_sees_the_userbar_and_the_live_preview(demo_server, csp_page):
    console = watch(csp_page)
    log_in(csp_page, demo_server, "moderator")
    page_id = csp_page.request.get(demo_server + "/api/v2/pages/?type=casestudies.CaseStudyPage&limit=1").json()[
        "items"
    ][0]["id"]
    public = csp_page.request.get(f"{demo_server}/api/v2/pages/{page_id}/").json()
    csp_page.goto(demo_server + urlsplit(public["meta"]["html_url"]).path)
    expect(csp_page.locator("wagtail-userbar")).to_be_attached()
    expect(csp_page.locator("wagtail-userbar .w-userbar-trigger")).to_be_visible()
    assert csp_page.evaluate("window.__cspViolations") == []

    csp_page.goto(f"{demo_server}/admin/pages/{page_id}/edit/")
    csp_page.locator('button[data-side-panel-toggle="preview"]').click()
    preview = csp_page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(public["title"])
    assert console == [], "a refused frame or resource"


def test_the_api_docs_page_works_under_the_policy(demo_server, csp_page):
    """Swagger UI (django-ninja's copy, from our static files) lists API v1 and runs a request; nothing refused."""
    console = watch(csp_page)
    response = csp_page.goto(demo_server + "/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = csp_page.locator(".opblock")
    expect(operations).to_have_count(5)
    search = csp_page.locator(".opblock", has_text="/api/v1/search/").first
    search.locator(".opblock-summary").click()
    search.get_by_role("button", name="Try it out").click()
    search.get_by_placeholder("q").fill("pengaduan")
    search.get_by_role("button", name="Execute").click()
    expect(search.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
    expect(search.locator(".live-responses-table tbody")).to_contain_text('"count"')
    csp_page.wait_for_load_state("networkidle")
    screenshot(csp_page, "api-docs")
    assert csp_page.evaluate("window.__cspViolations") == []
    assert console == []
