"""A framework's domains, aspects and indicators, read once per data version (three queries) and shared by the
dashboard, the peer labels and 'what to learn next'. Editing the taxonomy renews the data version
(signal_handlers)."""

from dataclasses import dataclass

from cms.data_version import cached

from .models import Aspect, Domain, Framework, Indicator


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
