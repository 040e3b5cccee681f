"""What came of a replication: the replicating region's levels on the case study's indicators, in its latest
evaluation up to the replication's start year and in its latest one after it ("Kab. X mereplikasi sejak 2023:
I-42 2→3"). Reads only; a replication without a start year, or without an evaluation on either side, has no
outcome yet."""

from collections import defaultdict
from dataclasses import dataclass

from .models import CaseStudyIndicator, IndicatorScore, Origin, Replication


@dataclass(frozen=True)
class LevelChange:
    number: int  # the indicator
    before: int
    after: int
    before_year: int
    after_year: int

    @property
    def rose(self) -> bool:
        return self.after > self.before


def change_since(series: dict[int, int], start_year: int, number: int) -> LevelChange | None:
    """The level in the latest evaluation up to `start_year` and in the latest after it (None without both)."""
    before = [y for y in series if y <= start_year]
    after = [y for y in series if y > start_year]
    if not before or not after:
        return None
    y1, y2 = max(before), max(after)
    return LevelChange(number, series[y1], series[y2], y1, y2)


def outcomes_of(replications: list[Replication]) -> dict[int, list[LevelChange]]:
    """Replication id → the changes on its case study's indicators (in the case study's claim order), in two
    queries for any number of replications."""
    dated = [r for r in replications if r.start_year]
    if not dated:
        return {}
    numbers_of = defaultdict(list)
    for page_id, number in (
        CaseStudyIndicator.objects.filter(page_id__in={r.case_study_id for r in dated})
        .order_by("sort_order", "pk")
        .values_list("page_id", "indicator__number")
    ):
        if number not in numbers_of[page_id]:
            numbers_of[page_id].append(number)
    wanted = set().union(*numbers_of.values()) if numbers_of else set()
    series = defaultdict(dict)
    levels = IndicatorScore.objects.filter(
        region_id__in={r.region_id for r in dated}, indicator__number__in=wanted, indicator__framework__is_current=True
    ).exclude(origin=Origin.SELF_ASSESSED)  # evaluations only: a self-assessment proves no outcome
    for region_id, number, year, level in levels.values_list("region_id", "indicator__number", "year", "level"):
        series[(region_id, number)][year] = level
    outcomes = {}
    for replication in dated:
        changes = [
            change_since(series[(replication.region_id, number)], replication.start_year, number)
            for number in numbers_of[replication.case_study_id]
        ]
        outcomes[replication.pk] = [c for c in changes if c is not None]
    return outcomes


def successful_replications(replications) -> dict[int, int]:
    """Case study id → how many of these replications are successful (is_successful)."""
    replications = list(replications)
    outcomes = outcomes_of(replications)
    counts = defaultdict(int)
    for replication in replications:
        if is_successful(replication, outcomes.get(replication.pk, [])):
            counts[replication.case_study_id] += 1
    return dict(counts)


def is_successful(replication: Replication, changes: list[LevelChange]) -> bool:
    """A replication under way or done whose region rose on at least one of the case study's indicators."""
    return replication.status in Replication.REPLICATING and any(c.rose for c in changes)
