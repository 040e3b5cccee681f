"""The header links and the "Data contoh" banner every page shows: read once per data version, never stale."""

from wagtail.models import Site

from cms.models import SiteSettings
from tests.utils import SiteTestCase


class SiteChromeTests(SiteTestCase):
    def nav_links(self, path="/cari/"):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return response.context["regions_url"], response.context["explorer_url"], response.content.decode()

    def test_links_follow_the_language(self):
        regions, explorer, html = self.nav_links()
        self.assertEqual((regions, explorer), ("/daerah/", "/indikator/"))
        self.assertIn('<a href="/daerah/">', html)
        regions, explorer, html = self.nav_links("/en/cari/")
        self.assertEqual((regions, explorer), ("/en/daerah/", "/en/indikator/"))

    def test_a_renamed_page_is_linked_at_once(self):
        self.nav_links()  # cached
        self.regions_index.slug = "wilayah"
        self.regions_index.save_revision().publish()
        regions, _explorer, html = self.nav_links()
        self.assertEqual(regions, "/wilayah/")
        self.assertIn('<a href="/wilayah/">', html)

    def test_an_unpublished_page_is_no_longer_linked(self):
        self.nav_links()
        self.regions_index.unpublish()
        regions, explorer, _html = self.nav_links()
        self.assertIsNone(regions)
        self.assertEqual(explorer, "/indikator/")

    def test_the_demo_banner_follows_the_site_settings(self):
        self.assertNotIn('class="demo-banner"', self.nav_links()[2])
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.demo_banner = True
        settings.save()
        self.assertIn('class="demo-banner"', self.nav_links()[2])
        settings.demo_banner = False
        settings.save()
        self.assertNotIn('class="demo-banner"', self.nav_links()[2])

    def test_reading_the_settings_once_does_not_renew_the_data_version(self):
        from cms.data_version import data_version

        SiteSettings.objects.all().delete()
        self.nav_links()  # creates the settings row with its defaults
        version = data_version()
        self.nav_links()
        self.assertEqual(data_version(), version)
