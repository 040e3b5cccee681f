"""Wagtail API v2 for pages (read-only, public: live pages only): /api/v2/pages/?type=casestudies.CaseStudyPage."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
