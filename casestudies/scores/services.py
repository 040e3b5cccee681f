"""Writes for scores: recompute the aggregates that indicator levels imply (never touching given values)."""

from collections import defaultdict

from django.db import transaction

from ..models import AggregateScore, Framework, IndicatorScore, Origin, Replication, Scope
from ..signals import case_studies_changed
from .bulk import bulk_score_write
from .claims import claims_verify
from .formula import Weights, aggregate, rounded
from .summaries import summaries_refresh

COMPUTED_SOURCE = "Dihitung dari tingkat indikator"
SELF_ASSESSED_SOURCE = "Dihitung dari penilaian mandiri"
COMPUTED_ORIGINS = (Origin.COMPUTED, Origin.SELF_ASSESSED)


@transaction.atomic
def scores_recalculate(*, framework: Framework, region_ids=None, years=None, weights: Weights | None = None) -> int:
    """Replace the computed aspect/domain/index rows of the given regions and years; returns rows written.

    Official and imported aggregates are different rows (other origins) and are never modified here. A region-year
    with any self-assessed level gets aggregates of origin `self_assessed` (they rank last), else `computed`.
    """
    weights = weights or Weights.of(framework)
    scores = IndicatorScore.objects.filter(indicator__framework=framework)
    computed = AggregateScore.objects.filter(framework=framework, origin__in=COMPUTED_ORIGINS)
    if region_ids is not None:
        scores, computed = scores.filter(region_id__in=region_ids), computed.filter(region_id__in=region_ids)
    if years is not None:
        scores, computed = scores.filter(year__in=years), computed.filter(year__in=years)
    levels = defaultdict(dict)
    demo = defaultdict(bool)
    self_assessed = defaultdict(bool)
    for region_id, year, number, level, is_demo, origin in scores.values_list(
        "region_id", "year", "indicator__number", "level", "is_demo", "origin"
    ).iterator(chunk_size=5000):
        levels[(region_id, year)][number] = level
        demo[(region_id, year)] |= is_demo
        self_assessed[(region_id, year)] |= origin == Origin.SELF_ASSESSED
    with bulk_score_write():
        computed.delete()
    rows = []
    for (region_id, year), by_indicator in levels.items():
        result = aggregate(by_indicator, weights)
        common = {
            "region_id": region_id,
            "framework": framework,
            "year": year,
            "origin": Origin.SELF_ASSESSED if self_assessed[(region_id, year)] else Origin.COMPUTED,
            "source": SELF_ASSESSED_SOURCE if self_assessed[(region_id, year)] else COMPUTED_SOURCE,
            "is_demo": demo[(region_id, year)],
        }
        for number, value in result.aspects.items():
            rows.append(AggregateScore(scope=Scope.ASPECT, number=number, value=rounded(value), **common))
        for number, value in result.domains.items():
            rows.append(AggregateScore(scope=Scope.DOMAIN, number=number, value=rounded(value), **common))
        if result.index is not None:
            value = rounded(result.index)
            rows.append(
                AggregateScore(scope=Scope.INDEX, number=0, value=value, predicate=weights.predicate(value), **common)
            )
    AggregateScore.objects.bulk_create(rows, batch_size=2000)
    scores_changed(framework, region_ids=region_ids)
    return len(rows)


def scores_changed(framework: Framework, *, region_ids=None) -> None:
    """After a bulk score write, inside its transaction: re-check level claims (the case studies whose flag flipped
    are re-indexed by search: casestudies.signals) and rebuild the summaries (which renews the data version once
    committed)."""
    claims_verify(region_ids=region_ids)
    replications_rescored(region_ids=region_ids)
    summaries_refresh(framework)


def replications_rescored(*, region_ids=None) -> None:
    """The case studies these regions replicate since a known year: their outcome may have changed (search keeps a
    count of successful replications for its "replications" sort)."""
    replications = Replication.objects.exclude(start_year=None)
    if region_ids is not None:
        replications = replications.filter(region_id__in=list(region_ids))
    page_ids = set(replications.values_list("case_study_id", flat=True))
    if page_ids:
        case_studies_changed.send(sender=Replication, page_ids=page_ids)
