"""The peer link: which regions improved where a region is weak, with the evidence (reads only).

Documented in docs/peer-link.md; the ranking weights are the LIVINGLAB_PEER_WEIGHTS setting.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from types import SimpleNamespace

from django.conf import settings
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import translation

from cms.data_version import cached, prime
from cms.page_urls import relative_url, site_roots

from .claims import attach_region_codes
from .models import (
    AggregateScore,
    CaseStudyIndicator,
    CaseStudyPage,
    Framework,
    IndicatorScore,
    Region,
    ScoreChange,
)
from .models.scores import ORIGIN_PRECEDENCE
from .selectors import case_studies_public
from .taxonomy_reads import framework_taxonomy

LOCAL_TYPES = {Region.Type.KABUPATEN, Region.Type.KOTA}


@dataclass(frozen=True)
class Target:
    """What is compared: an index, a domain, an aspect or an indicator of a framework."""

    scope: str  # "index" | "domain" | "aspect" | "indicator"
    number: int
    framework: Framework

    @cached_property
    def label_id(self) -> str:
        return self._label("id")

    @cached_property
    def label_en(self) -> str:
        return self._label("en")

    def _label(self, lang: str) -> str:
        return _targets_of(self.framework)["labels"][(self.scope, self.number, lang)]

    def indicator_numbers(self) -> list[int]:
        return _targets_of(self.framework)["indicators"].get((self.scope, self.number), [])


def _targets_of(framework: Framework) -> dict:
    """Labels (Indonesian, English) and indicator numbers of every target of a framework: three queries, cached."""
    return cached(f"targets:{framework.pk}", lambda: _read_targets(framework))


def _read_targets(framework: Framework) -> dict:
    words = {"domain": ("Domain", "Domain"), "aspect": ("Aspek", "Aspect"), "indicator": ("Indikator", "Indicator")}
    labels = {("index", 0, "id"): "Indeks SPBE", ("index", 0, "en"): "the SPBE index"}
    indicators = defaultdict(list)
    taxonomy = framework_taxonomy(framework)
    for scope, objects in (
        ("domain", taxonomy.domains),
        ("aspect", taxonomy.aspects),
        ("indicator", taxonomy.indicators),
    ):
        for obj in objects:
            for lang, word in zip(("id", "en"), words[scope], strict=True):
                name = obj.name_en if lang == "en" and obj.name_en else obj.name_id
                label = f"{word} {obj.number} ({name})" if scope == "indicator" else f"{word} {name}"
                labels[(scope, obj.number, lang)] = label
    for indicator in sorted(taxonomy.indicators, key=lambda i: i.number):
        number, aspect = indicator.number, indicator.aspect
        indicators[("indicator", number)].append(number)
        indicators[("aspect", aspect.number)].append(number)
        indicators[("domain", aspect.domain.number if aspect.domain else None)].append(number)
        indicators[("index", 0)].append(number)
    return {"labels": labels, "indicators": dict(indicators)}


@dataclass
class Value:
    value: float
    origin: str
    is_demo: bool


@dataclass
class Evidence:
    title: str
    url: str
    verified: bool
    is_demo: bool


@dataclass
class Peer:
    region: Region
    before: Decimal
    after: Decimal
    from_year: int
    to_year: int
    origin: str
    is_demo: bool
    start_gap: Decimal
    score: float = 0.0
    case_studies: list[Evidence] = field(default_factory=list)
    reason_id: str = ""
    reason_en: str = ""

    @property
    def delta(self) -> Decimal:
        return self.after - self.before

    @property
    def has_evidence(self) -> bool:
        return bool(self.case_studies)

    @property
    def reason(self) -> str:
        return self.reason_en if (translation.get_language() or "id").startswith("en") else self.reason_id


# ---------------------------------------------------------------- values


def values_for(target: Target, years, region_ids=None) -> dict[tuple[int, int], Value]:
    """(region id, year) → the value that counts: official, else imported, else computed from levels."""
    if target.scope == "indicator":
        qs = IndicatorScore.objects.filter(indicator__framework=target.framework, indicator__number=target.number)
        qs = qs.filter(year__in=list(years))
        if region_ids is not None:
            qs = qs.filter(region_id__in=list(region_ids))
        return {
            (r, y): Value(float(level), "imported", demo)
            for r, y, level, demo in qs.values_list("region_id", "year", "level", "is_demo")
        }
    qs = AggregateScore.objects.filter(
        scope=target.scope, number=target.number, year__in=list(years), framework=target.framework
    )
    if region_ids is not None:
        qs = qs.filter(region_id__in=list(region_ids))
    best: dict[tuple[int, int], tuple[int, Value]] = {}
    rank = {origin: i for i, origin in enumerate(ORIGIN_PRECEDENCE)}
    # Values as floats straight from the covering index (no Decimal conversion per row); rounded for display.
    rows = qs.annotate(v=Cast("value", FloatField())).values_list("region_id", "year", "v", "origin", "is_demo")
    for region_id, year, value, origin, demo in rows:
        key = (region_id, year)
        if key not in best or rank[origin] < best[key][0]:
            best[key] = (rank[origin], Value(value, origin, demo))
    return {key: value for key, (_rank, value) in best.items()}


def _years_by_origin(target: Target) -> dict[str, list[int]]:
    """origin → sorted years with values for the target (one indexed query)."""
    if target.scope == "indicator":
        years = IndicatorScore.objects.filter(indicator__framework=target.framework, indicator__number=target.number)
        return {"imported": sorted(set(years.values_list("year", flat=True).distinct()))}
    rows = (
        AggregateScore.objects.filter(scope=target.scope, number=target.number, framework=target.framework)
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
    from .score_summaries import summarised_years

    summarised = summarised_years(target.framework)
    if summarised is not None:
        return summarised.get(f"{target.scope}:{target.number}")
    by_origin = cached(f"years:{target.framework.pk}:{target.scope}:{target.number}", lambda: _years_by_origin(target))
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


# ---------------------------------------------------------------- ranking


@dataclass
class _Candidate:
    region_id: int
    code: str
    type: str
    name: str
    before: float
    after: float
    origin: str
    is_demo: bool
    start_gap: float
    case_studies: list[Evidence]
    score: float = 0.0

    @property
    def delta(self) -> float:
        return self.after - self.before


def _improvers(target: Target, from_year: int, to_year: int) -> dict:
    """The same for every region asking: all values of the two years, and who rose (with code and type)."""
    from .score_summaries import summaries_ready

    if summaries_ready(target.framework) and (from_year, to_year) == default_years(target):
        return _improvers_from_summary(target, from_year, to_year)
    values = values_for(target, (from_year, to_year))
    risen = [
        region_id
        for (region_id, year), after in values.items()
        if year == to_year and (region_id, from_year) in values and after.value > values[(region_id, from_year)].value
    ]
    info = {
        pk: (code, kind, name)
        for pk, code, kind, name in Region.objects.filter(pk__in=risen).values_list("pk", "code", "type", "name")
    }
    # Plain tuples of numbers and strings: this is cached and read on every request, so it must unpickle fast.
    regions = {r for r, _year in values}
    return {
        "values": {
            r: (
                values[(r, from_year)].value if (r, from_year) in values else None,
                values[(r, to_year)].value if (r, to_year) in values else None,
            )
            for r in regions
        },
        "improved": [
            (
                r,
                *info[r],
                values[(r, from_year)].value,
                values[(r, to_year)].value,
                values[(r, from_year)].origin,
                values[(r, to_year)].origin,
                values[(r, from_year)].is_demo or values[(r, to_year)].is_demo,
            )
            for r in sorted(risen)
        ],
    }


def _improvers_from_summary(target: Target, from_year: int, to_year: int) -> dict:
    """_improvers read from the precomputed ScoreChange rows (one query)."""
    return _improvers_from_summaries({target: (from_year, to_year)})[target]


def _score_changes_of(years_by_target: dict[Target, tuple[int, int]]):
    """The ScoreChange rows of several targets, each in its own comparison years (one framework)."""
    wanted = Q()
    for target, (from_year, to_year) in years_by_target.items():
        wanted |= Q(scope=target.scope, number=target.number, from_year=from_year, to_year=to_year)
    return ScoreChange.objects.filter(wanted, framework=next(iter(years_by_target)).framework)


def _improvers_from_summaries(years_by_target: dict[Target, tuple[int, int]]) -> dict[Target, dict]:
    """_improvers of several targets from the ScoreChange rows, in one query."""
    changes = _score_changes_of(years_by_target)
    # Only the regions that rose; the asking region's own values are read apart (_own).
    rows = changes.filter(after__gt=F("before")).values_list(
        "scope",
        "number",
        "region_id",
        "region__code",
        "region__type",
        "region__name",
        "before",
        "after",
        "before_origin",
        "after_origin",
        "is_demo",
    )
    tables = {(t.scope, t.number): {"values": {}, "improved": [], "risers_only": True} for t in years_by_target}
    for scope, number, region_id, code, kind, name, before, after, before_origin, after_origin, demo in rows:
        table = tables[(scope, number)]
        table["values"][region_id] = (before, after)
        if before is not None and after is not None and after > before:
            table["improved"].append((region_id, code, kind, name, before, after, before_origin, after_origin, demo))
    for table in tables.values():
        table["improved"].sort()
    return {target: tables[(target.scope, target.number)] for target in years_by_target}


def improvers_key(target: Target, from_year: int, to_year: int) -> str:
    return f"improvers:{target.framework.pk}:{target.scope}:{target.number}:{from_year}:{to_year}"


def _own_key(target: Target, from_year: int, to_year: int, region: Region) -> str:
    return f"own-{improvers_key(target, from_year, to_year)}:{region.pk}"


def _own(years_by_target: dict[Target, tuple[int, int]], region: Region) -> dict[Target, tuple | None]:
    """A region's (before, after) for several targets from the ScoreChange rows, in one query."""
    changes = _score_changes_of(years_by_target)
    rows = changes.filter(region=region)
    found = {(s, n): (b, a) for s, n, b, a in rows.values_list("scope", "number", "before", "after")}
    return {target: found.get((target.scope, target.number)) for target in years_by_target}


