"""/sitemap.xml: what the public sees (cms/visibility.py), on the public address and in the default language.

Routable pages add their own routes (`get_sitemap_urls` of RegionsIndexPage and IndicatorExplorerPage): the region
score dashboards, the SPBE domain, aspect and indicator pages, and the four learning-path steps of each indicator.
"""

from django.conf import settings
from django.utils import translation

from wagtail.contrib.sitemaps import Sitemap

from cms.public_urls import public_url

from .visibility import publicly_visible


class PublicSitemap(Sitemap):
    """Every public location on `WAGTAILADMIN_BASE_URL`, whatever the Site record or the request's host say.

    Wagtail's own sitemap lists every live page; pages under a restricted or unpublished page are left out here.
    Page URLs are reversed in the default language (Indonesian, unprefixed): the sitemap's own URL has no
    language prefix, so the reader's cookie or Accept-Language would otherwise decide (and give /en/… URLs).
    """

    def items(self):
        return publicly_visible(super().items())

    def _urls(self, page, protocol, domain):
        with translation.override(settings.LANGUAGE_CODE):
            urls = super()._urls(page, protocol, domain)
        return [{**url, "location": public_url(url["location"])} for url in urls]
