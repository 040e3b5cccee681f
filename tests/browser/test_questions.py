"""A reader walks a learning path step by step; an officer asks the region that did it; that region's officer
answers in the workspace; a moderator publishes the pair and readers see it on the case study (issue 14)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, screenshot, sent_mail
from .test_publishing_flow import log_in

pytestmark = pytest.mark.browser

QUESTION = "Berapa lama pelatihan operator OPD sebelum aplikasi dipakai semua dinas?"
ANSWER = "Dua minggu: satu minggu kelas, satu minggu pendampingan di tiap dinas."


def test_a_reader_walks_the_steps_of_an_indicator(demo_server, page, axe_source):
    page.goto(demo_server + "/indikator/42/")
    steps = page.locator("section:has(#langkah) h3 a")
    expect(steps).to_have_count(4)
    page.get_by_role("link", name="Dari tingkat 2 ke 3").click()
    expect(page).to_have_url(re.compile(r"/indikator/42/langkah/2-3/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("dari tingkat 2 ke 3")
    criteria = page.locator(".step-criteria .score-card")
    expect(criteria).to_have_count(2)
    expect(criteria.nth(0)).to_contain_text("Tingkat 2")
    expect(criteria.nth(1)).to_contain_text("Tingkat 3")
    expect(page.locator("#daerah")).to_contain_text("Daerah yang sudah menempuh langkah ini")
    screenshot(page, "step-page")
    assert axe_violations(page, axe_source) == []
    page.get_by_role("navigation", name="Langkah lain").get_by_role("link", name="3 → 4").click()
    expect(page).to_have_url(re.compile(r"/indikator/42/langkah/3-4/$"))
    expect(page.get_by_role("navigation", name="Langkah lain").locator("[aria-current=page]")).to_have_text("3 → 4")


def open_sumedang_case_study(tab, base) -> str:
    tab.goto(base + "/daerah/")
    tab.locator("main").get_by_role("link", name="Kabupaten Sumedang", exact=True).first.click()
    tab.locator("main .card-title a").first.click()
    expect(tab.locator("article.case-study h1")).to_be_visible()
    return tab.url


def test_an_officer_asks_the_region_answers_and_a_moderator_publishes(demo_server, page, browser, axe_source):
    case_study_url = open_sumedang_case_study(page, demo_server)
    expect(page.get_by_role("link", name="Masuk sebagai petugas daerah untuk bertanya")).to_be_visible()

    # Indramayu's officer asks Sumedang.
    log_in(page, demo_server, "petugas-indramayu")
    page.goto(case_study_url)
    page.get_by_role("link", name="Tanya daerah ini").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tanya Kabupaten Sumedang")
    page.get_by_label("Pertanyaan Anda").fill(QUESTION)
    page.get_by_label("daerah penanya boleh disebut").check()
    screenshot(page, "question-ask")
    page.get_by_role("button", name="Kirim pertanyaan").click()
    expect(page.locator(".messages")).to_contain_text("Pertanyaan terkirim ke Kabupaten Sumedang")
    expect(page.locator("#question-text")).to_contain_text(QUESTION)
    asked = [m for m in sent_mail() if "Pertanyaan dari Kabupaten Indramayu" in m]
    assert asked and QUESTION in asked[-1] and "petugas-sumedang@livinglab.example" in asked[-1]

    # Sumedang's officer finds it in the workspace and answers.
    officer = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    log_in(officer, demo_server, "petugas-sumedang")
    waiting = officer.locator("#workspace-questions")
    expect(waiting).to_contain_text(QUESTION[:40])
    screenshot(officer, "question-workspace")
    waiting.get_by_role("link", name=re.compile("Berapa lama pelatihan")).click()
    officer.get_by_label("Jawaban").fill(ANSWER)
    officer.get_by_role("button", name="Kirim jawaban").click()
    expect(officer.locator(".messages")).to_contain_text("Jawaban terkirim ke penanya")
    expect(officer.locator("#answer-text")).to_contain_text(ANSWER)
    screenshot(officer, "question-answered")
    answered = [m for m in sent_mail() if "Kabupaten Sumedang menjawab pertanyaan Anda" in m]
    assert answered and ANSWER in answered[-1] and "petugas-indramayu@livinglab.example" in answered[-1]
    officer.close()

    # A moderator publishes it on the case study page.
    moderator = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    log_in(moderator, demo_server, "moderator")
    moderator.goto(demo_server + "/admin/pertanyaan/")
    moderator.locator("#questions-publishable").get_by_role("link", name=re.compile("Berapa lama pelatihan")).click()
    moderator.get_by_role("button", name="Terbitkan di halaman praktik baik").click()
    expect(moderator.locator(".messages")).to_contain_text("Tanya jawab terbit")
    moderator.close()

    # Readers see the pair, the asking region named because it agreed; the asker's name never.
    reader = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    reader.goto(case_study_url)
    pair = reader.locator("#tanya-jawab article.question").filter(has_text=QUESTION)
    expect(pair).to_contain_text("Kabupaten Indramayu bertanya")
    expect(pair).to_contain_text("Jawaban Kabupaten Sumedang")
    expect(pair).to_contain_text(ANSWER)
    expect(pair).not_to_contain_text("petugas-indramayu")
    pair.scroll_into_view_if_needed()
    screenshot(reader, "question-published")
    assert axe_violations(reader, axe_source) == []
    pair.get_by_role("link", name="Laporkan tanya jawab ini").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Laporkan tanya jawab")
    reader.close()


def test_an_officer_asks_a_region_that_made_a_step(demo_server, page):
    log_in(page, demo_server, "petugas-indramayu")
    for start in (1, 2, 3, 4):
        page.goto(f"{demo_server}/indikator/42/langkah/{start}-{start + 1}/")
        links = page.locator("#daerah").locator("xpath=..").get_by_role("link", name=re.compile(r"^Tanya "))
        if links.count():
            break
    else:
        pytest.fail("no region made any step of indicator 42 in the demo data")
    name = links.first.inner_text().removeprefix("Tanya ")
    links.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Tanya {name}")
    expect(page.locator("#main, main").first).to_contain_text(f"dari tingkat {start} ke {start + 1}")
    page.get_by_label("Pertanyaan Anda").fill("Bagaimana Anda menyusun SOP tindak lanjut aduan?")
    screenshot(page, "question-ask-step")
    page.get_by_role("button", name="Kirim pertanyaan").click()
    expect(page.locator(".messages")).to_contain_text(f"Pertanyaan terkirim ke {name}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kabupaten Indramayu bertanya kepada {name}")