def prime_peer_tables(targets: list[Target], region: Region) -> None:
    """Read the peer tables, the region's own values and the evidence of several targets together where they are
    not cached yet (the dashboard asks for four): three passes instead of four of each."""
    from .score_summaries import summaries_ready

    if targets and summaries_ready(targets[0].framework):
        years = {t: default_years(t) for t in targets}
        years = {t: y for t, y in years.items() if y is not None}
        if years:
            prime(
                {improvers_key(t, *y): t for t, y in years.items()},
                lambda missing: _improvers_from_summaries({t: years[t] for t in missing}),
            )
            prime(
                {_own_key(t, *y, region): t for t, y in years.items()},
                lambda missing: _own({t: years[t] for t in missing}, region),
            )
    prime({evidence_key(t): t for t in targets}, evidence_for_targets)


def peers_for(
    region: Region, target: Target, *, from_year: int | None = None, to_year: int | None = None, limit: int = 10
) -> list[Peer]:
    """Regions that improved on `target` between two evaluations, best lessons for `region` first."""
    if from_year is None or to_year is None:
        years = default_years(target)
        if years is None:
            return []
        from_year, to_year = from_year or years[0], to_year or years[1]
    table = cached(improvers_key(target, from_year, to_year), lambda: _improvers(target, from_year, to_year))
    own = table["values"].get(region.pk)
    if own is None and table.get("risers_only"):
        own = cached(
            _own_key(target, from_year, to_year, region), lambda: _own({target: (from_year, to_year)}, region)[target]
        )
    mine_before, mine_after = own or (None, None)
    mine = mine_after if mine_after is not None else mine_before
    if mine is None:
        return []
    improved = [row for row in table["improved"] if row[0] != region.pk]
    if not improved:
        return []
    evidence = cached(evidence_key(target), lambda: evidence_for(target))
    weights = settings.LIVINGLAB_PEER_WEIGHTS
    # Peers with evidence rank before all others, so when there are enough of them the rest need no score.
    with_evidence = [row for row in improved if row[1] in evidence]
    if len(with_evidence) >= limit:
        improved = with_evidence
    candidates = []
    for region_id, code, kind, name, before, after, before_origin, after_origin, demo in improved:
        origin = after_origin if after_origin == before_origin else f"{before_origin}→{after_origin}"
        candidate = _Candidate(
            region_id, code, kind, name, before, after, origin, demo, abs(before - mine), evidence.get(code, [])
        )
        candidate.score = _score(candidate, region, weights)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (not c.case_studies, -c.score, -c.delta, c.code))
    chosen = candidates[:limit]
    peers = []
    for c in chosen:
        peer = Peer(
            region=Region(pk=c.region_id, code=c.code, type=c.type, name=c.name),  # from the cached table, no query
            before=_decimal(c.before),
            after=_decimal(c.after),
            from_year=from_year,
            to_year=to_year,
            origin=c.origin,
            is_demo=c.is_demo,
            start_gap=_decimal(c.start_gap),
            score=c.score,
            case_studies=c.case_studies,
        )
        peer.reason_id, peer.reason_en = reasons(peer, target)
        peers.append(peer)
    return peers


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def _score(candidate: _Candidate, region: Region, weights: dict) -> float:
    """The weighted mean of docs/peer-link.md (called for every rising region: plain arithmetic, no dicts)."""
    if candidate.type == region.type:
        same_type = 1.0
    elif candidate.type in LOCAL_TYPES and region.type in LOCAL_TYPES:
        same_type = 0.5
    else:
        same_type = 0.0
    verified = 1.0 if any(cs.verified for cs in candidate.case_studies) else 0.0
    total = (
        weights.get("gain", 0) * min(candidate.delta / 4, 1.0)
        + weights.get("similar_start", 0) * (1 - min(candidate.start_gap, 4.0) / 4)
        + weights.get("current", 0) * (candidate.after - 1) / 4
        + weights.get("same_type", 0) * same_type
        + weights.get("verified", 0) * verified
    )
    return round(total / (sum(weights.values()) or 1), 4)


