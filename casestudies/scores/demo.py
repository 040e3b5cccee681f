"""Synthetic indicator levels for every kabupaten/kota, 2019–2024, that tell one consistent story.

- 2023 and 2024 levels are fitted so the computed domain values match the region's official KemenPANRB
  values (within the steps integer levels allow); regions without official values get plausible ones.
- 2019–2022 step back from 2023 so the mean index of all kabupaten/kota follows the published national
  index (2.18, 2.26, 2.24, 2.34).
- Regions with demo case studies reach the levels their case studies claim: before the practice started,
  the claimed "before" level; from its end on, the "after" level — so peers that improved on an aspect
  really have case studies tagging it. One claim in four is left unpinned, so "self-reported" appears too.
Everything is seeded: the same run gives the same data. All rows are marked `is_demo` ("Data contoh").
"""

import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from ..models import AggregateScore, CaseStudyIndicator, Framework, IndicatorScore, Origin, Region, RegionPage, Scope
from .bulk import bulk_score_write
from .formula import Weights, aggregate
from .services import scores_recalculate

SEED = 20261123
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
NATIONAL_INDEX = {2019: 2.18, 2020: 2.26, 2021: 2.24, 2022: 2.34}
SOURCE = "Data contoh (sintetis)"
# Typical domain profile around the index (from the 2023 official kabupaten/kota averages).
DOMAIN_OFFSET = {1: 0.2, 2: -0.45, 3: -1.0, 4: 0.6}


def fit_levels(
    numbers: list[int], weights: dict[int, Decimal], target: float, rng: random.Random, *, pinned=None, favour=()
) -> dict[int, int]:
    """Integer levels 1–5 whose weighted mean is as close as possible to `target`, favouring `favour` upward."""
    pinned = pinned or {}
    levels = {n: pinned.get(n, 1) for n in numbers}
    total = float(sum(weights[n] for n in numbers))
    remaining = target * total - sum(float(weights[n]) * levels[n] for n in numbers)
    free = [n for n in numbers if n not in pinned]
    while free:
        # Spread levels, with noise for realism and a pull towards favoured indicators.
        choices = [n for n in free if levels[n] < 5]
        if not choices:
            break
        pick = min(choices, key=lambda n: levels[n] + rng.uniform(0, 1.6) - (1.2 if n in favour else 0))
        step = float(weights[pick])
        if abs(remaining - step) >= abs(remaining):
            break
        levels[pick] += 1
        remaining -= step
    return levels


def _clip(value: float) -> float:
    return min(5.0, max(1.0, value))


def generate(framework: Framework, *, seed: int = SEED) -> dict[tuple[int, int], dict[int, int]]:
    """(region id, year) → {indicator number: level} for every kabupaten/kota and demo year."""
    rng = random.Random(seed)
    weights = Weights.of(framework)
    regions = list(Region.objects.exclude(type=Region.Type.PROVINSI).order_by("code"))
    official = defaultdict(dict)
    for region_id, year, number, value in AggregateScore.objects.filter(
        framework=framework, origin=Origin.OFFICIAL, scope=Scope.DOMAIN
    ).values_list("region_id", "year", "number", "value"):
        official[(region_id, year)][number] = float(value)
    stories = _case_study_stories(framework, rng)
    domains = sorted(weights.domain_weight)
    by_domain = {d: weights.indicators_of_domain(d) for d in domains}

    result = {}
    for region in regions:
        base = _clip(rng.gauss(2.75, 0.55))
        for year in (2023, 2024):
            targets = official.get((region.pk, year)) or {
                d: _clip(base + (0.33 if year == 2024 else 0) + DOMAIN_OFFSET[d] + rng.gauss(0, 0.25)) for d in domains
            }
            pinned, favour = _story_for(stories.get(region.pk, []), year)
            levels = {}
            for d in domains:
                levels.update(
                    fit_levels(
                        by_domain[d],
                        weights.indicator_weight,
                        _clip(targets.get(d, base)),
                        rng,
                        pinned={n: v for n, v in pinned.items() if n in by_domain[d]},
                        favour=favour if year == 2024 else (),
                    )
                )
            result[(region.pk, year)] = levels

    later = {r.pk: result[(r.pk, 2023)] for r in regions}
    for year in (2022, 2021, 2020, 2019):
        current = {}
        for region in regions:
            levels = dict(later[region.pk])
            pinned, _favour = _story_for(stories.get(region.pk, []), year)
            for n, v in pinned.items():
                levels[n] = v
            current[region.pk] = levels
        _calibrate(current, NATIONAL_INDEX[year], weights, rng, stories, year)
        for region in regions:
            result[(region.pk, year)] = current[region.pk]
        later = current
    return result


def _case_study_stories(framework, rng):
    """region id → [(indicator, before, after, year_start, year_end)] from live demo case studies' claims."""
    stories = defaultdict(list)
    claims = CaseStudyIndicator.objects.filter(
        page__live=True, page__is_demo=True, indicator__framework=framework
    ).select_related("indicator", "page")
    claims = list(claims.order_by("pk"))
    regions = RegionPage.regions_of({claim.page for claim in claims})
    for claim in claims:
        page = claim.page
        region = regions[page.pk]
        if claim.level_before is None or claim.level_after is None or rng.random() < 0.25:
            continue  # left self-reported
        stories[region.pk].append(
            (claim.indicator.number, claim.level_before, claim.level_after, page.year_start, page.year_end or 2024)
        )
    return stories


def _story_for(story, year):
    """Levels a region's case studies fix for `year`, and the indicators it is improving at that time."""
    pinned, favour = {}, set()
    for number, before, after, start, end in story:
        if year <= start:
            pinned[number] = before
        elif year >= end:
            pinned[number] = after
        else:
            favour.add(number)
    return pinned, favour


def _calibrate(current, target, weights, rng, stories, year):
    """Step indicator levels down (or up) at random until the mean index of all regions is `target` ±0.005."""
    region_ids = list(current)
    index = {r: float(aggregate(current[r], weights).index) for r in region_ids}
    numbers = list(weights.indicator_weight)
    fixed = {r: set(_story_for(stories.get(r, []), year)[0]) for r in region_ids}
    for _ in range(200_000):
        mean = sum(index.values()) / len(index)
        if abs(mean - target) <= 0.005:
            return
        region_id = rng.choice(region_ids)
        number = rng.choice(numbers)
        if number in fixed[region_id]:
            continue
        step = -1 if mean > target else 1
        level = current[region_id][number] + step
        if 1 <= level <= 5:
            current[region_id][number] = level
            index[region_id] += step * float(weights.indicator_weight[number]) / 100


@transaction.atomic
def load_demo_scores(*, framework: Framework | None = None) -> int:
    """Replace all demo indicator levels and their computed aggregates (idempotent: seeded)."""
    framework = framework or Framework.current()
    indicators = {i.number: i.pk for i in framework.indicators.all()}
    with bulk_score_write():  # scores_recalculate below renews what depends on them
        IndicatorScore.objects.filter(is_demo=True).delete()
    levels = generate(framework)
    rows = [
        IndicatorScore(
            region_id=region_id, indicator_id=indicators[n], year=year, level=level, source=SOURCE, is_demo=True
        )
        for (region_id, year), by_indicator in levels.items()
        for n, level in by_indicator.items()
    ]
    IndicatorScore.objects.bulk_create(rows, batch_size=5000)
    scores_recalculate(framework=framework, region_ids={r for r, _y in levels})
    return len(rows)
