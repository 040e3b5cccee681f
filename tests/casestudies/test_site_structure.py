"""A site that starts empty: `load_reference_data` alone gives it its structure (no demo code involved)."""

from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase, override_settings

from wagtail.models import Page, Site, Workflow

from casestudies.models import IndicatorExplorerPage, Region, RegionPage, RegionsIndexPage
from casestudies.services import MODERATORS_GROUP, WORKFLOW_NAME, region_page_create
from cms.models import HomePage


class SiteStructureTests(TestCase):
    """The test database was made by `migrate` and `load_reference_data` only (tests/conftest.py)."""

    def test_reference_data_makes_home_regions_explorer_moderators_and_workflow(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists(), "no welcome page")
        self.assertEqual(RegionsIndexPage.objects.child_of(site.root_page).count(), 1)
        self.assertEqual(IndicatorExplorerPage.objects.child_of(site.root_page).count(), 1)
        self.assertTrue(Group.objects.get(name=MODERATORS_GROUP).permissions.filter(codename="access_admin"))
        workflow = Workflow.objects.get(name=WORKFLOW_NAME)
        self.assertEqual(RegionsIndexPage.objects.get().get_workflow(), workflow)

    def test_running_it_again_adds_nothing(self):
        pages, groups = Page.objects.count(), Group.objects.count()
        call_command("load_reference_data", stdout=StringIO())
        self.assertEqual((Page.objects.count(), Group.objects.count()), (pages, groups))

    @override_settings(WAGTAILADMIN_BASE_URL="https://livinglab.example.go.id")
    def test_the_site_answers_at_the_configured_public_address(self):
        call_command("load_reference_data", stdout=StringIO())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(site.root_url, "https://livinglab.example.go.id")
        self.assertEqual(site.root_page.full_url, "https://livinglab.example.go.id/")

    def test_home_page_answers(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Living Lab")

    def test_a_region_page_can_be_made_on_such_a_site(self):
        page = region_page_create(region=Region.objects.get(code="32.11"))
        self.assertEqual(page.get_parent().specific_class, RegionsIndexPage)
        self.assertEqual(RegionPage.objects.get(region__code="32.11").officers_group.name, page.officers_group.name)
