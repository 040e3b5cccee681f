"""Hostile HTML never reaches a reader: sanitized when stored (import, programmatic save) and when rendered
(even if the database itself holds hostile HTML)."""

import json
import re

from django.test import SimpleTestCase

from bs4 import BeautifulSoup

from casestudies.models import CaseStudyPage
from cms.sanitize import plain_text, render_richtext, sanitize_rendered_html, sanitize_richtext_source
from tests.utils import SiteTestCase, make_case_study

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    "<svg onload=alert(1)><circle r=10 /></svg>",
    '<p style="background:url(javascript:alert(1))">gaya</p>',
    "<style>body{display:none}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div onmouseover="alert(1)">arahkan</div>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '"><script>alert(1)</script>',
    "<form action=javascript:alert(1)><button>x</button></form>",
]
HOSTILE = "".join(VECTORS)

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "form", "math", "base", "meta", "link"}


def dangers(html: str) -> list[str]:
    """What a browser would execute or let restyle the page: parsed as a browser would, not pattern-matched."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in FORBIDDEN_TAGS and not (tag.name == "link" and tag.get("rel") == ["stylesheet"]):
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag.name}[{name}]")
            if name.lower() in {"href", "src", "action", "data"} and re.match(
                r"\s*(javascript|data|vbscript):", value, re.I
            ):
                found.append(f"{tag.name}[{name}={value[:20]}]")
    return found


class SanitizerFunctionTests(SimpleTestCase):
    def test_each_vector_is_neutralised_for_storage_and_rendering(self):
        for vector in VECTORS:
            with self.subTest(vector=vector):
                self.assertEqual(dangers(sanitize_richtext_source(vector)), [])
                self.assertEqual(dangers(sanitize_rendered_html(vector)), [])

    def test_wagtail_internal_format_survives_storage_cleaning(self):
        html = '<p data-block-key="a1">Lihat <a linktype="page" id="3">halaman</a></p><embed embedtype="image" id="5" format="left" alt="foto"/>'
        cleaned = sanitize_richtext_source(html)
        self.assertIn('linktype="page"', cleaned)
        self.assertIn('embedtype="image"', cleaned)
        self.assertIn('data-block-key="a1"', cleaned)

    def test_allowed_formatting_is_kept(self):
        html = '<h3>Hasil</h3><ol><li><strong>Satu</strong> <em>dua</em></li></ol><a href="https://jdih.go.id">JDIH</a>'
        cleaned = sanitize_rendered_html(html)
        self.assertIn("<h3>Hasil</h3>", cleaned)
        self.assertIn("<strong>Satu</strong>", cleaned)
        self.assertIn('href="https://jdih.go.id"', cleaned)

    def test_a_link_keeps_only_web_mail_and_phone_addresses_and_no_event_handler(self):
        """The link rule: an <a> keeps its text, an http(s)/mailto/tel href and a title; any other scheme (a data:
        URL is a whole page of script) and any event handler are dropped, when stored and when rendered (the text stays)."""
        hostile = {
            '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">peta</a>': None,
            '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">peta</a>': None,
            '<a href="vbscript:msgbox(1)">peta</a>': None,
            '<a href="https://jdih.go.id" onclick="alert(1)">peta</a>': "https://jdih.go.id",
            '<a href="mailto:humas@example.id" onmouseover="alert(1)">peta</a>': "mailto:humas@example.id",
        }
        for html, kept_href in hostile.items():
            for clean in (sanitize_richtext_source, sanitize_rendered_html):
                with self.subTest(html=html, clean=clean.__name__):
                    soup = BeautifulSoup(clean(html), "html.parser")
                    self.assertEqual(soup.get_text(), "peta")
                    link = soup.find("a")
                    self.assertEqual(link and link.get("href"), kept_href)  # no link at all, or one without href
                    self.assertEqual(dangers(str(soup)), [])
        for href in ("http://jdih.go.id", "https://jdih.go.id", "mailto:humas@example.id", "tel:+62221234"):
            with self.subTest(href=href):
                self.assertIn(f'href="{href}"', sanitize_rendered_html(f'<a href="{href}">peta</a>'))

    def test_only_the_allow_list_survives_and_links_open_without_the_opener(self):
        """The allow-list rule: tags and attributes outside the lists go (their text stays), comments go, a
        rendered link gets rel="noopener noreferrer" and a stored one no rel (the editor's format has none)."""
        html = '<div class="x"><span>Satu</span></div><!-- catatan --><p class="y">Dua</p><a href="https://jdih.go.id">JDIH</a>'
        self.assertEqual(
            sanitize_rendered_html(html),
            'Satu<p>Dua</p><a href="https://jdih.go.id" rel="noopener noreferrer">JDIH</a>',
        )
        self.assertEqual(sanitize_richtext_source(html), 'Satu<p>Dua</p><a href="https://jdih.go.id">JDIH</a>')
        self.assertEqual((sanitize_rendered_html(""), sanitize_richtext_source(None), plain_text("")), ("", "", ""))

    def test_no_link_to_other_address_schemes(self):
        """Only http(s), mailto and tel stay links: the other schemes browsers or nh3 know (ftp, sms, ssh, xmpp,
        geo…) leave the text without a link, stored and rendered."""
        for href in ("ftp://jdih.go.id/perda.pdf", "sms:+628123", "ssh://server", "xmpp:humas@example.id", "geo:1,2"):
            for clean in (sanitize_richtext_source, sanitize_rendered_html):
                with self.subTest(href=href, clean=clean.__name__):
                    self.assertEqual(clean(f'<a href="{href}">peta</a>'), "peta")

    def test_attributes_are_exactly_the_allow_list(self):
        """No attribute outside the lists, not even the `lang`, `title` or `align` nh3 allows by default; the
        ones Wagtail renders for images and tables stay."""
        html = (
            '<p lang="en" title="t" dir="rtl">x</p><img class="richtext-image left" src="/m/a.png" alt="a" '
            'width="10" lang="en"><table><tr><th scope="col" abbr="x">a</th><td colspan="2" align="left">b</td></tr></table>'
        )
        self.assertEqual(
            sanitize_rendered_html(html),
            '<p>x</p><img class="richtext-image left" src="/m/a.png" alt="a" width="10">'
            '<table><tbody><tr><th scope="col">a</th><td colspan="2">b</td></tr></tbody></table>',
        )
        self.assertEqual(
            sanitize_richtext_source('<p lang="en" title="t" data-block-key="k">x</p>'), '<p data-block-key="k">x</p>'
        )

    def test_comments_go_even_where_nothing_else_is_rewritten(self):
        self.assertEqual(sanitize_richtext_source("<p>Satu<!-- catatan --></p>"), "<p>Satu</p>")
        self.assertEqual(sanitize_rendered_html("<p>Satu<!-- catatan --></p>"), "<p>Satu</p>")

    def test_empty_rich_text_renders_as_nothing(self):
        for source in ("", None, "<script>alert(1)</script>"):
            with self.subTest(source=source):
                self.assertEqual(render_richtext(source), "")

    def test_plain_text_strips_tags_and_keeps_text(self):
        self.assertEqual(plain_text("Layanan <b>MPP</b> & <script>alert(1)</script> 24 jam"), "Layanan MPP & 24 jam")
        self.assertEqual(plain_text("Gaya <style>body{display:none}</style>tetap"), "Gaya tetap")
        self.assertEqual(plain_text('<a href="x" title="t">Tautan</a> &amp;lt;b&amp;gt;'), "Tautan")

    def test_plain_text_collapses_whitespace_and_unescapes_until_stable(self):
        self.assertEqual(plain_text(" Satu \n\t dua  "), "Satu dua")
        self.assertEqual(plain_text(None), "")
        # Escaped three times over: still no tag, and cleaning the result again changes nothing.
        nested = "&amp;amp;amp;lt;b&amp;amp;amp;gt;tebal&amp;amp;amp;lt;/b&amp;amp;amp;gt; &amp;amp; teks"
        self.assertEqual(plain_text(nested), "tebal & teks")
        self.assertEqual(plain_text(plain_text(nested)), "tebal & teks")


class SanitizedPageTests(SiteTestCase):
    def test_programmatic_save_stores_clean_html(self):
        page = make_case_study(self.page_a, solution=HOSTILE, summary="Ringkas <script>alert(1)</script>")
        page = CaseStudyPage.objects.get(pk=page.pk)
        self.assertEqual(dangers(page.solution), [])
        self.assertNotIn("<", page.summary)

    def test_hostile_html_already_in_the_database_is_rendered_safely(self):
        page = make_case_study(self.page_a, title="Halaman uji XSS")
        # Bypass every save-time safeguard, as a compromised import or a bad migration could.
        sections = dict.fromkeys(CaseStudyPage.RICH_TEXT_FIELDS, HOSTILE)
        CaseStudyPage.objects.filter(pk=page.pk).update(
            summary='"><script>alert(1)</script>',
            body=json.dumps(
                [
                    {"type": "paragraph", "value": HOSTILE, "id": "p1"},
                    {"type": "quote", "value": {"text": HOSTILE, "attribution": "<img src=x onerror=1>"}, "id": "q1"},
                    {"type": "heading", "value": "<script>alert(1)</script>", "id": "h1"},
                ]
            ),
            **sections,
        )
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Halaman uji XSS", html)
        main = str(BeautifulSoup(html, "html.parser").find("main"))
        self.assertEqual(dangers(main), [])
        self.assertIn("klik", main, "harmless text inside hostile markup is kept")
