"""The official SPBE formula (PermenPANRB 59/2020, Lampiran §B.4), as pure functions.

aspect index  = Σ(NI × BI) / BA      (BI, BA, BD as fractions of the whole index)
domain index  = Σ(NA × BA) / BD
SPBE index    = Σ(ND × BD)

A value is computed only from complete data: an aspect needs all its indicators, a domain all its
aspects, the index all domains. Partial evaluations yield no number rather than a misleading one.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..models import Aspect, Domain, Framework, Indicator, Predicate

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Weights:
    """A framework's structure and weights, loaded once (a few dozen rows)."""

    indicator_weight: dict[int, Decimal]  # indicator number → % of index
    indicator_aspect: dict[int, int]  # indicator number → aspect number
    aspect_weight: dict[int, Decimal]
    aspect_domain: dict[int, int | None]
    domain_weight: dict[int, Decimal]
    predicates: list[tuple[Decimal, Decimal, str]] = field(default_factory=list)

    @classmethod
    def of(cls, framework: Framework) -> "Weights":
        indicators = Indicator.objects.filter(framework=framework).select_related("aspect")
        aspects = Aspect.objects.filter(framework=framework).select_related("domain")
        return cls(
            indicator_weight={i.number: i.weight for i in indicators},
            indicator_aspect={i.number: i.aspect.number for i in indicators},
            aspect_weight={a.number: a.weight for a in aspects},
            aspect_domain={a.number: a.domain.number if a.domain else None for a in aspects},
            domain_weight={d.number: d.weight for d in Domain.objects.filter(framework=framework)},
            predicates=[(p.min_value, p.max_value, p.name_id) for p in Predicate.objects.filter(framework=framework)],
        )

    def indicators_of_aspect(self, aspect: int) -> list[int]:
        return sorted(n for n, a in self.indicator_aspect.items() if a == aspect)

    def aspects_of_domain(self, domain: int) -> list[int]:
        return sorted(a for a, d in self.aspect_domain.items() if d == domain)

    def indicators_of_domain(self, domain: int) -> list[int]:
        aspects = set(self.aspects_of_domain(domain))
        return sorted(n for n, a in self.indicator_aspect.items() if a in aspects)

    def predicate(self, value) -> str:
        """The band name of an index value (bands are [min, max); the top band includes its max)."""
        value = Decimal(str(value))
        bands = sorted(self.predicates)
        for low, high, name in bands:
            if low <= value < high:
                return name
        return bands[-1][2] if bands and value == bands[-1][1] else ""


@dataclass
class Aggregates:
    aspects: dict[int, Decimal]
    domains: dict[int, Decimal]
    index: Decimal | None


def aggregate(levels: dict[int, int], weights: Weights) -> Aggregates:
    """Aspect, domain and index values from indicator levels (unrounded; round only for display)."""
    aspects = {}
    for aspect, aspect_weight in weights.aspect_weight.items():
        members = weights.indicators_of_aspect(aspect)
        if members and all(n in levels for n in members):
            aspects[aspect] = sum(Decimal(levels[n]) * weights.indicator_weight[n] for n in members) / aspect_weight
    domains = {}
    for domain, domain_weight in weights.domain_weight.items():
        members = weights.aspects_of_domain(domain)
        if members and all(a in aspects for a in members):
            domains[domain] = sum(aspects[a] * weights.aspect_weight[a] for a in members) / domain_weight
    if weights.domain_weight:
        complete = len(domains) == len(weights.domain_weight)
        index = sum(domains[d] * weights.domain_weight[d] for d in domains) / 100 if complete else None
    else:  # a framework without domains (e.g. Pemdi): the index weighs aspects directly
        complete = len(aspects) == len(weights.aspect_weight)
        index = sum(aspects[a] * weights.aspect_weight[a] for a in aspects) / 100 if complete else None
    return Aggregates(aspects=aspects, domains=domains, index=index)


def index_from_domains(domains: dict[int, Decimal], weights: Weights) -> Decimal:
    return sum(Decimal(str(domains[d])) * weights.domain_weight[d] for d in weights.domain_weight) / 100


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
