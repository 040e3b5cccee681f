"""Rich text that cannot break a page. Wagtail's references in rich text (`<a linktype="page|document" id>`,
`<embed embedtype="image" …/>`) are checked by the sanitizer; stored rich text that points at nothing, or that was
written around the sanitizer, renders as plain text on the site and still opens in the editor. Through the
sanitizer itself, an import, the editor's POST (Draftail's contentstate) and HTML written into the database."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import TaskState
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from bs4 import BeautifulSoup

from casestudies.models import CaseStudyPage
from cms.rich_text_entities import EMBED_TYPES, LINK_TYPES
from cms.sanitize import render_richtext, sanitize_rendered_html, sanitize_richtext_source
from tests.utils import PASSWORD, SiteTestCase, edit_url, make_case_study

# (stored HTML, the text a reader still sees). Each made the public page, the preview or the editor answer 500.
BROKEN = [
    ('<p>Lihat <a linktype="page" id="abc">halaman abc</a>.</p>', "halaman abc"),
    ('<p><a linktype="page" id="-3">halaman negatif</a></p>', "halaman negatif"),
    ('<p><a linktype="page" id="²">halaman superskrip</a></p>', "halaman superskrip"),
    ('<p><a linktype="page" id="99999999999999999999">halaman raksasa</a></p>', "halaman raksasa"),
    ('<p><a linktype="page">halaman tanpa id</a></p>', "halaman tanpa id"),
    ('<p><a linktype="document" id="abc">dokumen abc</a></p>', "dokumen abc"),
    ('<p><a linktype="bogus" id="1">tautan asing</a></p>', "tautan asing"),
    ('<embed embedtype="image" id="abc" format="left" alt="foto abc"><p>sesudah gambar abc</p>', "sesudah gambar abc"),
    ('<embed embedtype="image" id="1" alt="foto"/><p>gambar tanpa format</p>', "gambar tanpa format"),
    ('<embed embedtype="image" id="1" format="junk" alt="foto"/><p>format asing</p>', "format asing"),
    ('<embed embedtype="media"/><p>media tanpa alamat</p>', "media tanpa alamat"),
    ('<embed embedtype="bogus" id="1"/><p>sematan asing</p>', "sematan asing"),
    ('<p>awal <embed embedtype="image" id="7" format="left" alt="foto"> akhir tanpa garis miring</p>', "akhir tanpa"),
]
# Well formed, pointing at nothing (the page, document and image were deleted, or never existed here).
MISSING = [
    ('<p>Lihat <a linktype="page" id="999999">halaman yang dihapus</a>.</p>', "halaman yang dihapus"),
    ('<p><a linktype="document" id="999999">dokumen yang dihapus</a></p>', "dokumen yang dihapus"),
    ('<embed embedtype="image" id="999999" format="left" alt="foto hilang"/><p>gambar hilang</p>', "gambar hilang"),
]
# nh3 writes a line break as `<br>`; the editor's parser then expects a `</br>` ("Unmatched tags: expected br").
LINE_BREAK = ("<p>baris satu<br/>baris dua</p><hr/>", "baris dua")
DEAD_LINK_TEXTS = [text for _html, text in BROKEN[:7] + MISSING[:2]]


def main_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser").find("main")


def entity_contentstate(*entities) -> str:
    """Draftail's contentstate JSON, one paragraph per (entity type, data, text), each text all entity."""
    blocks, entity_map = [], {}
    for key, (entity_type, data, text) in enumerate(entities):
        blocks.append(
            {
                "key": f"b{key}",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": len(text), "key": key}],
                "data": {},
            }
        )
        entity_map[str(key)] = {"type": entity_type, "mutability": "MUTABLE", "data": data}
    return json.dumps({"blocks": blocks, "entityMap": entity_map})


