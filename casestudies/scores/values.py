"""The value that counts for a target, region and year (official, else imported, else computed from levels),
and which two evaluations to compare (reads only).

These are the values regions are compared by (peers, averages, most improved): a region's self-assessment
(origin `self_assessed`) is left out of them; it shows on the region's own dashboard and in its scores API.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import FloatField
from django.db.models.functions import Cast

from cms.data_version import cached

from ..models import AggregateScore, IndicatorScore, Origin
from ..models.scores import ORIGIN_PRECEDENCE
from .summary_state import summarised_years
from .targets import Target

# origin → its precedence (lower wins): official, imported, computed, self-assessed.
RANK = {origin: i for i, origin in enumerate(ORIGIN_PRECEDENCE)}
NOT_COMPARED = Origin.SELF_ASSESSED  # a region's own assessment: never compared with other regions' values


@dataclass
class Value:
    value: float
    origin: str
    is_demo: bool


def values_for(target: Target, years, region_ids=None) -> dict[tuple[int, int], Value]:
    """(region id, year) → the value that counts: official, else imported, else computed from levels."""
    if target.scope == "indicator":
        qs = IndicatorScore.objects.filter(indicator__framework=target.framework, indicator__number=target.number)
        qs = qs.filter(year__in=list(years)).exclude(origin=NOT_COMPARED)
        if region_ids is not None:
            qs = qs.filter(region_id__in=list(region_ids))
        return {
            (r, y): Value(float(level), "imported", demo)
            for r, y, level, demo in qs.values_list("region_id", "year", "level", "is_demo")
        }
    qs = AggregateScore.objects.filter(
        scope=target.scope, number=target.number, year__in=list(years), framework=target.framework
    ).exclude(origin=NOT_COMPARED)
    if region_ids is not None:
        qs = qs.filter(region_id__in=list(region_ids))
    best: dict[tuple[int, int], tuple[int, Value]] = {}
    # Values as floats straight from the covering index (no Decimal conversion per row); rounded for display.
    rows = qs.annotate(v=Cast("value", FloatField())).values_list("region_id", "year", "v", "origin", "is_demo")
    for region_id, year, value, origin, demo in rows:
        key = (region_id, year)
        if key not in best or RANK[origin] < best[key][0]:
            best[key] = (RANK[origin], Value(value, origin, demo))
    return {key: value for key, (_rank, value) in best.items()}


def years_by_origin(target: Target) -> dict[str, list[int]]:
    """origin → sorted years with values for the target (one indexed query, not cached)."""
    if target.scope == "indicator":
        years = IndicatorScore.objects.filter(
            indicator__framework=target.framework, indicator__number=target.number
        ).exclude(origin=NOT_COMPARED)
        return {"imported": sorted(set(years.values_list("year", flat=True).distinct()))}
    rows = (
        AggregateScore.objects.filter(scope=target.scope, number=target.number, framework=target.framework)
        .exclude(origin=NOT_COMPARED)
        .order_by()
        .values_list("origin", "year")
        .distinct()
    )
    by_origin = defaultdict(set)
    for origin, year in rows:
        by_origin[origin].add(year)
    return {origin: sorted(years) for origin, years in by_origin.items()}


def default_years(target: Target) -> tuple[int, int] | None:
    """The two evaluations to compare when none are asked for.

    Where official values exist for two or more years, the latest two official years (like with like);
    otherwise the latest year with data and the earliest within LIVINGLAB_PEER_WINDOW_YEARS before it.
    """
    summarised = summarised_years(target.framework)
    if summarised is not None:
        return summarised.get(f"{target.scope}:{target.number}")
    by_origin = cached(f"years:{target.framework.pk}:{target.scope}:{target.number}", lambda: years_by_origin(target))
    return comparison_years(by_origin)


def comparison_years(by_origin: dict[str, list[int]]) -> tuple[int, int] | None:
    """default_years' rule applied to the years with values, by origin."""
    official = by_origin.get("official", [])
    if len(official) >= 2:
        return official[-2], official[-1]
    years = sorted({y for ys in by_origin.values() for y in ys})
    if len(years) < 2:
        return None
    to_year = years[-1]
    window = getattr(settings, "LIVINGLAB_PEER_WINDOW_YEARS", 2)
    from_year = min([y for y in years[:-1] if y >= to_year - window] or years[-2:-1])
    return from_year, to_year
