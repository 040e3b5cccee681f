"""What every page's header and banner need: the site's "Data contoh" switch (SiteSettings.demo_banner) and the
links other apps add through the `site_chrome` Wagtail hook (casestudies: the indicator explorer and regions links).

A `site_chrome` hook takes no arguments and returns a dict of template variables; its values must depend only on
the data version, the site and the language (they are cached together). Apps renew the data version when what
they add changes (cms/signal_handlers.py for the settings and sites, casestudies/signal_handlers.py for its pages).

Read once per data version, site and language (cms/data_version.py), not on every request: through Wagtail's own
lookups (the site for the request's host, its settings row, two pages and their URLs) they cost four queries and
about 4 ms of CPU per page, a third of a search page's own cost (docs/performance.md, "Load").
"""

from django.utils.translation import get_language

from wagtail import hooks

from cms.data_version import cached

from .models import SiteSettings

SITE_CHROME_HOOK = "site_chrome"


def site_nav(request):
    def build():
        values = {}
        for contribute in hooks.get_hooks(SITE_CHROME_HOOK):
            values.update(contribute())
        values["demo_banner"] = SiteSettings.for_request(request).demo_banner
        return values

    # The host is valid here (CommonMiddleware checked it against ALLOWED_HOSTS); Wagtail picks the site by it.
    return cached(f"site-chrome:{get_language()}:{request.get_host()}:{request.get_port()}", build)
