"""Uploads are checked by content, not only by name.

Wagtail already enforces `WAGTAILDOCS_EXTENSIONS` and `WAGTAILDOCS_MAX_UPLOAD_SIZE`; this form also
checks that the bytes are what the extension claims (a renamed executable or HTML page is refused).
Detection uses `filetype` (already installed with Wagtail's image library): magic numbers, no libmagic.
"""

from pathlib import Path

from django import forms
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm

import filetype

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


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            upload.seek(0)
            head = upload.read(SNIFF_BYTES)
            upload.seek(0)
            if not content_matches_extension(upload.name, head):
                raise forms.ValidationError(
                    _(
                        "Isi berkas tidak sesuai dengan jenisnya (%(name)s). Unggah PDF, dokumen Office/ODF, CSV atau TXT asli."
                    )
                    % {"name": upload.name}
                )
        return upload
