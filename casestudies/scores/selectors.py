"""Reads for scores: a region's profile over the years, averages, 'what to learn next', most improved lists.

The region dashboard puts these together with the peer link and its charts (casestudies.dashboard.context).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from cms.data_version import cached

from ..models import (
    AggregateScore,
    AverageScore,
    Framework,
    Indicator,
    IndicatorScore,
    Origin,
    Region,
    Scope,
    StepCount,
)
from .summary_state import summaries_ready
from .targets import LOCAL_TYPES, Target, framework_taxonomy
from .values import NOT_COMPARED, RANK, comparison_years, default_years, values_for


@dataclass
class ScoreValue:
    value: Decimal
    origin: str
    source: str
    is_demo: bool
    predicate: str = ""
    others: dict[str, Decimal] = field(default_factory=dict)  # the same figure from other origins

    @property
    def is_official(self) -> bool:
        return self.origin == Origin.OFFICIAL


@dataclass
class YearProfile:
    year: int
    index: ScoreValue | None = None
    domains: dict[int, ScoreValue] = field(default_factory=dict)
    aspects: dict[int, ScoreValue] = field(default_factory=dict)
    indicators: dict[int, int] = field(default_factory=dict)
    indicators_demo: bool = False


def region_profile(region: Region, framework: Framework) -> list[YearProfile]:
    """Every year with any value for the region, oldest first; official figures win, others kept beside them."""
    years: dict[int, YearProfile] = {}
    rows = AggregateScore.objects.filter(region=region, framework=framework).order_by("year", "scope", "number")
    for a in rows:
        profile = years.setdefault(a.year, YearProfile(a.year))
        slot_owner, key = _slot(profile, a)
        current = slot_owner.get(key)
        candidate = ScoreValue(a.value, a.origin, a.source, a.is_demo, a.predicate)
        if current is None:
            slot_owner[key] = candidate
        elif RANK[a.origin] < RANK[current.origin]:
            candidate.others = {**current.others, current.origin: current.value}
            slot_owner[key] = candidate
        else:
            current.others[a.origin] = a.value
    for year, number, level, is_demo in IndicatorScore.objects.filter(
        region=region, indicator__framework=framework
    ).values_list("year", "indicator__number", "level", "is_demo"):
        profile = years.setdefault(year, YearProfile(year))
        profile.indicators[number] = level
        profile.indicators_demo |= is_demo
    for profile in years.values():
        index = profile.domains.pop("index", None)
        profile.index = index
    return [years[y] for y in sorted(years)]


def _slot(profile: YearProfile, a: AggregateScore):
    if a.scope == Scope.INDEX:
        return profile.domains, "index"  # parked under a key no domain uses; moved to .index afterwards
    return (profile.domains if a.scope == Scope.DOMAIN else profile.aspects), a.number


def averages(
    framework: Framework, scope: str, number: int, years, *, province: Region | None = None
) -> dict[int, float]:
    """Mean effective value per year over kabupaten/kota (of one province if given)."""
    if summaries_ready(framework):
        return dict(
            AverageScore.objects.filter(
                framework=framework, scope=scope, number=number, year__in=list(years), province=province
            ).values_list("year", "value")
        )
    target = Target(scope, number, framework)
    regions = Region.objects.filter(type__in=LOCAL_TYPES)
    if province is not None:
        regions = regions.filter(province=province)
    wanted = set(regions.values_list("pk", flat=True))
    # All regions' values straight from the covering index, filtered here (an IN list of 500 ids is slower).
    values = {key: value for key, value in values_for(target, years).items() if key[0] in wanted}
    sums, counts = defaultdict(float), defaultdict(int)
    for (_region, year), value in values.items():
        sums[year] += value.value
        counts[year] += 1
    return {year: sums[year] / counts[year] for year in sums}


def aspect_averages(framework: Framework, year: int, *, province: Region | None = None) -> dict[int, float]:
    """Aspect number → mean value in one year (one query for all aspects)."""
    if summaries_ready(framework):
        return dict(
            AverageScore.objects.filter(
                framework=framework, scope=Scope.ASPECT, year=year, province=province
            ).values_list("number", "value")
        )
    regions = Region.objects.filter(type__in=LOCAL_TYPES)
    if province is not None:
        regions = regions.filter(province=province)
    rows = (
        AggregateScore.objects.filter(framework=framework, scope=Scope.ASPECT, year=year, region__in=regions)
        .exclude(origin=NOT_COMPARED)
        .values_list("region_id", "number", "value", "origin")
    )
    best = {}
    for region_id, number, value, origin in rows:
        key = (region_id, number)
        if key not in best or RANK[origin] < best[key][0]:
            best[key] = (RANK[origin], value)
    sums, counts = defaultdict(Decimal), defaultdict(int)
    for (_region, number), (_rank, value) in best.items():
        sums[number] += value
        counts[number] += 1
    return {n: float(sums[n] / counts[n]) for n in sums}


def dashboard_averages(framework: Framework, years, year: int, province: Region | None) -> tuple[dict, dict, dict]:
    """The national index per year, and the national and provincial aspect means in `year` (one query)."""
    if not summaries_ready(framework):
        return (
            averages(framework, "index", 0, years),
            aspect_averages(framework, year),
            aspect_averages(framework, year, province=province) if province else {},
        )
    wanted = Q(scope=Scope.INDEX, year__in=list(years), province=None) | Q(scope=Scope.ASPECT, year=year, province=None)
    if province is not None:
        wanted |= Q(scope=Scope.ASPECT, year=year, province=province)
    index, national, provincial = {}, {}, {}
    rows = AverageScore.objects.filter(wanted, framework=framework).values_list(
        "scope", "number", "year", "province_id", "value"
    )
    for scope, number, row_year, province_id, value in rows:
        if scope == Scope.INDEX:
            index[row_year] = value
        else:
            (national if province_id is None else provincial)[number] = value
    return index, national, provincial


@dataclass
class NextStep:
    indicator: Indicator
    level: int
    gain: Decimal  # index points a one-level step gives
    peers_made_step: int
    priority: float


def framework_indicators(framework: Framework) -> list[Indicator]:
    """The framework's indicators with their aspects (changes only with reference data: cached)."""
    return framework_taxonomy(framework).indicators


