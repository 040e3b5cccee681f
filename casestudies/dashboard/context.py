"""The region dashboard's conductor: its data (score selectors and the peer link) and its charts, as the
template context. The chart builders it uses: casestudies.dashboard.charts and casestudies.dashboard.heatmap.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.data_version import cached

from ..models import Aspect, Domain, Framework, Indicator, Origin, Region
from ..peers import peers_for, prime_peer_tables
from ..scores.selectors import (
    ScoreValue,
    dashboard_averages,
    domains_and_aspects,
    framework_indicators,
    region_profile,
    what_to_learn_next,
)
from ..scores.targets import Target
from .charts import BarGroup, Series, bar_chart, line_chart
from .heatmap import heatmap


@dataclass
class WeakAspect:
    aspect: Aspect
    value: ScoreValue
    national: float | None
    peers: list


@dataclass
class WeakDomain:
    domain: Domain
    value: ScoreValue
    peers: list


def dashboard_page(region: Region, framework: Framework, *, indicator: int | None, explorer_url: str | None) -> dict:
    """The whole dashboard page's context: `region_dashboard`, its three charts once there are scores, and, with
    `indicator` (`?indikator=N`, linked from 'what to learn next'), the peers that rose on that indicator."""
    context = region_dashboard(region, framework)
    context["indicator_peers"] = _indicator_peers(region, framework, indicator)
    if context["latest"] is not None:
        context["index_chart"] = index_chart(context)
        context["aspect_chart"] = aspect_chart(context) if context["latest"].aspects else None
        context["heatmap"] = indicator_heatmap(context, explorer_url)
    return context


def _indicator_peers(region: Region, framework: Framework, number: int | None) -> dict | None:
    indicator = Indicator.objects.filter(framework=framework, number=number).first() if number else None
    if indicator is None:
        return None
    return {
        "indicator": indicator,
        "peers": peers_for(region, Target("indicator", indicator.number, framework), limit=5),
    }


def region_dashboard(region: Region, framework: Framework, *, peers_per_aspect: int = 3) -> dict:
    """Everything the region dashboard shows (its charts are built from this: index_chart, aspect_chart,
    indicator_heatmap)."""
    profile = region_profile(region, framework)
    domains, aspects = domains_and_aspects(framework)
    latest = next((p for p in reversed(profile) if p.index or p.aspects), None)
    context = {
        "region": region,
        "framework": framework,
        "profile": profile,
        "latest": latest,
        "domains": domains,
        "aspects": aspects,
        "indicators": framework_indicators(framework),
        "has_demo": any(
            p.indicators_demo or (p.index and p.index.is_demo) or any(v.is_demo for v in p.aspects.values())
            for p in profile
        ),
        "has_official": any(p.index and p.index.is_official for p in profile),
    }
    if latest is None:
        return {**context, "weak_aspects": [], "next_steps": [], "national_aspects": {}, "province_aspects": {}}
    years = [p.year for p in profile]
    key = f"{framework.pk}:{latest.year}"
    context["national_index"], context["national_aspects"], context["province_aspects"] = cached(
        f"dashboard-averages:{key}:{'-'.join(map(str, years))}:{region.province_id}",
        lambda: dashboard_averages(framework, years, latest.year, region.province),
    )
    weakest = sorted(latest.aspects.items(), key=lambda item: (item[1].value, item[0]))[:3]
    weakest_domain = min(latest.domains.items(), key=lambda item: (item[1].value, item[0])) if latest.domains else None
    prime_peer_tables(
        [Target("aspect", number, framework) for number, _v in weakest]
        + ([Target("domain", weakest_domain[0], framework)] if weakest_domain else []),
        region,
    )
    by_number = {a.number: a for a in aspects}
    context["weak_aspects"] = [
        WeakAspect(
            aspect=by_number[number],
            value=value,
            national=context["national_aspects"].get(number),
            peers=peers_for(region, Target("aspect", number, framework), limit=peers_per_aspect),
        )
        for number, value in weakest
    ]
    context["next_steps"] = what_to_learn_next(region, framework, limit=6, profile=profile)
    if weakest_domain:
        number, value = weakest_domain
        context["weak_domain"] = WeakDomain(
            domain=next(d for d in domains if d.number == number),
            value=value,
            peers=peers_for(region, Target("domain", number, framework), limit=peers_per_aspect),
        )
    return context


# ---------------------------------------------------------------- charts (Indonesian/English labels)


def index_chart(context: dict) -> dict:
    region = context["region"]
    official, other, self_assessed = [], [], []
    for p in context["profile"]:
        if p.index is None:
            continue
        if p.index.is_official:
            official.append((p.year, float(p.index.value)))
        else:
            (self_assessed if p.index.origin == Origin.SELF_ASSESSED else other).append((p.year, float(p.index.value)))
    series = []
    if official:
        series.append(Series(_("Data resmi KemenPANRB"), official, "official"))
    if other:
        label = _("Data contoh (dihitung)") if context["has_demo"] else _("Dihitung dari tingkat indikator")
        series.append(Series(label, other, "demo" if context["has_demo"] else "official"))
    if self_assessed:
        series.append(Series(_("Penilaian mandiri"), self_assessed, "demo"))
    national = context.get("national_index") or {}
    if national:
        series.append(
            Series(_("Rata-rata kabupaten/kota"), sorted((y, float(v)) for y, v in national.items()), "national")
        )
    return line_chart(
        series,
        title=_("Indeks SPBE %(region)s per tahun") % {"region": region.name},
        description=_("Garis indeks SPBE daerah dari tahun ke tahun, dibandingkan rata-rata kabupaten/kota."),
    )


def aspect_chart(context: dict) -> dict:
    latest = context["latest"]
    aspects = context["aspects"]
    categories = [(f"A{a.number}", f"{a.number}. {a.display_name}") for a in aspects]
    groups = [
        BarGroup(
            context["region"].short_name,
            [float(latest.aspects[a.number].value) if a.number in latest.aspects else None for a in aspects],
            "region",
        ),
        BarGroup(
            _("Rata-rata nasional"),
            [
                float(context["national_aspects"][a.number]) if a.number in context["national_aspects"] else None
                for a in aspects
            ],
            "national",
        ),
    ]
    if context["province_aspects"]:
        groups.append(
            BarGroup(
                _("Rata-rata provinsi"),
                [
                    float(context["province_aspects"][a.number]) if a.number in context["province_aspects"] else None
                    for a in aspects
                ],
                "province",
            )
        )
    return bar_chart(
        categories,
        groups,
        title=_("Profil aspek %(year)s") % {"year": latest.year},
        description=_("Nilai delapan aspek SPBE daerah dibandingkan rata-rata nasional dan provinsi."),
    )


def indicator_heatmap(context: dict, explorer_url: str | None) -> dict | None:
    years = [p.year for p in context["profile"] if p.indicators]
    if not years:
        return None
    rows = [
        (f"{i.number}. {i.display_name}", f"{explorer_url}{i.number}/" if explorer_url else None)
        for i in context["indicators"]
    ]
    by_year = {p.year: p.indicators for p in context["profile"]}
    cells = {
        (row, col): by_year[year].get(indicator.number)
        for row, indicator in enumerate(context["indicators"])
        for col, year in enumerate(years)
    }
    return heatmap(
        rows,
        years,
        cells,
        title=_("Tingkat kematangan per indikator"),
        description=_("Tingkat 1–5 setiap indikator SPBE per tahun evaluasi."),
    )
