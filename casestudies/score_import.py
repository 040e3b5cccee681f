"""Import of SPBE scores (indicator levels, imported aspect/domain/index values) from .csv or .xlsx: the
contract documented in docs/scores-import.md.

Like the case-study import (exchange.py) it is all-or-nothing: every row is validated first, every error is
reported with its line (CSV line / Excel row, the header is line 1) and field, and nothing is written unless the
whole file is valid. It is idempotent: a row that already holds the same value is counted as unchanged and not
written. Imported aggregates are rows of their own origin (`Origin.IMPORTED`); official rows are never touched,
and the computed rows follow the imported indicator levels through `scores_recalculate`.
"""

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction

import openpyxl

from .exchange import MAX_ERRORS, ImportValidationError, LineError
from .models import AggregateScore, Framework, Indicator, IndicatorScore, Origin, Region, Scope
from .score_services import scores_changed, scores_recalculate
from .scoring import Weights

INDICATOR = "indicator"
SCOPES = (Scope.DOMAIN.value, Scope.ASPECT.value, Scope.INDEX.value)  # column names = Scope values
KINDS = (INDICATOR, *SCOPES)
NUMBERED = (INDICATOR, Scope.DOMAIN.value, Scope.ASPECT.value)  # the index row's cell is only a marker
ARTICLE = {"indicator": "an", "domain": "a", "aspect": "an", "index": "an"}
COLUMNS = ("region_code", "year", "indicator", "level", "domain", "aspect", "index", "value")
REQUIRED = ("region_code", "year")
SUFFIXES = (".csv", ".xlsx")
YEAR_MIN, YEAR_MAX = 1990, 2100
LEVEL_MIN, LEVEL_MAX = 1, 5
VALUE_MIN, VALUE_MAX = Decimal(1), Decimal(5)
VALUE_PLACES = Decimal("0.001")  # AggregateScore.value has three decimal places
SOURCE_MAX = AggregateScore._meta.get_field("source").max_length
KINDS_HINT = "indicator + level, domain + value, aspect + value or index + value"
# A number as people type it: "3", "3.12" or, with a decimal comma, "3,12". No thousands separators
# (no score needs them) and no exponents, so "1.234" can only mean one thing.
NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
UTF8_BOM = b"\xef\xbb\xbf"
UPDATE_CHUNK = 500  # primary keys per UPDATE … WHERE id IN (…)


def default_source(path: Path) -> str:
    return f"Impor {path.name}"[:SOURCE_MAX]


@dataclass(frozen=True)
class ScoreRow:
    """One valid data row: an indicator level (kind "indicator") or an aggregate value (kind = a Scope value)."""

    line: int
    region_id: int
    year: int
    kind: str
    number: int  # indicator, domain or aspect number; 0 for the index
    level: int | None = None
    value: Decimal | None = None

    @property
    def key(self) -> tuple:
        return (self.region_id, self.year, self.kind, self.number)

    @property
    def given(self):
        return self.level if self.kind == INDICATOR else self.value


@dataclass
class ScoreImportReport:
    rows: int = 0  # distinct valid rows (identical duplicates count once)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    recalculated: int = 0  # computed aggregate rows rewritten by scores_recalculate

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# ---------------------------------------------------------------- reading


def read_rows(path: Path) -> list[tuple[int, list]]:
    """(line number, cells) for every line of a .csv or row of the first sheet of an .xlsx file, header included.

    CSV cells are strings; Excel cells are what openpyxl gives (str, int, float, datetime, None).
    Raises ImportValidationError when the file cannot be read at all.
    """
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path.read_bytes())


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