def evidence_for(target: Target, *, region_codes=None) -> dict[str, list[Evidence]]:
    """Region code → its public case studies tagged with an indicator of the target, verified claims first."""
    return evidence_for_targets([target], region_codes=region_codes)[target]


def evidence_for_targets(targets: list[Target], *, region_codes=None) -> dict[Target, dict[str, list[Evidence]]]:
    """evidence_for of several targets of one framework, read together (three queries in all)."""
    numbers_of = {target: set(target.indicator_numbers()) for target in targets}
    claims = list(
        CaseStudyIndicator.objects.filter(
            indicator__framework=targets[0].framework,
            indicator__number__in=set().union(*numbers_of.values()),
            page__live=True,
        ).values_list("page_id", "indicator__number", "verified")
    )
    pages = {
        pk: SimpleNamespace(title=title, path=path, url_path=url_path, is_demo=is_demo)  # plain rows: no page models
        for pk, title, path, url_path, is_demo in case_studies_public()
        .filter(pk__in={page_id for page_id, _n, _v in claims})
        .values_list("pk", "title", "path", "url_path", "is_demo")
    }
    attach_region_codes(pages.values())
    if region_codes is not None:
        pages = {pk: p for pk, p in pages.items() if p.region_code in region_codes}
    roots = site_roots()
    urls = {pk: relative_url(page.url_path, roots) for pk, page in pages.items()}
    result = {}
    for target, numbers in numbers_of.items():
        verified_by_page = defaultdict(bool)
        for page_id, number, verified in claims:
            if number in numbers and page_id in pages:
                verified_by_page[page_id] |= verified
        by_region = defaultdict(list)
        for page_id, verified in verified_by_page.items():
            page = pages[page_id]
            by_region[page.region_code].append(Evidence(page.title, urls[page_id], verified, page.is_demo))
        for items in by_region.values():
            items.sort(key=lambda e: (not e.verified, e.title))
        result[target] = dict(by_region)
    return result


