"""The peer link: which regions improved where a region is weak, ranked, with the evidence and a reason (reads
only). Targets, values, comparison years and the claim-verification rule come from casestudies.scores.

Documented in docs/peer-link.md; the ranking weights are the LIVINGLAB_PEER_WEIGHTS setting.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import translation

from cms.data_version import cached, prime
from cms.page_urls import relative_url, site_roots

from .models import CaseStudyIndicator, Region, Replication, ScoreChange
from .scores.claims import attach_region_codes
from .scores.summary_state import summaries_ready
from .scores.targets import LOCAL_TYPES, Target
from .scores.values import default_years, values_for
from .selectors import case_studies_public


@dataclass
class Evidence:
    title: str
    url: str
    verified: bool
    is_demo: bool
    replications: int = 0  # regions that apply it (under way or done)


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
    replicated = dict(
        Replication.objects.filter(case_study_id__in=pages, status__in=Replication.REPLICATING)
        .values("case_study_id")
        .annotate(n=Count("pk"))
        .values_list("case_study_id", "n")
    )
    result = {}
    for target, numbers in numbers_of.items():
        verified_by_page = defaultdict(bool)
        for page_id, number, verified in claims:
            if number in numbers and page_id in pages:
                verified_by_page[page_id] |= verified
        by_region = defaultdict(list)
        for page_id, verified in verified_by_page.items():
            page = pages[page_id]
            by_region[page.region_code].append(
                Evidence(page.title, urls[page_id], verified, page.is_demo, replicated.get(page_id, 0))
            )
        for items in by_region.values():
            items.sort(key=lambda e: (not e.verified, e.title))
        result[target] = dict(by_region)
    return result


def evidence_key(target: Target) -> str:
    return f"evidence:{target.framework.pk}:{target.scope}:{target.number}"


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
