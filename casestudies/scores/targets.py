"""What is compared: a framework's taxonomy (domains, aspects, indicators, read once per data version), the
targets built on it (the index, a domain, an aspect or an indicator) and the regions compared together.

The taxonomy is shared by the dashboard, the peer labels and 'what to learn next'. Editing it renews the data
version (signal_handlers).
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from cms.data_version import cached

from ..models import Aspect, Domain, Framework, Indicator, Region

# Kabupaten and kota are compared together (and averaged together); provinces only with provinces.
LOCAL_TYPES = {Region.Type.KABUPATEN, Region.Type.KOTA}


def region_types_key(region_type: str) -> str:
    """The group of regions a region is compared with: kabupaten and kota together, provinces apart."""
    return "-".join(sorted(LOCAL_TYPES)) if region_type in LOCAL_TYPES else region_type


# ---------------------------------------------------------------- the taxonomy


@dataclass(frozen=True)
class Taxonomy:
    domains: list[Domain]
    aspects: list[Aspect]
    indicators: list[Indicator]  # with .aspect and .aspect.domain loaded


def framework_taxonomy(framework: Framework) -> Taxonomy:
    return cached(f"taxonomy:{framework.pk}", lambda: _read(framework))


def current_aspect(number: int) -> Aspect | None:
    """Aspect `number` of the current framework, from the cached taxonomy (no query once it is read)."""
    taxonomy = cached("taxonomy:current", _read_current)
    return next((a for a in taxonomy.aspects if a.number == number), None) if taxonomy else None


def _read_current() -> Taxonomy | None:
    framework = Framework.current()
    return _read(framework) if framework else None


def _read(framework: Framework) -> Taxonomy:
    return Taxonomy(
        domains=list(Domain.objects.filter(framework=framework)),
        aspects=list(Aspect.objects.filter(framework=framework).select_related("domain")),
        indicators=list(Indicator.objects.filter(framework=framework).select_related("aspect__domain")),
    )


# ---------------------------------------------------------------- targets


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


def all_targets(framework: Framework) -> list[Target]:
    """Every target of a framework: the index, then its domains, aspects and indicators by number."""
    found = [Target("index", 0, framework)]
    for scope, model in (("domain", Domain), ("aspect", Aspect), ("indicator", Indicator)):
        numbers = model.objects.filter(framework=framework).order_by("number").values_list("number", flat=True)
        found += [Target(scope, number, framework) for number in numbers]
    return found


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