def evidence_key(target: Target) -> str:
    return f"evidence:{target.framework.pk}:{target.scope}:{target.number}"


# ---------------------------------------------------------------- verification


def verified_claims(claims, pages_by_id: dict[int, CaseStudyPage]) -> dict[int, bool]:
    """claim id → True when the region's scores for that indicator moved the way the claim says over the period.

    The period runs from the last evaluation at or before the case study's start year to the last one at or
    before its end year (or the latest). Claims without both levels are not checked (False: self-reported).
    """
    claims = [c for c in claims if c.level_before is not None and c.level_after is not None]
    if not claims:
        return {}
    region_of_page = {pid: p.region_code for pid, p in pages_by_id.items()}
    codes = set(region_of_page.values())
    scores = defaultdict(dict)
    rows = IndicatorScore.objects.filter(
        region__code__in=codes, indicator_id__in={c.indicator_id for c in claims}
    ).values_list("region__code", "indicator_id", "year", "level")
    for code, indicator_id, year, level in rows:
        scores[(code, indicator_id)][year] = level
    result = {}
    for claim in claims:
        page = pages_by_id[claim.page_id]
        series = scores.get((region_of_page[claim.page_id], claim.indicator_id), {})
        result[claim.pk] = claim_is_verified(claim, page.year_start, page.year_end, series)
    return result


