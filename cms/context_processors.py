"""Links every page's header needs (two indexed queries; no cache to invalidate)."""

from casestudies.models import IndicatorExplorerPage, RegionsIndexPage


def site_nav(request):
    explorer = IndicatorExplorerPage.objects.live().only("url_path").first()
    regions = RegionsIndexPage.objects.live().only("url_path").first()
    return {
        "explorer_url": explorer.url if explorer else None,
        "regions_url": regions.url if regions else None,
    }
