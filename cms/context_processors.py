"""What every page's header and banner need: the indicator explorer and regions links, and the site's "Data contoh"
switch (SiteSettings.demo_banner).

Read once per data version, site and language (cms/data_version.py), not on every request: through Wagtail's own
lookups (the site for the request's host, its settings row, two pages and their URLs) they cost four queries and
about 4 ms of CPU per page, a third of a search page's own cost (docs/performance.md, "Load"). Saving the site
settings, a site, the explorer or the regions page renews the data version (cms/signal_handlers.py), and so does
moving any page (casestudies/signal_handlers.py).
"""

from django.utils.translation import get_language

from casestudies.models import IndicatorExplorerPage, RegionsIndexPage
from cms.data_version import cached

from .models import SiteSettings


def site_nav(request):
    def build():
        explorer = IndicatorExplorerPage.objects.live().only("url_path").first()
        regions = RegionsIndexPage.objects.live().only("url_path").first()
        return {
            "explorer_url": explorer.url if explorer else None,  # URLs carry the language prefix (/en/…)
            "regions_url": regions.url if regions else None,
            "demo_banner": SiteSettings.for_request(request).demo_banner,
        }

    # The host is valid here (CommonMiddleware checked it against ALLOWED_HOSTS); Wagtail picks the site by it.
    return cached(f"site-chrome:{get_language()}:{request.get_host()}:{request.get_port()}", build)
