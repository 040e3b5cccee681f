"""Views that are not Wagtail pages' own `serve`: the region score dashboard."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .dashboard.context import aspect_chart, index_chart, indicator_heatmap, region_dashboard
from .models import Framework, Indicator, IndicatorExplorerPage, Region
from .peers import peers_for
from .scores.targets import Target


def _indicator_peers(request, region, framework):
    """`?indikator=N`: the peers that rose on one indicator (linked from 'what to learn next')."""
    raw = request.GET.get("indikator", "")
    if not raw.isdigit():
        return None
    indicator = Indicator.objects.filter(framework=framework, number=int(raw)).first()
    if indicator is None:
        return None
    return {
        "indicator": indicator,
        "peers": peers_for(region, Target("indicator", indicator.number, framework), limit=5),
    }


def region_dashboard_view(request, index_page, code: str):
    region = Region.objects.select_related("province").filter(code=code).first()
    framework = Framework.current()
    if region is None or framework is None:
        raise Http404(_("Daerah dengan kode itu tidak dikenal."))
    context = region_dashboard(region, framework)
    context["indicator_peers"] = _indicator_peers(request, region, framework)
    explorer = IndicatorExplorerPage.objects.live().first()
    explorer_url = explorer.url if explorer else None
    if context["latest"] is not None:
        context["index_chart"] = index_chart(context)
        context["aspect_chart"] = aspect_chart(context) if context["latest"].aspects else None
        context["heatmap"] = indicator_heatmap(context, explorer_url)
    region_page = getattr(region, "page", None) if hasattr(region, "page") else None
    return TemplateResponse(
        request,
        "casestudies/region_dashboard.html",
        {
            "page": index_page,
            "self": index_page,
            "region_page": region_page if region_page and region_page.live else None,
            **context,
        },
    )
