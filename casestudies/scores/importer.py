"""Import of SPBE scores (indicator levels, imported aspect/domain/index values) from .csv or .xlsx: the
contract documented in docs/scores-import.md.

Like the case-study import (exchange.py) it is all-or-nothing: every row is validated first, every error is
reported with its line (CSV line / Excel row, the header is line 1) and field, and nothing is written unless the
whole file is valid. It is idempotent: a row that already holds the same value is counted as unchanged and not
written. Imported aggregates are rows of their own origin (`Origin.IMPORTED`); official rows are never touched,
and the computed rows follow the imported indicator levels through `scores_recalculate`.

A self-assessment (origin `self_assessed`, uploaded by a region's officers in the admin: casestudies/uploads.py)
goes through the same code: levels only, for the allowed regions only, and a level stored by an import is kept
(reported as such), never replaced; an import replaces a self-assessed level.

Reading the file: scores.import_files; validating its rows: scores.import_rows; writing them: here.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ..exchange import ImportValidationError, LineError
from ..models import AggregateScore, Framework, Indicator, IndicatorScore, Origin, Scope
from .formula import Weights
from .import_files import read_content, read_rows
from .import_rows import INDICATOR, ScoreRow, validate
from .services import scores_changed, scores_recalculate

SOURCE_MAX = AggregateScore._meta.get_field("source").max_length
UPDATE_CHUNK = 500  # primary keys per UPDATE … WHERE id IN (…)


def default_source(path: Path) -> str:
    return f"Impor {path.name}"[:SOURCE_MAX]


CREATE, UPDATE, UNCHANGED, KEEP = "create", "update", "unchanged", "keep"


@dataclass(frozen=True)
class ScoreChange:
    """What one valid row does (for a preview): its value against the stored one, if any."""

    row: ScoreRow
    action: str  # CREATE, UPDATE, UNCHANGED or KEEP (a self-assessment never replaces an imported level)
    stored: int | Decimal | None = None
    stored_origin: str = ""


@dataclass
class ScoreImportReport:
    rows: int = 0  # distinct valid rows (identical duplicates count once)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # self-assessed levels not written because an import's level is stored
    recalculated: int = 0  # computed aggregate rows rewritten by scores_recalculate
    changes: list[ScoreChange] = field(default_factory=list)  # filled when asked (with_changes)

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.kept} kept (an imported level is stored)" if self.kept else "")


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
    return import_score_rows(read_rows(path), source=source or default_source(path), dry_run=dry_run, progress=progress)


def import_score_content(
    name: str,
    content: bytes,
    *,
    source: str,
    dry_run: bool = False,
    origin: str = Origin.IMPORTED,
    allowed_region_ids: frozenset[int] | None = None,
    with_changes: bool = False,
) -> ScoreImportReport:
    """import_scores for an uploaded file's bytes (`name` gives the type: .csv or .xlsx)."""
    return import_score_rows(
        read_content(Path(name).suffix, content),
        source=source,
        dry_run=dry_run,
        origin=origin,
        allowed_region_ids=allowed_region_ids,
        with_changes=with_changes,
    )


def import_score_rows(
    raw_rows: list[tuple[int, list]],
    *,
    source: str,
    dry_run: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    origin: str = Origin.IMPORTED,
    allowed_region_ids: frozenset[int] | None = None,
    with_changes: bool = False,
) -> ScoreImportReport:
    """Validate every row, then write them in one transaction (or nothing, on dry_run or any error).

    `origin` SELF_ASSESSED: a self-assessment (levels only; an imported level is kept). `allowed_region_ids`: a row
    of another region is an error. `with_changes`: the report lists what each row does (ScoreChange).
    """
    framework = Framework.current()
    if framework is None:
        raise ImportValidationError([LineError(1, "(file)", "no current framework; run load_reference_data first")])
    weights = Weights.of(framework)
    self_assessed = origin == Origin.SELF_ASSESSED
    rows = validate(raw_rows, weights, allowed_region_ids=allowed_region_ids, levels_only=self_assessed)
    with transaction.atomic():
        report = _write(
            rows,
            framework,
            weights,
            source=source,
            dry_run=dry_run,
            progress=progress,
            origin=Origin(origin),
            with_changes=with_changes,
        )
        if dry_run:
            transaction.set_rollback(True)  # nothing is written anyway; make sure of it
    return report


def _write(rows, framework, weights, *, source, dry_run, progress, origin, with_changes) -> ScoreImportReport:
    report = ScoreImportReport(rows=len(rows))
    note = report.changes.append if with_changes else lambda change: None
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
            wanted = {"level": row.level, "source": source, "is_demo": False, "origin": origin.value}
            current = scores.get((row.region_id, row.year, indicator_ids[row.number]))
            stored = {} if current is None else {"stored": current.level, "stored_origin": current.origin}
            if current is None:
                new_scores.append(
                    IndicatorScore(
                        region_id=row.region_id, indicator_id=indicator_ids[row.number], year=row.year, **wanted
                    )
                )
                note(ScoreChange(row, CREATE))
            elif origin == Origin.SELF_ASSESSED and current.origin != Origin.SELF_ASSESSED:
                report.kept += 1  # an import's (or the evaluation's) level is never replaced by a self-assessment
                note(ScoreChange(row, KEEP, **stored))
                continue
            elif _differs(current, wanted):
                changed_scores[tuple(wanted.items())].append(current.pk)
                note(ScoreChange(row, UPDATE, **stored))
            else:
                report.unchanged += 1
                note(ScoreChange(row, UNCHANGED, **stored))
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
            stored = {} if current is None else {"stored": current.value, "stored_origin": current.origin}
            if current is None:
                note(ScoreChange(row, CREATE))
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
                note(ScoreChange(row, UPDATE, **stored))
            else:
                report.unchanged += 1
                note(ScoreChange(row, UNCHANGED, **stored))
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
