"""Precomputed score summaries (models.summaries), rebuilt when scores are written and read by peers and dashboards.

When: every bulk score write — `scores_recalculate` (import_scores, demo scores) and `load_official_results` —
rebuilds them inside its own transaction, so they are never behind the scores. A single-row write (an admin
editing one score) drops them at once and rebuilds them in a background task after commit (casestudies.tasks).
While they are missing, readers compute the same figures live, only slower (whether they are current:
scores.summary_state).
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast

from cms.data_version import data_changed

from ..models import AggregateScore, AverageScore, Framework, Region, ScoreChange, StepCount, SummaryState
from .summary_state import summaries_drop
from .targets import LOCAL_TYPES, all_targets, region_types_key
from .values import NOT_COMPARED, RANK, comparison_years, values_for, years_by_origin


@transaction.atomic
def summaries_refresh(framework: Framework) -> tuple[int, int]:
    """Rebuild the framework's ScoreChange and AverageScore rows; returns how many of each."""
    summaries_drop(framework.pk)
    ScoreChange.objects.filter(framework=framework).delete()
    StepCount.objects.filter(framework=framework).delete()
    AverageScore.objects.filter(framework=framework).delete()
    changes, years_of = [], {}
    for target in all_targets(framework):
        years = comparison_years(years_by_origin(target))  # not default_years: its cache predates this write
        if years is None:
            continue
        years_of[f"{target.scope}:{target.number}"] = list(years)
        values = values_for(target, years)
        for region_id in {r for r, _year in values}:
            before, after = values.get((region_id, years[0])), values.get((region_id, years[1]))
            changes.append(
                ScoreChange(
                    framework=framework,
                    scope=target.scope,
                    number=target.number,
                    from_year=years[0],
                    to_year=years[1],
                    region_id=region_id,
                    before=before.value if before else None,
                    after=after.value if after else None,
                    before_origin=before.origin if before else "",
                    after_origin=after.origin if after else "",
                    is_demo=bool((before and before.is_demo) or (after and after.is_demo)),
                )
            )
    ScoreChange.objects.bulk_create(changes, batch_size=5000)
    StepCount.objects.bulk_create(_step_counts(framework, changes), batch_size=5000)
    averages = _averages(framework)
    AverageScore.objects.bulk_create(averages, batch_size=5000)
    SummaryState.objects.create(framework=framework, comparison_years=years_of)
    _analyze(ScoreChange, StepCount, AverageScore)
    data_changed()  # cached reads (summary state included) are keyed by the data version: renewed on commit
    return len(changes), len(averages)


def _analyze(*models) -> None:
    """PostgreSQL: fresh planner statistics for tables just rewritten in bulk. Without them the planner took the
    peer-table read for a one-row lookup and scanned every target's rows (measured 5.8 ms → 0.9 ms)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _step_counts(framework: Framework, changes: list[ScoreChange]) -> list[StepCount]:
    type_of = dict(Region.objects.values_list("pk", "type"))
    regions, rose = defaultdict(int), defaultdict(int)
    for change in changes:
        if change.scope != "indicator" or change.before is None:
            continue
        key = (region_types_key(type_of[change.region_id]), change.from_year, change.to_year, change.number)
        start = int(change.before)
        regions[(*key, start)] += 1
        if change.after is not None and change.after > change.before:
            rose[(*key, start)] += 1
    return [
        StepCount(
            framework=framework,
            region_types=group,
            from_year=from_year,
            to_year=to_year,
            number=number,
            start=start,
            regions=count,
            rose=rose[key],
        )
        for key, count in regions.items()
        for group, from_year, to_year, number, start in [key]
    ]


def _averages(framework: Framework) -> list[AverageScore]:
    """Means of the values that count, over kabupaten/kota: per year and target, nationally and per province."""
    province_of = dict(Region.objects.filter(type__in=LOCAL_TYPES).values_list("pk", "province_id"))
    rows = (
        AggregateScore.objects.filter(framework=framework, region_id__in=province_of.keys())
        .exclude(origin=NOT_COMPARED)
        .annotate(v=Cast("value", FloatField()))
        .values_list("region_id", "year", "scope", "number", "v", "origin")
    )
    best = {}
    for region_id, year, scope, number, value, origin in rows.iterator(chunk_size=5000):
        key = (region_id, year, scope, number)
        if key not in best or RANK[origin] < best[key][0]:
            best[key] = (RANK[origin], value)
    sums, counts = defaultdict(float), defaultdict(int)
    for (region_id, year, scope, number), (_rank, value) in best.items():
        province = province_of[region_id]
        for province_id in (None,) if province is None else (None, province):
            sums[(scope, number, year, province_id)] += value
            counts[(scope, number, year, province_id)] += 1
    return [
        AverageScore(
            framework=framework,
            scope=scope,
            number=number,
            year=year,
            province_id=province_id,
            value=total / counts[key],
            regions=counts[key],
        )
        for key, total in sums.items()
        for scope, number, year, province_id in [key]
    ]
