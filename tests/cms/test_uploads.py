"""Document and image uploads through the admin: allowed types only, checked by content and size, each refusal
with its own message."""

import functools
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from wagtail.documents.models import Document
from wagtail.images.models import Image as Image_

from PIL import Image

from cms.forms import document_upload_problem
from cms.zip_documents import declared_entry_count, zip_container_problem
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


def zip_bytes(entries: dict[str, bytes | str], *, stored: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED if name in stored else None)
    return buffer.getvalue()


def ooxml_bytes(folder: str) -> bytes:
    return zip_bytes({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", f"{folder}x.xml": "<x/>"})


def odf_bytes(mimetype: str) -> bytes:
    return zip_bytes({"mimetype": mimetype, "content.xml": "<office:document-content/>"}, stored=("mimetype",))


@functools.cache
def xlsx_bomb() -> bytes:
    """A 4.5 MB .xlsx whose one sheet unpacks to 1 GiB of zeros (a zip bomb), written in streamed chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(64):
                sheet.write(chunk)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with one tiny row of data (enough for its header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


class ZipContainerUploadTests(SiteTestCase):
    """Office and ODF documents are ZIP containers: checked to be what they claim and within the unpacked limits."""

    def upload(self, name, content):
        self.client.login(username="officer_a", password=PASSWORD)
        collection = self.page_a.officers_group.collection_permissions.first().collection
        return self.client.post(
            "/admin/documents/add/",
            {"title": name, "file": SimpleUploadedFile(name, content), "collection": collection.pk, "tags": ""},
        )

    def assert_refused(self, name, content, message):
        response = self.upload(name, content)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertNotContains(response, "“”")  # never the empty-extension message of Wagtail's model check
        self.assertFalse(Document.objects.filter(title=name).exists())
        return response

    def test_genuine_office_and_odf_documents_are_accepted(self):
        for name, content in (
            ("data.xlsx", ooxml_bytes("xl/")),
            ("paparan.pptx", ooxml_bytes("ppt/")),
            ("sop.odt", odf_bytes("application/vnd.oasis.opendocument.text")),
            ("tabel.ods", odf_bytes("application/vnd.oasis.opendocument.spreadsheet")),
            ("slide.odp", odf_bytes("application/vnd.oasis.opendocument.presentation")),
        ):
            with self.subTest(name=name):
                response = self.upload(name, content)
                self.assertEqual(response.status_code, 302, response.content[:300])
                self.assertTrue(Document.objects.filter(title=name).exists())

    def test_a_zip_renamed_as_a_document_is_refused(self):
        plain_zip = zip_bytes({"foto.jpg": b"\xff\xd8\xff", "catatan.txt": "isi"})
        for name, content, kind in (
            ("arsip.docx", plain_zip, "Microsoft Office (.docx)"),
            ("arsip.xlsx", plain_zip, "Microsoft Office (.xlsx)"),
            ("arsip.pptx", plain_zip, "Microsoft Office (.pptx)"),
            ("arsip.odt", plain_zip, "OpenDocument (.odt)"),
            ("tanpa-isi.xlsx", zip_bytes({"[Content_Types].xml": "<Types/>"}), "Microsoft Office (.xlsx)"),
            ("tanpa-mimetype.ods", zip_bytes({"content.xml": "<x/>"}), "OpenDocument (.ods)"),
        ):
            with self.subTest(name=name):
                self.assert_refused(name, content, f"{name} bukan dokumen {kind}")

    def test_a_document_of_another_office_kind_is_refused(self):
        for name, content in (
            ("word.xlsx", docx_bytes()),  # a Word package named as a workbook
            ("teks.ods", odf_bytes("application/vnd.oasis.opendocument.text")),
        ):
            with self.subTest(name=name):
                self.assert_refused(name, content, f"Isi berkas tidak sesuai dengan jenisnya ({name})")

    def test_a_zip_bomb_named_xlsx_is_refused_without_being_unpacked(self):
        self.assert_refused(
            "bom.xlsx", xlsx_bomb(), "bom.xlsx terlalu besar setelah dibuka: 1,0\xa0GB, batasnya 256,0\xa0MB"
        )

    @override_settings(LIVINGLAB_DOCUMENT_ZIP_MAX_ENTRIES=10)
    def test_too_many_entries_are_refused(self):
        entries = {"[Content_Types].xml": "<Types/>", **{f"word/part{i}.xml": "<p/>" for i in range(11)}}
        self.assert_refused(
            "banyak.docx", zip_bytes(entries), "banyak.docx berisi terlalu banyak bagian: 12, batasnya 10"
        )

    @override_settings(LIVINGLAB_DOCUMENT_ZIP_MAX_UNCOMPRESSED=1000)
    def test_the_unpacked_size_limit_is_a_setting(self):
        entries = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:t>" + "a" * 2000 + "</w:t>"}
        self.assert_refused("besar.docx", zip_bytes(entries), "besar.docx terlalu besar setelah dibuka")

    def test_a_broken_archive_is_refused(self):
        self.assert_refused("rusak.docx", b"PK\x03\x04" + b"\x00" * 200, "rusak.docx rusak")

    def test_the_entry_count_is_read_from_the_end_record_also_for_zip64(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for i in range(65_535):  # 0xFFFF: more than a classic end record can count, so written as ZIP64
                archive.writestr(f"{i}", b"")
        buffer.seek(0)
        self.assertEqual(declared_entry_count(buffer), 65_535)
        self.assertEqual(zip_container_problem(buffer, "docx").code, "too_many_entries")
        self.assertIsNone(declared_entry_count(io.BytesIO(b"PK\x03\x04 no end record")))


class RefusalMessageTests(SiteTestCase):
    """Each refused upload says why, once, in Indonesian."""

    def upload(self, url, name, content):
        self.client.login(username="officer_a", password=PASSWORD)
        collection = self.page_a.officers_group.collection_permissions.first().collection
        return self.client.post(
            url, {"title": name, "file": SimpleUploadedFile(name, content), "collection": collection.pk, "tags": ""}
        )

    def test_document_refusals_never_name_an_empty_extension(self):
        for name, content, message in (
            ("virus.exe", b"MZ\x90\x00", "Berkas .exe tidak diizinkan. Jenis berkas yang diizinkan: pdf, docx"),
            ("laporan", b"%PDF-1.7\n", "laporan tidak berekstensi. Jenis berkas yang diizinkan: pdf, docx"),
            ("palsu.docx", b"<html></html>", "Isi berkas tidak sesuai dengan jenisnya (palsu.docx)"),
        ):
            with self.subTest(name=name):
                response = self.upload("/admin/documents/add/", name, content)
                self.assertContains(response, message)
                self.assertNotContains(response, "“”")
                self.assertNotContains(response, "Ekstensi berkas")
                self.assertFalse(Document.objects.filter(title=name).exists())

    def test_a_pixel_bomb_is_refused_with_its_real_pixel_count_and_the_limit(self):
        response = self.upload("/admin/images/add/", "bom.png", png_header(20_000, 20_000))
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Gambar ini terlalu besar: 400.000.000 piksel (20.000 × 20.000). Batasnya 128.000.000 piksel."
        )
        self.assertNotContains(response, "unknown number")
        self.assertFalse(Image_.objects.filter(title="bom.png").exists())

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100)
    def test_an_image_over_the_configured_limit_says_its_size(self):
        response = self.upload("/admin/images/add/", "foto.png", png_bytes(20, 20))
        self.assertContains(response, "Gambar ini terlalu besar: 400 piksel (20 × 20). Batasnya 100 piksel.")
        self.assertFalse(Image_.objects.filter(title="foto.png").exists())

    def test_an_image_within_the_limit_is_accepted(self):
        response = self.upload("/admin/images/add/", "foto.png", png_bytes(20, 20))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Image_.objects.filter(title="foto.png").exists())


class MessageLanguageTests(SimpleTestCase):
    def test_refusals_are_translated(self):
        with translation.override("en"):
            message = document_upload_problem(SimpleUploadedFile("virus.exe", b"MZ"))
        self.assertTrue(message.startswith(".exe files are not allowed. Allowed file types: pdf, docx"), message)
