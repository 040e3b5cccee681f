"""The admin as an officer's browser draws it (issue 13, part 5): the sidebar, the Reports and Help menus and the
editor are rendered by Wagtail's JavaScript, from the sidebar's JSON and the /admin/jsi18n/ catalog, and read
Indonesian even in a browser set to English."""

import re

import pytest
from playwright.sync_api import expect

from tests.cms.admin_text import english_leftovers

from .conftest import screenshot
from .test_publishing_flow import log_in

pytestmark = pytest.mark.browser

# Everything a person reads or hears: rendered text, and the labels of the elements (screen readers, tooltips).
SHOWN = """() => [document.body.innerText, ...Array.from(document.querySelectorAll(
    '[aria-label], [title], [placeholder], [data-w-tooltip-content-value]'), el => [el.getAttribute('aria-label'),
    el.getAttribute('title'), el.getAttribute('placeholder'), el.getAttribute('data-w-tooltip-content-value')]
).flat().filter(Boolean)].join('\\n')"""


def leftovers(tab) -> dict:
    lines = [line.strip() for line in tab.evaluate(SHOWN).splitlines() if line.strip()]
    return english_leftovers(lines)


@pytest.fixture
def english_browser(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    tab = context.new_page()
    yield tab
    context.close()


def test_an_officers_sidebar_menus_and_editor_are_in_indonesian(demo_server, english_browser):
    tab = english_browser
    log_in(tab, demo_server, "petugas-sumedang")
    sidebar = tab.locator("[data-wagtail-sidebar]").first
    expect(sidebar).to_contain_text("Laporan")
    tab.get_by_role("button", name="Laporan").click()
    expect(sidebar).to_contain_text("Riwayat situs")
    assert leftovers(tab) == {}, leftovers(tab)
    screenshot(tab, "admin-officer-home-indonesian-reports-menu")
    tab.get_by_role("button", name="Bantuan").click()
    expect(sidebar).to_contain_text("Panduan penyunting")
    assert leftovers(tab) == {}, leftovers(tab)

    tab.goto(demo_server + "/admin/pages/search/?q=Kabupaten+Sumedang")
    tab.get_by_role("link", name="Kabupaten Sumedang", exact=True).first.click()
    region_page_id = re.search(r"/admin/pages/(\d+)/", tab.url).group(1)
    assert leftovers(tab) == {}, leftovers(tab)
    tab.goto(f"{demo_server}/admin/pages/add/casestudies/casestudypage/{region_page_id}/")
    expect(tab.locator("[data-draftail-input], .Draftail-Editor").first).to_be_attached()
    tab.locator(".Draftail-Editor [contenteditable=true]").first.click()  # the toolbar shows on focus
    assert leftovers(tab) == {}, leftovers(tab)
    screenshot(tab, "admin-officer-editor-indonesian")
