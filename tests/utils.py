"""Shared test scaffolding: a site with two regions (A = Kab. Sumedang, B = Kab. Indramayu) and their people."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from casestudies.models import CaseStudyIndicator, CaseStudyPage, Indicator, Region
from casestudies.services import moderator_create, officer_create, region_page_create, site_structure_ensure

PASSWORD = "pw"


def make_case_study(parent, *, title="Tanda tangan elektronik", indicators=(37,), live=True, **fields):
    """A case study saved the way the editor saves it (a revision, published when live)."""
    defaults = {"summary": "Ringkasan praktik baik.", "year_start": 2021, "solution": "<p>Solusi.</p>"}
    page = CaseStudyPage(title=title, live=False, **{**defaults, **fields})
    page.indicator_claims = [
        CaseStudyIndicator(indicator=Indicator.objects.get(number=n, framework__is_current=True)) for n in indicators
    ]
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return CaseStudyPage.objects.get(pk=page.pk)


class SiteTestCase(WagtailTestUtils, TestCase):
    """Home → Regions index → Region A and B, with an officer for each, a moderator and an admin."""

    @classmethod
    def setUpTestData(cls):
        structure = site_structure_ensure()
        cls.home, cls.regions_index = structure["home"], structure["regions_index"]
        cls.region_a = Region.objects.get(code="32.11")
        cls.region_b = Region.objects.get(code="32.12")
        cls.officer_a = officer_create(
            region=cls.region_a, username="officer_a", email="a@example.id", password=PASSWORD
        )
        cls.officer_b = officer_create(
            region=cls.region_b, username="officer_b", email="b@example.id", password=PASSWORD
        )
        cls.page_a = region_page_create(region=cls.region_a)
        cls.page_b = region_page_create(region=cls.region_b)
        cls.moderator = moderator_create(username="moderator", email="mod@example.id", password=PASSWORD)
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.id", PASSWORD)

    def admin_form_data(self, url: str, **changes):
        """GET an admin form as a browser would, then overlay `changes` (rich text given as HTML)."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        for key in [k for k in data if "__prefix__" in k]:
            del data[key]
        data.setdefault("body-count", "0")  # StreamField blocks are drawn by JavaScript; an empty body
        for key, value in changes.items():
            data[key] = value
        return data

    def case_study_form(self, parent, **changes):
        """The admin 'add case study' form under `parent`, filled in as an officer would."""
        indicator = Indicator.objects.get(number=37, framework__is_current=True)
        fields = {
            "title": "E-office dan TTE di semua OPD",
            "slug": "e-office-dan-tte",
            "summary": "Semua naskah dinas ditandatangani secara elektronik.",
            "year_start": "2022",
            "status": "active",
            "tags": "tte, e-office",
            "indicator_claims-0-indicator": str(indicator.pk),
            "indicator_claims-0-level_before": "2",
            "indicator_claims-0-level_after": "4",
            "solution": rich_text("<p>Semua OPD memakai e-office.</p>"),
        }
        return self.admin_form_data(add_url(parent), **{**fields, **changes})

    @staticmethod
    def rich(html: str) -> str:
        return rich_text(html)

    @staticmethod
    def reload(page: Page) -> Page:
        return type(page.specific).objects.get(pk=page.pk)


def add_url(parent) -> str:
    return f"/admin/pages/add/casestudies/casestudypage/{parent.pk}/"


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"
