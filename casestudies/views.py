"""Views that are not Wagtail pages' own `serve`: the region score dashboard."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.integers import ascii_int

from .dashboard.context import dashboard_page
from .models import Framework, IndicatorExplorerPage, Region


def _indicator_number(request) -> int | None:
    return ascii_int(request.GET.get("indikator"), low=0, high=999)


def region_dashboard_view(request, index_page, code: str):
    region = Region.objects.select_related("province").filter(code=code).first()
    framework = Framework.current()
    if region is None or framework is None:
        raise Http404(_("Daerah dengan kode itu tidak dikenal."))
    explorer = IndicatorExplorerPage.objects.live().first()
    context = dashboard_page(
        region, framework, indicator=_indicator_number(request), explorer_url=explorer.url if explorer else None
    )
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
