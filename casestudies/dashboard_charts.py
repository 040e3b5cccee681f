"""Turn a region dashboard's data into chart descriptions (casestudies.charts) with Indonesian/English labels."""

from django.utils.translation import gettext as _

from .charts import BarGroup, Series, bar_chart, heatmap, line_chart


def index_chart(context: dict) -> dict:
    region = context["region"]
    official, other = [], []
    for p in context["profile"]:
        if p.index is None:
            continue
        (official if p.index.is_official else other).append((p.year, float(p.index.value)))
    series = []
    if official:
        series.append(Series(_("Data resmi KemenPANRB"), official, "official"))
    if other:
        label = _("Data contoh (dihitung)") if context["has_demo"] else _("Dihitung dari tingkat indikator")
        series.append(Series(label, other, "demo" if context["has_demo"] else "official"))
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
