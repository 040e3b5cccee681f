"""Uploads are checked by content, not only by name, and every refusal says why in one message.

Documents: the extension must be in `WAGTAILDOCS_EXTENSIONS` (Wagtail enforces the size limit), the bytes must be
what the extension claims (a renamed executable or HTML page is refused; detection uses `filetype`, already
installed with Wagtail's image library: magic numbers, no libmagic), and an Office/ODF file, a ZIP container, must
be a package of its kind within the unpacked-size and entry limits (cms/zip_documents.py).

Images: Wagtail's checks, with the pixel limit's message naming the image's real size, also for an image so large
that Pillow refuses to open it (cms/image_pixels.py).
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

import filetype

from .image_pixels import PixelLimitedImageField
from .zip_documents import OOXML_FOLDER, ZIP_CONTAINERS, zip_container_problem

# What `filetype` must recognise for each allowed extension; None = plain text (UTF-8, no NUL bytes).
EXPECTED_KIND = {
    "pdf": {"pdf"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"},
    "ods": {"ods", "zip"},
    "odp": {"odp", "zip"},
    "csv": None,
    "txt": None,
    "jsonl": None,  # not a document type (WAGTAILDOCS_EXTENSIONS); the admin's case-study upload
}
SNIFF_BYTES = 8192


def content_matches_extension(name: str, head: bytes) -> bool:
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in EXPECTED_KIND:
        return False
    expected = EXPECTED_KIND[extension]
    if expected is None:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character may be cut at the sniff boundary; anything else is not UTF-8 text.
            return exc.start >= len(head) - 3
        return True
    kind = filetype.guess(head)
    return kind is not None and kind.extension in expected


def _kind_label(extension: str) -> str:
    if extension in OOXML_FOLDER:
        return _("Microsoft Office (.%(extension)s)") % {"extension": extension}
    return _("OpenDocument (.%(extension)s)") % {"extension": extension}


def zip_problem_message(problem, name: str, extension: str) -> str:
    if problem.code == "too_many_entries":
        return _("%(name)s berisi terlalu banyak bagian: %(count)s, batasnya %(limit)s.") % {
            "name": name,
            "count": number_format(problem.count, force_grouping=True),
            "limit": number_format(problem.limit, force_grouping=True),
        }
    if problem.code == "too_large":
        return _("%(name)s terlalu besar setelah dibuka: %(size)s, batasnya %(limit)s.") % {
            "name": name,
            "size": filesizeformat(problem.count),
            "limit": filesizeformat(problem.limit),
        }
    if problem.code == "not_claimed_type":
        return _("%(name)s bukan dokumen %(kind)s: isinya arsip ZIP lain yang diberi nama dokumen.") % {
            "name": name,
            "kind": _kind_label(extension),
        }
    return _("%(name)s rusak: arsipnya tidak dapat dibaca sebagai dokumen %(kind)s.") % {
        "name": name,
        "kind": _kind_label(extension),
    }


def document_upload_problem(upload) -> str | None:
    """The one message that says why an uploaded document is refused, or None when it is accepted."""
    allowed = [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if not extension:
        return _("%(name)s tidak berekstensi. Jenis berkas yang diizinkan: %(allowed)s.") % {
            "name": upload.name,
            "allowed": ", ".join(allowed),
        }
    if extension not in allowed or extension not in EXPECTED_KIND:
        return _("Berkas .%(extension)s tidak diizinkan. Jenis berkas yang diizinkan: %(allowed)s.") % {
            "extension": extension,
            "allowed": ", ".join(allowed),
        }
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not content_matches_extension(upload.name, head):
        return _(
            "Isi berkas tidak sesuai dengan jenisnya (%(name)s). Unggah PDF, dokumen Office/ODF, CSV atau TXT asli."
        ) % {"name": upload.name}
    if extension in ZIP_CONTAINERS:
        problem = zip_container_problem(upload, extension)
        if problem is not None:
            return zip_problem_message(problem, upload.name, extension)
    return None


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            problem = document_upload_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload

    def _post_clean(self):
        refused = self._errors["file"].as_data() if self._errors and "file" in self._errors else []
        super()._post_clean()
        if refused:
            # Wagtail's Document.clean() checks the extension of the instance's file, which a refused upload left
            # empty: its "extension “” is not allowed" would only add confusion to the reason already given.
            self._errors["file"] = self.error_class(refused)


class SafeImageForm(BaseImageForm):
    """Wagtail's image form whose file field states the real pixel count when an image is too large."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, PixelLimitedImageField):
            self.fields["file"] = PixelLimitedImageField(
                label=field.label, required=field.required, widget=field.widget, help_text=field.help_text
            )