class ReferenceCheckTests(TestCase):
    def test_a_broken_reference_becomes_its_text(self):
        for html, text in BROKEN[:7]:
            with self.subTest(html=html):
                cleaned = sanitize_richtext_source(html)
                self.assertNotIn("linktype", cleaned)
                self.assertNotIn("<a", cleaned)
                self.assertIn(text, cleaned)

    def test_a_broken_embed_is_dropped_and_the_text_around_it_kept(self):
        for html, text in BROKEN[7:12]:
            with self.subTest(html=html):
                cleaned = sanitize_richtext_source(html)
                self.assertNotIn("<embed", cleaned)
                self.assertIn(text, cleaned)

    def test_valid_references_are_kept_as_wagtail_writes_them(self):
        html = (
            '<p data-block-key="k1">Lihat <a linktype="page" id="3" href="/x/">halaman</a>, '
            '<a linktype="document" id="007">dokumen</a> dan <a href="https://jdih.go.id" title="JDIH">JDIH</a></p>'
            '<embed alt="foto" embedtype="image" format="right" id="5">'
        )
        self.assertEqual(
            sanitize_richtext_source(html),
            '<p data-block-key="k1">Lihat <a linktype="page" id="3">halaman</a>, '
            '<a linktype="document" id="7">dokumen</a> dan <a href="https://jdih.go.id" title="JDIH">JDIH</a></p>'
            '<embed embedtype="image" id="5" format="right" alt="foto"/>',
        )

    def test_an_embed_is_written_so_that_wagtail_and_its_editor_read_it_back(self):
        cleaned = sanitize_richtext_source(BROKEN[-1][0])
        self.assertIn('<embed embedtype="image" id="7" format="left" alt="foto"/>', cleaned)
        self.assertEqual(len(FIND_EMBED_TAG.findall(cleaned)), 1, "Wagtail's pattern for embeds finds it")
        # The editor's HTML parser (with images enabled) keeps its balance: this raised "Unmatched tags".
        contentstate = json.loads(ContentstateConverter(["image", "link"]).from_database_format(cleaned))
        self.assertIn("IMAGE", [entity["type"] for entity in contentstate["entityMap"].values()])

    def test_line_breaks_are_closed_as_the_editor_expects(self):
        cleaned = sanitize_richtext_source(LINE_BREAK[0])
        self.assertEqual(cleaned, LINE_BREAK[0])
        contentstate = json.loads(ContentstateConverter(["bold"]).from_database_format(cleaned))
        self.assertEqual(contentstate["blocks"][0]["text"], "baris satu\nbaris dua")

    def test_attribute_values_reach_wagtail_unchanged(self):
        alt = 'Kepala "dinas" <kiri> & staf > 3'
        cleaned = sanitize_richtext_source(
            f'<embed embedtype="image" id="5" format="left" alt="{alt.replace(chr(34), "&quot;")}"/>'
        )
        self.assertEqual(extract_attrs(FIND_EMBED_TAG.search(cleaned).group(1))["alt"], alt)

    def test_cleaning_twice_changes_nothing(self):
        for html, _text in [*BROKEN, *MISSING, ("<p>a&nbsp;b<br>c &amp; d &lt;e&gt;</p><hr><ul><li>x</li></ul>", "")]:
            with self.subTest(html=html):
                once = sanitize_richtext_source(html)
                self.assertEqual(sanitize_richtext_source(once), once)

    def test_an_id_is_kept_only_as_a_positive_32_bit_decimal_number(self):
        """Wagtail's ids are AutoFields: 1 … 2**31-1, written in ASCII digits (leading zeros and spaces dropped)."""
        kept = {"1": "1", "2147483647": "2147483647", "0000000042": "42", " 42 ": "42"}
        for given, stored in kept.items():
            with self.subTest(id=given):
                html = sanitize_richtext_source(f'<a linktype="page" id="{given}">halaman</a>')
                self.assertEqual(html, f'<a linktype="page" id="{stored}">halaman</a>')
        for given in ("0", "2147483648", "00000000042", "\u0664\u0662", "4 2"):  # 11 characters; Arabic-Indic 42
            with self.subTest(id=given):
                self.assertEqual(sanitize_richtext_source(f'<a linktype="page" id="{given}">halaman</a>'), "halaman")

    def test_text_and_attribute_values_keep_their_quotes_and_entities(self):
        """Rewriting a paragraph with a reference changes nothing else: quotes stay quotes in text, `&` and `<` stay
        escaped, and in an attribute only the double quote becomes `&quot;` (Wagtail un-escapes that one)."""
        html = (
            "<p>Kata \"ya\" &amp; 'tidak' &lt;b&gt;<br>baris "
            '<a href="https://jdih.go.id" title="Dinas \'Kominfo\' &quot;Q&quot;">JDIH</a></p>'
        )
        expected = (
            "<p>Kata \"ya\" &amp; 'tidak' &lt;b&gt;<br/>baris "
            '<a href="https://jdih.go.id" title="Dinas \'Kominfo\' &quot;Q&quot;">JDIH</a></p>'
        )
        self.assertEqual(sanitize_richtext_source(html), expected)

    def test_an_embed_without_alt_text_is_kept_with_an_empty_one(self):
        once = sanitize_richtext_source('<embed embedtype="image" id="5" format="left">')
        self.assertEqual(once, '<embed embedtype="image" id="5" format="left" alt=""/>')
        self.assertEqual(sanitize_richtext_source(once), once, "an empty attribute stays empty")

    def test_rendering_a_dead_link_leaves_the_rest_as_it_was(self):
        """A link without a target becomes its text; the HTML around it is written as browsers get it elsewhere
        (void elements without a slash, quotes and entities unchanged)."""
        self.assertEqual(
            sanitize_rendered_html('<p><a>mati</a> "teks" &amp; \'x\'<br>lagi</p><hr><img src="/a.png" alt="a">'),
            '<p>mati "teks" &amp; \'x\'<br>lagi</p><hr><img src="/a.png" alt="a">',
        )

    def test_the_types_kept_are_wagtails_own(self):
        self.assertLessEqual(LINK_TYPES, set(features.get_link_types()))
        self.assertLessEqual(EMBED_TYPES, set(features.get_embed_types()))