def _step_counts(framework: Framework, kinds: tuple[str, ...], from_year: int, to_year: int) -> dict:
    """indicator number → {level in from_year: how many regions of these kinds rose from it by to_year}.

    Counted by the database: from the precomputed ScoreChange rows when they hold these years, else with a
    correlated lookup on the unique (region, indicator, year) index, grouped.
    """
    if summaries_ready(framework) and (from_year, to_year) == default_years(Target("indicator", 1, framework)):
        rows = StepCount.objects.filter(
            framework=framework, region_types="-".join(kinds), from_year=from_year, to_year=to_year
        ).values_list("number", "start", "regions", "rose")
        counts, regions = defaultdict(dict), defaultdict(int)
        for number, start, at_start, rose in rows:
            regions[number] += at_start
            if rose:
                counts[number][start] = rose
        return {"regions": max(regions.values(), default=0), "counts": dict(counts)}
    before = IndicatorScore.objects.filter(
        region=OuterRef("region"), indicator=OuterRef("indicator"), year=from_year
    ).values("level")[:1]
    rows = (
        IndicatorScore.objects.filter(indicator__framework=framework, year=to_year, region__type__in=kinds)
        .annotate(start=Subquery(before))
        .filter(start__isnull=False, level__gt=F("start"))
        .values_list("indicator__number", "start")
        .annotate(rose=Count("pk"))
        .order_by()
    )
    counts = defaultdict(dict)
    for number, start, rose in rows:
        counts[number][start] = rose
    regions = (
        IndicatorScore.objects.filter(indicator__framework=framework, year=from_year, region__type__in=kinds)
        .values("region")
        .distinct()
        .count()
    )
    return {"regions": regions, "counts": dict(counts)}


def _window_start(framework: Framework, to_year: int) -> int:
    """The first year of the indicator comparison window that ends in `to_year` (the peer link's window, so the
    step counts are the peers a step links to)."""
    if summaries_ready(framework):
        summarised = default_years(Target("indicator", 1, framework))
        if summarised and summarised[1] == to_year:
            return summarised[0]
    years = cached(
        f"indicator-years:{framework.pk}",
        lambda: sorted(
            set(IndicatorScore.objects.filter(indicator__framework=framework).values_list("year", flat=True).distinct())
        ),
    )
    return (comparison_years({"imported": [y for y in years if y <= to_year]}) or (to_year, to_year))[0]