def _read_xlsx(path: Path) -> list[tuple[int, list]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
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


# ---------------------------------------------------------------- cells


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _shown(cell) -> str:
    """A cell as an error message quotes it."""
    if isinstance(cell, str):
        return repr(cell.strip())
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return str(cell)
    return f"{type(cell).__name__} {cell}"


def _decimal(cell) -> Decimal | None:
    """A number from a text cell ("3,12" or "3.12") or a numeric Excel cell; None if the cell is not a number."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell)) if math.isfinite(cell) else None
    if isinstance(cell, Decimal):
        return cell if cell.is_finite() else None
    if isinstance(cell, str) and NUMBER.fullmatch(cell.strip()):
        return Decimal(cell.strip().replace(",", "."))
    return None


def _plain(number) -> str:
    """3.120 → '3.12', 4.000 → '4' (for messages)."""
    return f"{Decimal(number).normalize():f}"


def _integer(cell) -> int | None:
    number = _decimal(cell)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _region_code(cell) -> str:
    """The code as text. Excel turns a typed 32.10 into the number 32.1; codes have two-digit parts, so a
    numeric cell is read back as NN or NN.NN."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return str(int(cell)) if float(cell).is_integer() else f"{cell:.2f}"
    return str(cell).strip()


# ---------------------------------------------------------------- validating


def _header(cells: list) -> tuple[dict[str, int], list[LineError]]:
    """Column name → position, and the header's errors (line 1)."""
    errors = []

    def error(message):
        errors.append(LineError(1, "(header)", message))

    positions: dict[str, int] = {}
    unknown = []
    for position, cell in enumerate(cells):
        name = "" if cell is None else str(cell).strip()
        if not name:
            continue  # an unnamed column is fine while its cells are empty (checked per row)
        if name in positions:
            error(f"column {name!r} appears twice")
        elif name not in COLUMNS:
            unknown.append(name)
        else:
            positions[name] = position
    if unknown:
        error(f"unknown column(s): {', '.join(map(repr, unknown))}; the columns are {', '.join(COLUMNS)}")
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        error(f"missing column(s): {', '.join(missing)}")
    scopes = [name for name in SCOPES if name in positions]
    has_indicator, has_level, has_value = (name in positions for name in ("indicator", "level", "value"))
    if has_indicator and not has_level:
        error("missing column: level (an indicator row needs indicator and level)")
    if has_level and not has_indicator:
        error("missing column: indicator (a level belongs to an indicator)")
    if scopes and not has_value:
        error(f"missing column: value ({ARTICLE[scopes[0]]} {scopes[0]} row needs a value)")
    if has_value and not scopes:
        error("missing column: domain, aspect or index (a value belongs to one of them)")
    if not (has_indicator or has_level or has_value or scopes) and not unknown:
        error(f"no score columns: give indicator and level, and/or domain, aspect, index with value ({KINDS_HINT})")
    return positions, errors


@dataclass
class _Context:
    regions: dict[str, int]  # code → id
    weights: Weights

    def numbers(self, kind: str) -> dict[int, object]:
        return {
            INDICATOR: self.weights.indicator_weight,
            Scope.DOMAIN: self.weights.domain_weight,
            Scope.ASPECT: self.weights.aspect_weight,
        }[kind]


def validate(rows: list[tuple[int, list]], weights: Weights) -> list[ScoreRow]:
    """The file's distinct valid rows; raises ImportValidationError with every problem (at most MAX_ERRORS)."""
    if not rows or all(_blank(cell) for cell in rows[0][1]):
        raise ImportValidationError(
            [LineError(1, "(header)", f"line 1 must name the columns: {', '.join(COLUMNS)} (the ones you use)")]
        )
    positions, errors = _header(rows[0][1])
    width = len(rows[0][1])
    if errors:
        raise ImportValidationError(errors)
    context = _Context(regions=dict(Region.objects.values_list("code", "pk")), weights=weights)
    valid: dict[tuple, ScoreRow] = {}
    data_rows = 0
    for line, cells in rows[1:]:
        if all(_blank(cell) for cell in cells):
            continue  # spreadsheets keep empty rows; they carry nothing
        data_rows += 1
        row, problems = _validate_row(line, cells, positions, width, context)
        if row is not None:
            earlier = valid.get(row.key)
            if earlier is None:
                valid[row.key] = row
            elif earlier.given != row.given:  # an identical repeat is harmless and counted once
                field = "level" if row.kind == INDICATOR else "value"
                what = "index" if row.kind == Scope.INDEX else f"{row.kind} {row.number}"
                problems.append(
                    LineError(
                        line,
                        field,
                        f"{_plain(row.given)} differs from line {earlier.line} ({_plain(earlier.given)}) for the "
                        f"same region, year and {what}; give it once",
                    )
                )
        errors.extend(problems)
        if len(errors) >= MAX_ERRORS:
            break
    if not data_rows:
        errors.append(LineError(1, "(file)", "the file holds no score rows below the header"))
    if errors:
        raise ImportValidationError(errors[:MAX_ERRORS])
    return list(valid.values())


def _validate_row(line: int, cells: list, positions: dict[str, int], width: int, context: _Context):
    errors: list[LineError] = []

    def error(name, message):
        errors.append(LineError(line, name, message))

    if any(not _blank(cell) for cell in cells[width:]):
        error(
            "(row)",
            f"{len(cells)} cells for {width} columns in the header; in a comma-separated file a number with a "
            'decimal comma needs quotes ("3,12")',
        )
        return None, errors
    named = set(positions.values())
    stray = [position for position, cell in enumerate(cells) if position not in named and not _blank(cell)]
    if stray:
        error("(row)", f"column {stray[0] + 1} has a value but no name in the header")
        return None, errors

    def get(name):
        position = positions.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    filled = {name for name in COLUMNS if not _blank(get(name))}
    kinds = [kind for kind in KINDS if filled & ({"indicator", "level"} if kind == INDICATOR else {kind})]
    kind = None
    if not kinds:
        if "value" in filled:
            error("value", "given without domain, aspect or index: say which value it is")
        else:
            error("(row)", f"fills no score: give {KINDS_HINT}")
    elif len(kinds) > 1:
        error("(row)", f"fills several kinds ({', '.join(kinds)}); a row holds exactly one: {KINDS_HINT}")
    else:
        kind = kinds[0]
        needed, unused = (("indicator", "level"), "value") if kind == INDICATOR else ((kind, "value"), "level")
        for name in needed:
            if name not in filled:
                error(name, f"missing ({ARTICLE[kind]} {kind} row needs {' and '.join(needed)})")
        if unused in filled:
            error(unused, f"must be empty in {ARTICLE[kind]} {kind} row")

    region_id = None
    if "region_code" not in filled:
        error("region_code", "missing")
    else:
        code = _region_code(get("region_code"))
        region_id = context.regions.get(code)
        if region_id is None:
            hint = ""
            if re.fullmatch(r"[0-9]{2}\.[0-9]", code) and f"{code}0" in context.regions:
                hint = f"; did you mean '{code}0'? spreadsheets drop the trailing zero, so keep the column as text"
            error("region_code", f"unknown region {code!r} (Kemendagri code such as '32.11'){hint}")

    year = None
    if "year" not in filled:
        error("year", "missing")
    else:
        year = _integer(get("year"))
        if year is None:
            error("year", f"must be an integer year, got {_shown(get('year'))}")
        elif not YEAR_MIN <= year <= YEAR_MAX:
            error("year", f"{year} is not between {YEAR_MIN} and {YEAR_MAX}")
            year = None

    number = level = value = None
    if kind in NUMBERED and kind in filled:
        known = context.numbers(kind)
        number = _integer(get(kind))
        if number is None:
            error(kind, f"must be {ARTICLE[kind]} {kind} number, got {_shown(get(kind))}")
        elif number not in known:
            error(kind, f"unknown {kind} {number} ({min(known, default=0)}–{max(known, default=0)})")
            number = None
    elif kind == Scope.INDEX:
        number = 0  # the cell is only a marker
    if kind == INDICATOR and "level" in filled:
        level = _integer(get("level"))
        if level is None or not LEVEL_MIN <= level <= LEVEL_MAX:
            error("level", f"must be an integer {LEVEL_MIN}–{LEVEL_MAX}, got {_shown(get('level'))}")
            level = None
    if kind in SCOPES and "value" in filled:
        value = _decimal(get("value"))
        if value is None:
            error("value", f"must be a number {VALUE_MIN}–{VALUE_MAX}, got {_shown(get('value'))}")
        elif not VALUE_MIN <= value <= VALUE_MAX:
            error("value", f"{_shown(get('value'))} is outside {VALUE_MIN}–{VALUE_MAX}")
            value = None
        else:
            value = value.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)

    if errors:
        return None, errors
    return ScoreRow(line, region_id, year, kind, number, level=level, value=value), errors


