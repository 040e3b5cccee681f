"""Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods, odp) files are ZIP containers: whether one is
what its extension claims, and whether it stays within the limits once unpacked, is read from the archive's
directory alone. Nothing is ever extracted (the ODF `mimetype` entry, stored uncompressed by the standard, is
the one entry read, and only when it is stored and tiny).

Limits (settings): `LIVINGLAB_DOCUMENT_ZIP_MAX_UNCOMPRESSED` (bytes, the declared sizes of all entries added up)
and `LIVINGLAB_DOCUMENT_ZIP_MAX_ENTRIES`. The entry count is read from the end-of-central-directory record before
the directory itself is parsed, so a directory of a million entries is refused without building a million objects.
"""

import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings

# Office Open XML: the package's content-type list and the folder of the main part.
OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# OpenDocument: the package's `mimetype` entry (ODF 1.2 part 3, §3.3).
ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
ZIP_CONTAINERS = frozenset(OOXML_FOLDER) | frozenset(ODF_MIMETYPE)

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"
_MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class ZipProblem:
    """Why a ZIP container was refused: `code` names the case, the other fields fill its message."""

    code: str  # "corrupt", "too_many_entries", "too_large", "not_claimed_type"
    count: int = 0
    limit: int = 0


def declared_entry_count(file) -> int | None:
    """The number of entries the end-of-central-directory record declares (ZIP64 too), or None if there is none."""
    file.seek(0, 2)
    size = file.tell()
    tail_start = max(0, size - _EOCD_SIZE - _MAX_COMMENT - _ZIP64_LOCATOR_SIZE)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if entries != 0xFFFF:
        return entries
    locator = tail[at - _ZIP64_LOCATOR_SIZE : at] if at >= _ZIP64_LOCATOR_SIZE else b""
    if not locator.startswith(_ZIP64_LOCATOR):
        return entries
    (record_offset,) = struct.unpack("<Q", locator[8:16])
    file.seek(record_offset)
    record = file.read(56)
    if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
        return None
    (entries64,) = struct.unpack("<Q", record[32:40])
    return entries64


def _is_claimed_type(archive: zipfile.ZipFile, extension: str) -> bool:
    names = set(archive.namelist())
    if extension in OOXML_FOLDER:
        folder = OOXML_FOLDER[extension]
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
    expected = ODF_MIMETYPE[extension]
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return False
    if info.compress_type != zipfile.ZIP_STORED or info.file_size != len(expected):
        return False
    return archive.read(info) == expected


def zip_container_problem(file, extension: str) -> ZipProblem | None:
    """None when `file` (a seekable binary file) is a ZIP container of the `extension`'s kind within the limits."""
    max_entries = settings.LIVINGLAB_DOCUMENT_ZIP_MAX_ENTRIES
    max_size = settings.LIVINGLAB_DOCUMENT_ZIP_MAX_UNCOMPRESSED
    try:
        entries = declared_entry_count(file)
        if entries is None:
            return ZipProblem("corrupt")
        if entries > max_entries:
            return ZipProblem("too_many_entries", count=entries, limit=max_entries)
        file.seek(0)
        with zipfile.ZipFile(file) as archive:  # reads the central directory, nothing else
            infos = archive.infolist()
            if len(infos) > max_entries:
                return ZipProblem("too_many_entries", count=len(infos), limit=max_entries)
            total = sum(info.file_size for info in infos)
            if total > max_size:
                return ZipProblem("too_large", count=total, limit=max_size)
            if not _is_claimed_type(archive, extension):
                return ZipProblem("not_claimed_type")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error, NotImplementedError):
        return ZipProblem("corrupt")
    finally:
        file.seek(0)
    return None