def what_to_learn_next(
    region: Region, framework: Framework, *, limit: int = 8, profile: list[YearProfile] | None = None
) -> list[NextStep]:
    """Indicators ranked by the index gain of one level more and by how many similar regions made that step."""
    mine_by_year = defaultdict(dict)
    if profile is not None:  # the dashboard already read the region's levels
        for year_profile in profile:
            if year_profile.indicators:
                mine_by_year[year_profile.year] = year_profile.indicators
    else:
        for year, number, level in IndicatorScore.objects.filter(
            region=region, indicator__framework=framework
        ).values_list("year", "indicator__number", "level"):
            mine_by_year[year][number] = level
    if not mine_by_year:
        return []
    to_year = max(mine_by_year)
    from_year = _window_start(framework, to_year)
    kinds = tuple(sorted(LOCAL_TYPES)) if region.type in LOCAL_TYPES else (region.type,)
    table = cached(
        f"step-counts:{framework.pk}:{'-'.join(kinds)}:{from_year}:{to_year}",
        lambda: _step_counts(framework, kinds, from_year, to_year),
    )
    weight_of = {i.number: i.weight for i in framework_taxonomy(framework).indicators}
    indicators = {i.number: i for i in framework_indicators(framework)}
    max_peers = max(1, table["regions"] - 1)
    mine, mine_before = mine_by_year[to_year], mine_by_year.get(from_year, {})
    steps = []
    for number, level in mine.items():
        if level >= 5:
            continue
        by_start = table["counts"].get(number, {})
        made = sum(by_start.get(start, 0) for start in (level - 1, level, level + 1))
        own_start = mine_before.get(number)
        if own_start is not None and abs(own_start - level) <= 1 and level > own_start:
            made -= 1  # the region itself is no peer
        gain = weight_of[number] / 100
        priority = float(gain) * (1 + made / max_peers * 10)
        steps.append(NextStep(indicators[number], level, gain, made, round(priority, 5)))
    steps.sort(key=lambda s: (-s.priority, s.indicator.number))
    return steps[:limit]


@dataclass
class Climber:
    region: Region
    before: Decimal
    after: Decimal
    origin: str = Origin.OFFICIAL
    is_demo: bool = False

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


def most_improved(
    framework: Framework,
    scope: str = "index",
    number: int = 0,
    *,
    years: tuple[int, int] | None = None,
    province: Region | None = None,
    region_type: str | None = None,
    official_only: bool | None = None,
    limit: int = 5,
) -> tuple[tuple[int, int] | None, list[Climber]]:
    """The kabupaten/kota whose value rose most between two years (by default the latest two official years).

    Index and domain lists compare official values only (like with like); aspect and indicator lists use
    whatever values exist (today: demo levels), and each climber says which.
    """
    if official_only is None:
        official_only = scope in ("index", "domain")
    target = Target(scope, number, framework)
    years = years or default_years(target)
    if years is None:
        return None, []
    regions = Region.objects.filter(type=region_type) if region_type else Region.objects.filter(type__in=LOCAL_TYPES)
    if province is not None:
        regions = regions.filter(province=province)
    values = values_for(target, years, region_ids=regions.values_list("pk", flat=True))
    if official_only:
        values = {key: value for key, value in values.items() if value.origin == Origin.OFFICIAL}
    risen = {
        region_id: (values[(region_id, years[0])], after)
        for (region_id, year), after in values.items()
        if year == years[1] and (region_id, years[0]) in values and after.value > values[(region_id, years[0])].value
    }
    ranked = sorted(risen.items(), key=lambda item: (item[1][0].value - item[1][1].value, item[0]))[:limit]
    by_id = Region.objects.in_bulk([region_id for region_id, _v in ranked])
    return years, [
        Climber(by_id[region_id], Decimal(str(before.value)), Decimal(str(after.value)), after.origin, after.is_demo)
        for region_id, (before, after) in ranked
    ]


def improvement_lists(framework: Framework, scope: str, number: int, *, province: Region | None = None) -> dict:
    """'Paling meningkat': all kabupaten/kota, kabupaten only and kota only (optionally within one province)."""
    years, overall = most_improved(framework, scope, number, province=province)
    return {
        "years": years,
        "all": overall,
        "kabupaten": most_improved(framework, scope, number, years=years, province=province, region_type="kabupaten")[1]
        if years
        else [],
        "kota": most_improved(framework, scope, number, years=years, province=province, region_type="kota")[1]
        if years
        else [],
        "province": province,
    }


def domains_and_aspects(framework: Framework):
    taxonomy = framework_taxonomy(framework)
    return taxonomy.domains, taxonomy.aspects


def climbers_context(framework: Framework, scope: str, number: int, province_code: str | None) -> dict:
    """Template context for the 'Paling meningkat' lists, with the province filter."""
    province = Region.objects.filter(code=province_code, type=Region.Type.PROVINSI).first() if province_code else None
    # Derived from scores only, so read once per data version (each list ranks every kabupaten/kota's values).
    lists = cached(
        f"improvement-lists:{framework.pk}:{scope}:{number}:{province.pk if province else ''}",
        lambda: improvement_lists(framework, scope, number, province=province),
    )
    return {
        "lists": lists,
        "provinces": Region.objects.filter(type=Region.Type.PROVINSI).order_by("name"),
        "climber_groups": [("all", _("Kabupaten/kota")), ("kabupaten", _("Kabupaten")), ("kota", _("Kota"))],
    }