class FixturesMixin:
    @classmethod
    def make_targets(cls):
        cls.document = get_document_model().objects.create(
            title="Perbup SPBE", file=ContentFile(b"%PDF-1.4 uji", name="perbup.pdf")
        )
        cls.image = get_image_model().objects.create(title="Foto", file=get_test_image_file())

    def valid_html(self) -> str:
        return (
            f'<p><a linktype="page" id="{self.page_b.pk}">tautan daerah</a> '
            f'<a linktype="document" id="{self.document.pk}">tautan dokumen</a></p>'
            f'<embed embedtype="image" id="{self.image.pk}" format="left" alt="foto kantor"/>'
        )

    def assert_reads_as_text(self, main, texts):
        for text in texts:
            node = main.find(string=lambda s, text=text: s and text in s)
            self.assertIsNotNone(node, text)
            self.assertIsNone(node.find_parent("a"), f"{text!r} is shown without a link")

    def assert_valid_references_render(self, main):
        self.assertIsNotNone(main.find("a", href=self.page_b.url, string="tautan daerah"))
        self.assertIsNotNone(main.find("a", href=self.document.url, string="tautan dokumen"))
        self.assertIsNotNone(main.find("img", alt="foto kantor"))
        for img in main.find_all("img"):
            self.assertTrue(img.get("src"), "no image without a source")


