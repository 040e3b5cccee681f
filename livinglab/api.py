"""Wagtail API v2 for pages (read-only, public): /api/v2/pages/?type=casestudies.CaseStudyPage.

Only what the public site shows (cms/visibility.py): live pages outside every view-restricted section, whoever
asks (Wagtail's own endpoint lists a restricted page to a request that passes its restriction), and outside every
unpublished section."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.visibility import publicly_visible


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        return publicly_visible(super().get_base_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
