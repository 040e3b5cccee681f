"""Static files with DEBUG off, as production serves them: `collectstatic` into a temporary STATIC_ROOT with the
production storage (hashed names, .gz copies), then WhiteNoise (scanning STATIC_ROOT once, not per request)."""

import gzip
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from livinglab.settings import base
from tests.utils import SiteTestCase

ONE_YEAR_OR_MORE = re.compile(r"max-age=(\d+)")


class CollectedStaticFilesTests(SiteTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.static_root = Path(tempfile.mkdtemp(prefix="livinglab-static-"))
        cls.addClassCleanup(shutil.rmtree, cls.static_root, ignore_errors=True)
        production_like = override_settings(
            DEBUG=False,
            STATIC_ROOT=cls.static_root,
            STORAGES=base.STORAGES,  # production.py keeps base's storages
            MIDDLEWARE=base.MIDDLEWARE,
            WHITENOISE_AUTOREFRESH=False,
        )
        production_like.enable()
        cls.addClassCleanup(production_like.disable)
        call_command("collectstatic", interactive=False, verbosity=0)

    def test_the_production_storage_and_middleware_are_in_use(self):
        self.assertEqual(
            settings.STORAGES["staticfiles"]["BACKEND"], "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        self.assertEqual(
            settings.MIDDLEWARE[:2],
            ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"],
        )
        self.assertTrue((self.static_root / "staticfiles.json").exists())

    def test_a_hashed_stylesheet_is_served_and_cached_for_a_year(self):
        url = static("css/site.css")
        self.assertRegex(url, r"^/static/css/site\.[0-9a-f]{12}\.css$")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], 'text/css; charset="utf-8"')
        self.assertIn("immutable", response["Cache-Control"])
        self.assertGreaterEqual(int(ONE_YEAR_OR_MORE.search(response["Cache-Control"]).group(1)), 365 * 24 * 3600)
        source = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_bytes()
        self.assertEqual(b"".join(response.streaming_content), source)

    def test_a_compressed_copy_goes_to_clients_that_accept_it(self):
        response = self.client.get(static("js/search.js"), headers={"accept-encoding": "gzip"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", response["Vary"])
        source = (Path(settings.BASE_DIR) / "static" / "js" / "search.js").read_bytes()
        self.assertEqual(gzip.decompress(b"".join(response.streaming_content)), source)

    def test_pages_link_the_hashed_files_and_the_admin_has_its_own(self):
        home = self.client.get("/")
        self.assertEqual(home.status_code, 200)
        self.assertContains(home, f'href="{static("css/site.css")}"')
        admin_css = static("wagtailadmin/css/core.css")
        self.assertRegex(admin_css, r"core\.[0-9a-f]{12}\.css$")
        self.assertEqual(self.client.get(admin_css).status_code, 200)

    def test_the_api_docs_page_is_served_from_the_collected_files(self):
        """Swagger UI's scripts, styles and icons (/api/v1/docs/): hashed, from STATIC_ROOT, never a CDN."""
        page = self.client.get("/api/v1/docs/").content.decode()
        urls = re.findall(r'(?:src|href)="([^"]+)"', page)
        self.assertEqual(len(urls), 6)
        for url in urls:
            with self.subTest(url):
                self.assertRegex(url, r"^/static/(ninja|css)/[\w-]+\.[0-9a-f]{12}\.(js|css|svg|png)$")
                self.assertEqual(self.client.get(url).status_code, 200)
        stylesheet = b"".join(self.client.get(static("css/api-docs.css")).streaming_content).decode()
        icons = re.findall(r'url\("([^"]+)"\)', stylesheet)
        self.assertEqual(len(icons), 8)
        for icon in icons:
            self.assertRegex(icon, r"\.[0-9a-f]{12}\.svg$")
            self.assertEqual(self.client.get(f"/static/img/api-docs/{icon.rsplit('/', 1)[1]}").status_code, 200)

    def test_files_that_were_not_collected_are_not_found(self):
        self.assertEqual(self.client.get("/static/css/nothing-here.css").status_code, 404)
