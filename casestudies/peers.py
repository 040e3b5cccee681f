"""The peer link: which regions improved where a region is weak, with the evidence (reads only).

Documented in docs/peer-link.md; the ranking weights are the LIVINGLAB_PEER_WEIGHTS setting.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.formats import number_format

from .models import (
    AggregateScore,
    Aspect,
    CaseStudyIndicator,
    CaseStudyPage,
    Domain,
    Framework,
    Indicator,
    IndicatorScore,
    Region,
)
from .models.scores import ORIGIN_PRECEDENCE
from .selectors import with_region

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
        if self.scope == "index":
            return "Indeks SPBE" if lang == "id" else "the SPBE index"
        model = {"domain": Domain, "aspect": Aspect, "indicator": Indicator}[self.scope]
        obj = model.objects.get(framework=self.framework, number=self.number)
        name = obj.name_en if lang == "en" and obj.name_en else obj.name_id
        word = {"domain": ("Domain", "Domain"), "aspect": ("Aspek", "Aspect"), "indicator": ("Indikator", "Indicator")}
        prefix = word[self.scope][0 if lang == "id" else 1]
        return f"{prefix} {name}" if self.scope != "indicator" else f"{prefix} {self.number} ({name})"

    def indicator_numbers(self) -> list[int]:
        qs = Indicator.objects.filter(framework=self.framework)
        if self.scope == "indicator":
            qs = qs.filter(number=self.number)
        elif self.scope == "aspect":
            qs = qs.filter(aspect__number=self.number)
        elif self.scope == "domain":
            qs = qs.filter(aspect__domain__number=self.number)
        return list(qs.values_list("number", flat=True))


@dataclass
class Value:
    value: Decimal
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
            (r, y): Value(Decimal(level), "imported", demo)
            for r, y, level, demo in qs.values_list("region_id", "year", "level", "is_demo")
        }
    qs = AggregateScore.objects.filter(
        framework=target.framework, scope=target.scope, number=target.number, year__in=list(years)
    )
    if region_ids is not None:
        qs = qs.filter(region_id__in=list(region_ids))
    best: dict[tuple[int, int], tuple[int, Value]] = {}
    rank = {origin: i for i, origin in enumerate(ORIGIN_PRECEDENCE)}
    for region_id, year, value, origin, demo in qs.values_list("region_id", "year", "value", "origin", "is_demo"):
        key = (region_id, year)
        if key not in best or rank[origin] < best[key][0]:
            best[key] = (rank[origin], Value(value, origin, demo))
    return {key: value for key, (_rank, value) in best.items()}


def years_with_data(target: Target) -> list[int]:
    if target.scope == "indicator":
        qs = IndicatorScore.objects.filter(indicator__framework=target.framework, indicator__number=target.number)
    else:
        qs = AggregateScore.objects.filter(framework=target.framework, scope=target.scope, number=target.number)
    return sorted(set(qs.values_list("year", flat=True).distinct()))


def default_years(target: Target) -> tuple[int, int] | None:
    """The latest year with data, and the earliest year within the configured window before it."""
    years = years_with_data(target)
    if len(years) < 2:
        return None
    to_year = years[-1]
    window = getattr(settings, "LIVINGLAB_PEER_WINDOW_YEARS", 2)
    from_year = min(y for y in years if y >= to_year - window and y != to_year) if len(years) > 1 else years[0]
    return from_year, to_year


# ---------------------------------------------------------------- ranking


def peers_for(
    region: Region, target: Target, *, from_year: int | None = None, to_year: int | None = None, limit: int = 10
) -> list[Peer]:
    """Regions that improved on `target` between two evaluations, best lessons for `region` first."""
    if from_year is None or to_year is None:
        years = default_years(target)
        if years is None:
            return []
        from_year, to_year = from_year or years[0], to_year or years[1]
    values = values_for(target, (from_year, to_year))
    mine = values.get((region.pk, to_year)) or values.get((region.pk, from_year))
    if mine is None:
        return []
    weights = settings.LIVINGLAB_PEER_WEIGHTS
    peers = []
    candidates = {r for (r, _y) in values} - {region.pk}
    regions = Region.objects.in_bulk(candidates)
    for region_id in candidates:
        before, after = values.get((region_id, from_year)), values.get((region_id, to_year))
        if before is None or after is None or after.value <= before.value:
            continue
        peers.append(
            Peer(
                region=regions[region_id],
                before=before.value,
                after=after.value,
                from_year=from_year,
                to_year=to_year,
                origin=after.origin if after.origin == before.origin else f"{before.origin}→{after.origin}",
                is_demo=before.is_demo or after.is_demo,
                start_gap=abs(before.value - mine.value),
            )
        )
    _attach_evidence(peers, target)
    for peer in peers:
        peer.score = _score(peer, region, weights)
    peers.sort(key=lambda p: (not p.has_evidence, -p.score, -p.delta, p.region.code))
    peers = peers[:limit]
    for peer in peers:
        peer.reason_id, peer.reason_en = reasons(peer, target)
    return peers


def _score(peer: Peer, region: Region, weights: dict) -> float:
    components = {
        "gain": min(float(peer.delta) / 4, 1.0),
        "similar_start": 1 - min(float(peer.start_gap), 4.0) / 4,
        "current": (float(peer.after) - 1) / 4,
        "same_type": 1.0
        if peer.region.type == region.type
        else 0.5
        if {peer.region.type, region.type} <= LOCAL_TYPES
        else 0.0,
        "verified": 1.0 if any(cs.verified for cs in peer.case_studies) else 0.0,
    }
    total = sum(weights.values()) or 1
    return round(sum(weights.get(k, 0) * v for k, v in components.items()) / total, 4)


def _attach_evidence(peers: list[Peer], target: Target) -> None:
    """Each peer's live case studies tagged with an indicator of the target, verified claims first."""
    if not peers:
        return
    numbers = target.indicator_numbers()
    by_code = {p.region.code: p for p in peers}
    claims = CaseStudyIndicator.objects.filter(indicator__number__in=numbers, indicator__framework=target.framework)
    pages = (
        with_region(CaseStudyPage.objects.live().public())
        .filter(
            indicator_claims__indicator__number__in=numbers, indicator_claims__indicator__framework=target.framework
        )
        .distinct()
        .prefetch_related(
            Prefetch("indicator_claims", queryset=claims.select_related("indicator"), to_attr="target_claims")
        )
    )
    pages = [p for p in pages if p.region_code in by_code]
    verified = verified_claims([c for p in pages for c in p.target_claims], {p.pk: p for p in pages})
    for page in pages:
        is_verified = any(verified.get(c.pk) for c in page.target_claims)
        by_code[page.region_code].case_studies.append(Evidence(page.title, page.url, is_verified, page.is_demo))
    for peer in peers:
        peer.case_studies.sort(key=lambda e: (not e.verified, e.title))


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
    with translation.override(lang):
        return number_format(
            Decimal(value).quantize(Decimal("0.01")), decimal_pos=2 if Decimal(value) % 1 else 0, use_l10n=True
        )


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
