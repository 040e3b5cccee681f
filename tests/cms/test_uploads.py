"""Document uploads through the admin: allowed types only, checked by content and size."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wagtail.documents.models import Document

from tests.utils import PASSWORD, SiteTestCase


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class DocumentUploadTests(SiteTestCase):
    def upload(self, name, content):
        self.client.login(username="officer_a", password=PASSWORD)
        collection = self.page_a.officers_group.collection_permissions.first().collection
        return self.client.post(
            "/admin/documents/add/",
            {"title": name, "file": SimpleUploadedFile(name, content), "collection": collection.pk, "tags": ""},
        )

    def test_real_pdf_docx_and_csv_are_accepted(self):
        for name, content in (
            ("laporan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            ("sop.docx", docx_bytes()),
            ("data.csv", b"kode,nama\n32.11,Kabupaten Sumedang\n"),
        ):
            with self.subTest(name=name):
                response = self.upload(name, content)
                self.assertEqual(response.status_code, 302, response.content[:300])
                self.assertTrue(Document.objects.filter(title=name).exists())

    def test_disallowed_extensions_are_refused(self):
        for name in ("virus.exe", "page.html", "script.js", "image.svg"):
            with self.subTest(name=name):
                response = self.upload(name, b"MZ\x90\x00")
                self.assertEqual(response.status_code, 200)
                self.assertFalse(Document.objects.filter(title=name).exists())

    def test_content_must_match_the_extension(self):
        for name, content in (
            ("palsu.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
            ("palsu.docx", b"<html><script>alert(1)</script></html>"),
            ("biner.csv", b"\x00\x01\x02binary"),
        ):
            with self.subTest(name=name):
                response = self.upload(name, content)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Isi berkas tidak sesuai dengan jenisnya")
                self.assertFalse(Document.objects.filter(title=name).exists())

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
    def test_size_limit(self):
        response = self.upload("besar.pdf", b"%PDF-1.7\n" + b"0" * 2048)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Document.objects.filter(title="besar.pdf").exists())

    def test_officer_of_b_cannot_upload_into_region_a_collection(self):
        collection = self.page_a.officers_group.collection_permissions.first().collection
        self.client.login(username="officer_b", password=PASSWORD)
        self.client.post(
            "/admin/documents/add/",
            {"title": "x.pdf", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.7\n"), "collection": collection.pk},
        )
        self.assertFalse(Document.objects.filter(title="x.pdf", collection=collection).exists())
