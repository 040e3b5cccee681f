"""Validating a score file's rows for the importer (scores.importer): the columns of docs/scores-import.md, each
cell read as people type it, every problem reported with its line and field (at most MAX_ERRORS).
"""

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..exchange import MAX_ERRORS, ImportValidationError, LineError
from ..models import CaseStudyPage, Region, Scope
from .formula import Weights

INDICATOR = "indicator"
SCOPES = (Scope.DOMAIN.value, Scope.ASPECT.value, Scope.INDEX.value)  # column names = Scope values
KINDS = (INDICATOR, *SCOPES)
NUMBERED = (INDICATOR, Scope.DOMAIN.value, Scope.ASPECT.value)  # the index row's cell is only a marker
ARTICLE = {"indicator": "an", "domain": "a", "aspect": "an", "index": "an"}
COLUMNS = ("region_code", "year", "indicator", "level", "domain", "aspect", "index", "value")
REQUIRED = ("region_code", "year")
YEAR_MIN, YEAR_MAX = CaseStudyPage.YEAR_RANGE
LEVEL_MIN, LEVEL_MAX = 1, 5
VALUE_MIN, VALUE_MAX = Decimal(1), Decimal(5)
VALUE_PLACES = Decimal("0.001")  # AggregateScore.value has three decimal places
KINDS_HINT = "indicator + level, domain + value, aspect + value or index + value"
# A number as people type it: "3", "3.12" or, with a decimal comma, "3,12". No thousands separators
# (no score needs them) and no exponents, so "1.234" can only mean one thing.
NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


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
    allowed_region_ids: frozenset[int] | None = None  # None: any region
    levels_only: bool = False

    def numbers(self, kind: str) -> dict[int, object]:
        return {
            INDICATOR: self.weights.indicator_weight,
            Scope.DOMAIN: self.weights.domain_weight,
            Scope.ASPECT: self.weights.aspect_weight,
        }[kind]


def validate(
    rows: list[tuple[int, list]],
    weights: Weights,
    *,
    allowed_region_ids: frozenset[int] | None = None,
    levels_only: bool = False,
) -> list[ScoreRow]:
    """The file's distinct valid rows; raises ImportValidationError with every problem (at most MAX_ERRORS).

    `allowed_region_ids`: a row of any other region is an error (an officer's self-assessment). `levels_only`: a
    domain, aspect or index row is an error (a self-assessment gives levels; the aggregates are computed).
    """
    if not rows or all(_blank(cell) for cell in rows[0][1]):
        raise ImportValidationError(
            [LineError(1, "(header)", f"line 1 must name the columns: {', '.join(COLUMNS)} (the ones you use)")]
        )
    positions, errors = _header(rows[0][1])
    width = len(rows[0][1])
    if errors:
        raise ImportValidationError(errors)
    context = _Context(
        regions=dict(Region.objects.values_list("code", "pk")),
        weights=weights,
        allowed_region_ids=allowed_region_ids,
        levels_only=levels_only,
    )
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
        if context.levels_only and kind != INDICATOR:
            error(kind, f"a self-assessment gives indicator levels only; the {kind} values are computed from them")

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
        elif context.allowed_region_ids is not None and region_id not in context.allowed_region_ids:
            error("region_code", f"{code!r} is not your region: you may upload your own region's levels only")
            region_id = None

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
