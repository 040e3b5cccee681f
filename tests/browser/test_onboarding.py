"""A moderator's command onboards a region; its officer follows the e-mailed link, sets a password and signs in."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import manage, screenshot, sent_mail
from .test_publishing_flow import log_in

pytestmark = pytest.mark.browser

EMAIL = "dewi.lestari@garut.example.go.id"
PASSWORD = "Garut-Berbagi-2026"


def test_an_invited_officer_sets_a_password_signs_in_and_sees_their_region(demo_server, page):
    output = manage("onboard_region", "32.05", "--officer", EMAIL, "--name", "Dewi Lestari")
    assert "invitation" in output or "undangan" in output, output
    invitation = next(m for m in reversed(sent_mail()) if EMAIL in m)
    link = re.search(r"https?://\S+(/undangan/\S+/\S+/)", invitation).group(1)

    page.goto(demo_server + link)
    expect(page.get_by_role("heading", name="Undangan petugas daerah")).to_be_visible()
    expect(page.locator("main")).to_contain_text(EMAIL)
    screenshot(page, "invitation-set-password")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))

    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("Masuk|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    workspace = page.locator("#region-workspace-section")
    expect(workspace).to_contain_text("Ruang kerja daerah")
    expect(workspace).to_contain_text("Kabupaten Garut")
    expect(workspace).to_contain_text("Indeks SPBE 2024")  # the official result, loaded as reference data
    screenshot(page, "officer-workspace-new-region")
    page.goto(demo_server + "/admin/pages/search/?q=Garut")
    expect(page.get_by_role("link", name="Kabupaten Garut", exact=True).first).to_be_visible()

    page.goto(demo_server + link)
    expect(page.locator("main")).to_contain_text("sudah dipakai")
    screenshot(page, "invitation-used")


def test_a_moderator_sees_regions_and_officers(demo_server, page):
    log_in(page, demo_server, "moderator")
    page.goto(demo_server + "/admin/daerah-petugas/")
    expect(page.get_by_role("heading", name="Daerah & petugas").first).to_be_visible()
    expect(page.locator("#regions-officers")).to_contain_text("Kabupaten Sumedang")
    screenshot(page, "admin-regions-officers")


def test_a_demo_officers_workspace_shows_peers_and_next_steps(demo_server, page):
    log_in(page, demo_server, "petugas-sumedang")
    workspace = page.locator("#region-workspace-section")
    expect(workspace.locator("#workspace-weak-aspects li")).to_have_count(3)
    expect(workspace.locator("#workspace-next-steps li").first).to_contain_text("tingkat")
    screenshot(page, "officer-workspace-sumedang")