class StoredHtmlTests(FixturesMixin, SiteTestCase):
    """HTML written into the database around the sanitizer (a bad migration, an old import, a shell)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_targets()

    def write_around_the_sanitizer(self, page, html: str) -> None:
        body = json.dumps([{"type": "paragraph", "value": html, "id": "p1"}])
        CaseStudyPage.objects.filter(pk=page.pk).update(solution=html, body=body)
        revision = page.latest_revision
        revision.content = {**revision.content, "solution": html, "body": body}
        revision.save(update_fields=["content"])

    def test_public_page_preview_and_editor_show_the_text(self):
        vectors = BROKEN + MISSING
        html = self.valid_html() + "".join(h for h, _text in vectors)
        page = make_case_study(self.page_a, title="Rujukan rusak")
        self.client.force_login(self.officer_a)
        page.get_workflow().start(page, self.officer_a)  # awaiting the moderator
        page = CaseStudyPage.objects.get(pk=page.pk)
        self.write_around_the_sanitizer(page, html)

        self.client.logout()
        public = self.client.get(page.url)
        self.assertEqual(public.status_code, 200)
        main = main_of(public)
        self.assert_reads_as_text(main, DEAD_LINK_TEXTS)
        for _html, text in vectors:
            self.assertIn(text, main.get_text())
        self.assert_valid_references_render(main)
        self.assertNotIn("foto hilang", str(main), "a missing image is left out")

        self.client.login(username=self.moderator.username, password=PASSWORD)
        task_state = TaskState.objects.get(revision__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
        for url in (
            reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id]),
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id]),
        ):
            with self.subTest(url=url):
                preview = self.client.get(url)
                self.assertEqual(preview.status_code, 200)
                self.assert_reads_as_text(main_of(preview), DEAD_LINK_TEXTS)

        for user in (self.moderator, self.officer_a):
            with self.subTest(editor=user.username):
                self.client.force_login(user)
                editor = self.client.get(edit_url(page))
                self.assertEqual(editor.status_code, 200)
                self.assertContains(editor, "halaman abc")  # in the editor's contentstate
                self.assertContains(editor, "halaman yang dihapus")

    def test_the_editor_saves_what_it_opened_cleanly(self):
        page = make_case_study(self.page_a, title="Rujukan rusak")
        self.write_around_the_sanitizer(page, "".join(h for h, _text in BROKEN))
        self.client.force_login(self.officer_a)
        response = self.client.post(edit_url(page), self.admin_form_data(edit_url(page)))
        self.assertEqual(response.status_code, 302)
        stored = self.reload(page).get_latest_revision_as_object().solution
        self.assertNotIn("linktype", stored)
        self.assertIn("halaman abc", stored)

    def test_a_missing_image_and_links_render_as_text(self):
        html = "".join(h for h, _text in MISSING)
        rendered = render_richtext(html)
        self.assertNotIn("<a", rendered)
        self.assertNotIn("<img", rendered)
        self.assertIn("halaman yang dihapus", rendered)
        self.assertIn("<a", expand_db_html(html), "Wagtail alone leaves an <a> that leads nowhere")


class EditorPostTests(FixturesMixin, SiteTestCase):
    """What the editor's browser posts is Draftail's contentstate; a hand-made one can carry any entity data."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_targets()

    def setUp(self):
        super().setUp()
        self.page = make_case_study(self.page_a, title="Diedit lewat Draftail")
        self.client.force_login(self.officer_a)

    def post(self, **fields):
        data = self.admin_form_data(edit_url(self.page), **fields)
        data["action-submit"] = "1"
        return self.client.post(edit_url(self.page), data)

    def test_hostile_entities_are_cleaned_and_every_view_opens(self):
        contentstate = entity_contentstate(
            ("LINK", {"id": "abc", "url": "/x/", "parentId": 1}, "halaman abc"),
            ("LINK", {"id": "1 OR 1=1"}, "halaman suntik"),
            ("DOCUMENT", {"id": "abc"}, "dokumen abc"),
            ("LINK", {"id": 999999, "url": None}, "halaman yang dihapus"),
            ("LINK", {"id": self.page_b.pk, "url": self.page_b.url}, "tautan daerah"),
        )
        body = {
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": entity_contentstate(("DOCUMENT", {"id": "xyz"}, "dokumen di isi")),
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
        }
        response = self.post(solution=contentstate, **body)
        self.assertEqual(response.status_code, 302)
        stored = self.reload(self.page).get_latest_revision_as_object()
        self.assertNotIn('id="abc"', stored.solution)
        self.assertNotIn("OR", stored.solution)
        self.assertIn('<a linktype="page" id="999999">halaman yang dihapus</a>', stored.solution)
        self.assertIn(f'<a linktype="page" id="{self.page_b.pk}">tautan daerah</a>', stored.solution)
        self.assertEqual(stored.body[0].value.source, '<p data-block-key="b0">dokumen di isi</p>')

        self.assertEqual(self.client.get(edit_url(self.page)).status_code, 200)
        self.client.force_login(self.moderator)
        task_state = TaskState.objects.get(revision__object_id=str(self.page.pk), status=TaskState.STATUS_IN_PROGRESS)
        preview = self.client.get(
            reverse("wagtailadmin_pages:workflow_preview", args=[self.page.pk, task_state.task_id])
        )
        self.assertEqual(preview.status_code, 200)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[self.page.pk, "approve", task_state.pk]),
            {"comment": ""},
        )
        self.client.logout()
        public = self.client.get(self.reload(self.page).url)
        self.assertEqual(public.status_code, 200)
        main = main_of(public)
        self.assert_reads_as_text(main, ["halaman abc", "halaman suntik", "dokumen abc", "halaman yang dihapus"])
        self.assertIn("dokumen di isi", main.get_text())
        self.assertIsNotNone(main.find("a", href=self.page_b.url, string="tautan daerah"))

    def test_a_contentstate_that_is_not_json_is_not_an_error_page(self):
        for value in ("{", "[]", '{"blocks": 3}', '{"blocks": [{"text": "x"}], "entityMap": []}'):
            with self.subTest(value=value):
                response = self.post(solution=value)
                self.assertLess(response.status_code, 500)
                self.assertEqual(self.client.get(edit_url(self.page)).status_code, 200)


class ImportedHtmlTests(FixturesMixin, SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_targets()

    def test_an_import_with_broken_references_publishes_a_page_that_opens_everywhere(self):
        html = self.valid_html() + "".join(h for h, _text in [*BROKEN, *MISSING, LINE_BREAK])
        line = {
            "external_id": "rujukan-rusak",
            "title": "Impor dengan rujukan rusak",
            "region_code": self.region_a.code,
            "summary": "Rujukan yang rusak tidak merusak halaman.",
            "body_html": html,
            "indicators": [37],
            "tags": [],
            "year_start": 2022,
            "solution": html,
        }
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "impor.jsonl"
            path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
            call_command("import_casestudies", str(path), "--publish", stdout=StringIO(), stderr=StringIO())
        page = CaseStudyPage.objects.get(external_id="rujukan-rusak")
        self.assertNotIn('id="abc"', page.solution)

        public = self.client.get(page.url)
        self.assertEqual(public.status_code, 200)
        main = main_of(public)
        self.assert_reads_as_text(main, DEAD_LINK_TEXTS)
        self.assert_valid_references_render(main)
        self.assertIn("baris dua", main.get_text())
        self.client.force_login(self.officer_a)
        editor = self.client.get(edit_url(page))
        self.assertEqual(editor.status_code, 200)
        self.assertContains(editor, "baris dua")
        self.client.force_login(self.moderator)
        view = reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id])
        self.assertEqual(self.client.get(view).status_code, 200)