# ---------------------------------------------------------------- writing


def import_scores(
    path: Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ScoreImportReport:
    """Validate the whole file, then write it in one transaction (or nothing, on dry_run or any error).

    Returns what was (or, on dry_run, would be) created, updated and left unchanged.
    """
    source = source or default_source(path)
    raw_rows = read_rows(path)
    framework = Framework.current()
    if framework is None:
        raise ImportValidationError([LineError(1, "(file)", "no current framework; run load_reference_data first")])
    weights = Weights.of(framework)
    rows = validate(raw_rows, weights)
    with transaction.atomic():
        report = _write(rows, framework, weights, source=source, dry_run=dry_run, progress=progress)
        if dry_run:
            transaction.set_rollback(True)  # nothing is written anyway; make sure of it
    return report


def _write(rows, framework, weights, *, source, dry_run, progress) -> ScoreImportReport:
    report = ScoreImportReport(rows=len(rows))
    region_ids = {r.region_id for r in rows}
    years = {r.year for r in rows}
    indicator_ids = dict(Indicator.objects.filter(framework=framework).values_list("number", "pk"))
    scores = {
        (s.region_id, s.year, s.indicator_id): s
        for s in IndicatorScore.objects.filter(indicator__framework=framework, region_id__in=region_ids, year__in=years)
    }
    # Imported aggregates of this framework (the unique constraint includes the framework).
    imported = {
        (a.region_id, a.year, a.scope, a.number): a
        for a in AggregateScore.objects.filter(
            origin=Origin.IMPORTED, framework=framework, region_id__in=region_ids, year__in=years
        )
    }
    new_scores, new_aggregates = [], []
    # Changed rows grouped by their new values: one UPDATE per group (a file's levels share a source and take
    # five values), far cheaper than bulk_update's CASE per row and field.
    changed_scores: dict[tuple, list[int]] = defaultdict(list)
    changed_aggregates: dict[tuple, list[int]] = defaultdict(list)
    recalculate = set()
    for row in progress(rows) if progress else rows:
        if row.kind == INDICATOR:
            wanted = {"level": row.level, "source": source, "is_demo": False}
            current = scores.get((row.region_id, row.year, indicator_ids[row.number]))
            if current is None:
                new_scores.append(
                    IndicatorScore(
                        region_id=row.region_id, indicator_id=indicator_ids[row.number], year=row.year, **wanted
                    )
                )
            elif _differs(current, wanted):
                changed_scores[tuple(wanted.items())].append(current.pk)
            else:
                report.unchanged += 1
                continue
            recalculate.add((row.region_id, row.year))
        else:
            wanted = {
                "framework_id": framework.pk,
                "value": row.value,
                "predicate": weights.predicate(row.value) if row.kind == Scope.INDEX else "",
                "source": source,
                "is_demo": False,
            }
            current = imported.get(row.key)
            if current is None:
                new_aggregates.append(
                    AggregateScore(
                        region_id=row.region_id,
                        year=row.year,
                        scope=row.kind,
                        number=row.number,
                        origin=Origin.IMPORTED,
                        **wanted,
                    )
                )
            elif _differs(current, wanted):
                changed_aggregates[tuple(wanted.items())].append(current.pk)
            else:
                report.unchanged += 1
    report.created = len(new_scores) + len(new_aggregates)
    report.updated = sum(map(len, changed_scores.values())) + sum(map(len, changed_aggregates.values()))
    if dry_run:
        return report
    IndicatorScore.objects.bulk_create(new_scores, batch_size=2000)
    AggregateScore.objects.bulk_create(new_aggregates, batch_size=2000)
    for model, changed in ((IndicatorScore, changed_scores), (AggregateScore, changed_aggregates)):
        for values, pks in changed.items():
            for start in range(0, len(pks), UPDATE_CHUNK):
                model.objects.filter(pk__in=pks[start : start + UPDATE_CHUNK]).update(**dict(values))
    if recalculate:
        report.recalculated = scores_recalculate(
            framework=framework,
            region_ids=sorted({region_id for region_id, _year in recalculate}),
            years=sorted({year for _region_id, year in recalculate}),
            weights=weights,
        )
    elif report.created or report.updated:
        scores_changed(framework)
    return report


def _differs(obj, wanted: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in wanted.items())
