"""A moderator merges two spellings of a tag from the free-tag screen; the public search then knows one tag."""

import pytest
from playwright.sync_api import expect

from .conftest import manage, screenshot
from .test_publishing_flow import log_in

pytestmark = pytest.mark.browser

# Two other spellings of the demo's "e-office", each on a published case study that does not have it yet.
SPELL = """
from casestudies.models import CaseStudyPage
pages = CaseStudyPage.objects.live().exclude(tags__name="e-office").order_by("pk")
for page, name in zip(pages, ["eoffice", "E Office"]):
    page.tags.add(name)
    page.save_revision().publish()
"""


def test_a_moderator_merges_near_duplicate_tags(demo_server, page):
    manage("shell", "-c", SPELL)
    log_in(page, demo_server, "moderator")
    page.get_by_role("link", name="Tag bebas").first.click()
    expect(page.get_by_role("heading", name="Tag bebas").first).to_be_visible()
    suggestion = page.locator("#tag-duplicates li").filter(has_text="eoffice")
    expect(suggestion).to_contain_text("“E Office” (1)")
    expect(page.locator("#tag-list")).to_contain_text("perbup")
    screenshot(page, "admin-tags")

    suggestion.get_by_role("button").click()
    expect(page.locator("#tag-confirm")).to_contain_text("ke tag yang sudah ada “e-office”")
    screenshot(page, "admin-tags-confirm")
    page.get_by_role("button", name="Ya, gabungkan").click()
    expect(page.locator(".messages")).to_contain_text("Tag “e-office” kini dipakai")
    expect(page.locator("#tag-duplicates")).to_have_count(0)

    page.goto(demo_server + "/cari/?tag=eoffice")
    expect(page.locator("main")).not_to_contain_text("E Office")
    page.goto(demo_server + "/cari/?tag=e-office")
    expect(page.locator("main")).to_contain_text("e-office")
