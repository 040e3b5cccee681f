"""Reading a score file for the importer (scores.importer): every line of a .csv or row of an .xlsx, as cells.

Nothing is interpreted here beyond the text encoding and the CSV separator; scores.import_rows validates.
"""

import csv
import io
from pathlib import Path

import openpyxl

from ..exchange import MAX_ERRORS, ImportValidationError, LineError

SUFFIXES = (".csv", ".xlsx")
UTF8_BOM = b"\xef\xbb\xbf"


def read_rows(path: Path) -> list[tuple[int, list]]:
    """(line number, cells) for every line of a .csv or row of the first sheet of an .xlsx file, header included.

    CSV cells are strings; Excel cells are what openpyxl gives (str, int, float, datetime, None).
    Raises ImportValidationError when the file cannot be read at all.
    """
    return read_content(path.suffix, path.read_bytes())


def read_content(suffix: str, raw: bytes) -> list[tuple[int, list]]:
    """read_rows for a file's bytes (an upload in the admin): `suffix` (".csv" or ".xlsx") says how to read them."""
    if suffix.lower() == ".xlsx":
        return _read_xlsx(io.BytesIO(raw))
    return _read_csv(raw)


def _read_csv(raw: bytes) -> list[tuple[int, list]]:
    errors = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if number == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM) :]
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(
                LineError(number, "(line)", f"not valid UTF-8 (byte {exc.start + 1}); save the file as UTF-8")
            )
            if len(errors) >= MAX_ERRORS:
                break
    if errors:
        raise ImportValidationError(errors)
    text = raw.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian write ';'-separated CSV (the comma is their decimal separator).
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportValidationError([LineError(start, "(line)", f"cannot read as CSV: {exc}")]) from exc
    return rows


def _read_xlsx(file) -> list[tuple[int, list]]:
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # a stale stored size would silently cut rows off; read what is there
            return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()
    except Exception as exc:  # a damaged workbook fails in openpyxl, zipfile or the XML parser in many ways
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise ImportValidationError(
            [
                LineError(
                    1,
                    "(file)",
                    f"cannot read the file as an Excel workbook ({reason}); open it in a spreadsheet program and "
                    "save it again as .xlsx (Excel Workbook)",
                )
            ]
        ) from exc
