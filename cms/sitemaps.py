"""The sitemap lists what the public sees (cms/visibility.py), not every live page Wagtail's sitemap would."""

from wagtail.contrib.sitemaps import Sitemap

from .visibility import publicly_visible


class PublicSitemap(Sitemap):
    def items(self):
        return publicly_visible(super().items())
