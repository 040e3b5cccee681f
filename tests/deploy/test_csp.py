"""Content-Security-Policy of the public site (django-csp, livinglab/settings/base.py): sent on public pages,
strict (this site only, nothing inline but the nonce-carrying chart sizes), and not on Wagtail's admin.

The rendered pages are also read for what the policy would block (inline scripts, style attributes, event
handler attributes, a <style> without the nonce); tests/browser checks in Chromium that nothing is refused."""

import re
from html.parser import HTMLParser

from casestudies.models import Indicator, Region
from casestudies.scores.services import scores_recalculate
from tests.casestudies.test_dashboard import demo_levels
from tests.utils import PASSWORD, SiteTestCase, make_case_study

HEADER = "Content-Security-Policy"


def directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {name: values for name, *values in parts}


class InlineContent(HTMLParser):
    """What a strict policy blocks in a page: <script> without src, style="…", on…= attributes; and the nonces."""

    def __init__(self):
        super().__init__()
        self.inline_scripts, self.style_attributes, self.handlers, self.style_nonces = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "script"
            and "src" not in attrs
            and attrs.get("type", "text/javascript") in ("text/javascript", "module")
        ):
            self.inline_scripts.append(self.getpos())
        if tag == "style":
            self.style_nonces.append(attrs.get("nonce"))
        if "style" in attrs:
            self.style_attributes.append((tag, attrs["style"]))
        self.handlers += [(tag, name) for name in attrs if name.startswith("on")]


def inline_content(html: str) -> InlineContent:
    parser = InlineContent()
    parser.feed(html)
    return parser


class ContentSecurityPolicyTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Sistem Pengaduan Warga", indicators=(42,))
        banyuwangi = Region.objects.get(code="35.10")
        demo_levels(banyuwangi, 2023, 4)
        demo_levels(banyuwangi, 2024, 5)
        scores_recalculate(framework=Indicator.objects.first().framework, region_ids=[banyuwangi.pk])

    def public_pages(self):
        return [
            "/",
            "/cari/?q=pengaduan",
            self.case_study.url,
            "/daerah/",
            self.page_a.url,
            "/indikator/",
            "/indikator/42/",
            "/daerah/skor/35-10/",
            "/en/",
            "/en/cari/?q=pengaduan",
        ]

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_public_pages_send_a_strict_policy(self):
        for url in self.public_pages():
            with self.subTest(url):
                policy = directives(self.get(url)[HEADER])
                self.assertEqual(policy["default-src"], ["'self'"])
                self.assertEqual(policy["script-src"], ["'self'"])
                self.assertEqual(policy["style-src"][0], "'self'")
                self.assertTrue(all(v.startswith("'nonce-") for v in policy["style-src"][1:]), policy["style-src"])
                self.assertEqual(policy["img-src"], ["'self'"])
                self.assertEqual(policy["connect-src"], ["'self'"])
                self.assertEqual(policy["object-src"], ["'none'"])
                self.assertEqual(policy["frame-ancestors"], ["'none'"])
                self.assertEqual(policy["form-action"], ["'self'"])
                self.assertEqual(policy["base-uri"], ["'self'"])
                every_source = " ".join(v for values in policy.values() for v in values)
                self.assertNotIn("unsafe", every_source)
                self.assertNotIn("*", every_source)

    def test_public_pages_have_nothing_inline_the_policy_would_block(self):
        for url in self.public_pages():
            with self.subTest(url):
                response = self.get(url)
                found = inline_content(response.content.decode())
                self.assertEqual(found.inline_scripts, [])
                self.assertEqual(found.style_attributes, [])
                self.assertEqual(found.handlers, [])
                nonce = re.search(r"'nonce-([^']+)'", response[HEADER])
                for style_nonce in found.style_nonces:
                    self.assertIsNotNone(nonce, "a <style> on a page whose policy has no nonce")
                    self.assertEqual(style_nonce, nonce.group(1))

    def test_an_editor_on_a_public_page_gets_the_userbar_within_the_policy(self):
        self.client.login(username=self.moderator.username, password=PASSWORD)
        response = self.get(self.case_study.url)
        self.assertContains(response, "wagtail-userbar")
        self.assertIn(HEADER, response)
        found = inline_content(response.content.decode())
        self.assertEqual((found.inline_scripts, found.style_attributes, found.handlers), ([], [], []))

    def test_the_dashboard_sizes_its_charts_with_a_nonce_not_style_attributes(self):
        response = self.get("/daerah/skor/35-10/")
        nonce = re.search(r"'nonce-([^']+)'", response[HEADER]).group(1)
        html = response.content.decode()
        style = re.search(rf'<style nonce="{re.escape(nonce)}">(.*?)</style>', html).group(1)
        figures = re.findall(r'<figure class="chart chart-(?:line|bar|heatmap)" id="([^"]+)">', html)
        self.assertEqual(len(figures), 3, "index line, aspect bars, indicator heatmap")
        for figure_id in figures:
            self.assertRegex(style, rf"#{re.escape(figure_id)}\{{--chart-max-width:\d+px\}}")
        self.assertNotEqual(nonce, re.search(r"'nonce-([^']+)'", self.get("/daerah/skor/35-10/")[HEADER]).group(1))

    def test_pages_without_inline_styles_carry_no_nonce(self):
        self.assertNotIn("nonce-", self.get("/")[HEADER])

    def test_video_embeds_may_frame_their_players_only(self):
        policy = directives(self.get("/")[HEADER])
        self.assertEqual(
            sorted(policy["frame-src"]),
            ["https://player.vimeo.com", "https://www.youtube-nocookie.com", "https://www.youtube.com"],
        )

    def test_the_admin_is_left_out(self):
        self.assertNotIn(HEADER, self.client.get("/admin/login/"))
        self.client.login(username=self.moderator.username, password=PASSWORD)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(HEADER, response)
