"""The API docs page, /api/v1/docs/: Swagger UI from this site's static files (no CDN), nothing inline that the
Content-Security-Policy would block, and no data: image left for it to refuse (tests/browser runs it in
Chromium; tests/deploy/test_static_files.py serves its files as production does)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import TestCase

import ninja

from tests.deploy.test_csp import directives, inline_content

DOCS = "/api/v1/docs/"
NINJA_CSS = Path(ninja.__file__).parent / "static" / "ninja" / "swagger-ui.css"
OUR_CSS = Path(settings.BASE_DIR) / "static" / "css" / "api-docs.css"


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.settings, self._in_settings = [], "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        self._in_settings = attrs.get("id") == "swagger-settings"

    def handle_data(self, data):
        if self._in_settings:
            self.settings += data

    def handle_endtag(self, tag):
        self._in_settings = False


def assets(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


class DocsPageTests(TestCase):
    def test_swagger_ui_comes_from_our_static_files(self):
        response = self.client.get(DOCS)
        self.assertEqual(response.status_code, 200)
        page = assets(response.content.decode())
        self.assertEqual(
            {Path(url).name for url in page.urls},
            {"swagger-ui.css", "api-docs.css", "favicon.svg", "favicon.png", "swagger-ui-bundle.js",
             "swagger-ui-init.js"},
        )  # fmt: skip
        for url in page.urls:
            with self.subTest(url):
                self.assertTrue(url.startswith(settings.STATIC_URL), url)
                self.assertIsNotNone(finders.find(url.removeprefix(settings.STATIC_URL)), url)
        swagger = json.loads(page.settings)
        self.assertEqual(swagger["url"], "/api/v1/openapi.json")
        self.assertIsNone(swagger["validatorUrl"])  # no badge from validator.swagger.io

    def test_nothing_inline_for_the_policy_to_block(self):
        response = self.client.get(DOCS)
        policy = directives(response["Content-Security-Policy"])
        self.assertEqual(policy["script-src"], ["'self'"])
        self.assertEqual(policy["img-src"], ["'self'"])
        found = inline_content(response.content.decode())
        self.assertEqual((found.inline_scripts, found.style_attributes, found.handlers), ([], [], []))
        self.assertEqual(found.style_nonces, [])

    def test_every_data_image_of_swagger_ui_that_it_uses_is_a_file_of_ours(self):
        """Swagger UI's stylesheet draws icons from data: URLs (img-src 'self' refuses them): api-docs.css gives
        each rule a file. The .debug-grid* rules (tachyons' grid overlays) are never used by Swagger UI."""
        ninja_rules = re.findall(r"([^{}]+)\{[^{}]*url\(\"?data:image[^{}]*\}", NINJA_CSS.read_text())
        our_css = re.sub(r"/\*.*?\*/", "", OUR_CSS.read_text(), flags=re.DOTALL)
        ours = dict(re.findall(r"([^{}]+?)\s*\{\s*background-image: url\(\"([^\"]+)\"\);\s*\}", our_css))
        ours = {re.sub(r",\s+", ",", selector.strip()): url for selector, url in ours.items()}
        used = [s.strip() for s in ninja_rules if ".debug-grid" not in s]
        self.assertEqual(len(used), 8)
        for selector in used:
            with self.subTest(selector):
                self.assertIn(selector, ours)
                self.assertTrue((OUR_CSS.parent / ours[selector]).resolve().is_file(), ours[selector])