def claim_is_verified(claim, year_start: int, year_end: int | None, series: dict[int, int]) -> bool:
    direction = (claim.level_after > claim.level_before) - (claim.level_after < claim.level_before)
    if direction == 0 or not series:
        return False
    years = sorted(series)
    starts = [y for y in years if y <= year_start] or years[:1]
    y1 = starts[-1]
    ends = [y for y in years if y > y1 and (year_end is None or y <= max(year_end, y1 + 1))]
    if not ends:
        return False
    y2 = ends[-1]
    moved = (series[y2] > series[y1]) - (series[y2] < series[y1])
    return moved == direction


# ---------------------------------------------------------------- reasons


def _number(value: Decimal, lang: str) -> str:
    """Up to two decimals, trailing zeros dropped, in the language's notation: 3,5 / 3.5; 4,33 / 4.33; 3.

    Values are 0–5 with no thousands, so the decimal mark is the only difference between the languages.
    """
    text = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return text.replace(".", ",") if lang == "id" else text


def reasons(peer: Peer, target: Target) -> tuple[str, str]:
    """One sentence in Indonesian and in English, e.g. 'Kab. X naik dari 1,8 ke 3,1 pada Aspek … (2021→2023); 2 praktik baik'."""
    count = len(peer.case_studies)
    years = f"{peer.from_year}→{peer.to_year}"
    before_id, after_id = _number(peer.before, "id"), _number(peer.after, "id")
    before_en, after_en = _number(peer.before, "en"), _number(peer.after, "en")
    evidence_id = f"{count} praktik baik" if count else "belum ada praktik baik"
    evidence_en = (f"{count} good practice" + ("s" if count != 1 else "")) if count else "no good practice yet"
    name = peer.region.short_name
    reason_id = f"{name} naik dari {before_id} ke {after_id} pada {target.label_id} ({years}); {evidence_id}"
    reason_en = f"{name} rose from {before_en} to {after_en} on {target.label_en} ({years}); {evidence_en}"
    return reason_id, reason_en
