"""Wagtail API v2 for pages (read-only, public): /api/v2/pages/?type=casestudies.CaseStudyPage.

Only what the public site shows (cms/visibility.py): live pages outside every view-restricted section, whoever
asks (Wagtail's own endpoint lists a restricted page to a request that passes its restriction), and outside every
unpublished section.

Bad parameters answer 400 in the API's shape `{"error": …, "errors": {parameter: …}}` (cms/api.py), Wagtail's own
refusals included, before anything reaches the database: integers in ASCII decimal, `search` at most MAX_SEARCH
characters, `search_operator` `and` or `or` (a NUL anywhere is refused before, by cms.middleware). The search
itself runs on Wagtail's backend, which keeps only the words of a query (cms/wagtail_search.py): its query syntax
is closed."""

from django.utils.translation import gettext as _

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.api import ApiError, error_response
from cms.integers import MAX_PK, ascii_int
from cms.visibility import publicly_visible

MAX_SEARCH = 200
INTEGERS = ("id", "limit", "offset", "child_of", "ancestor_of", "descendant_of", "translation_of")
OPERATORS = ("and", "or")


def check_parameters(params) -> None:
    """Raise ApiError(400) naming every bad parameter."""
    errors = {}
    for name in INTEGERS:
        raw = params.get(name)
        if raw is not None and name not in errors and ascii_int(raw, low=0, high=MAX_PK) is None:
            errors[name] = _("harus bilangan bulat, bukan %(value)r") % {"value": raw[:20]}
    if len(params.get("search", "")) > MAX_SEARCH:
        errors["search"] = _("terlalu panjang (maksimal %(max)s karakter)") % {"max": MAX_SEARCH}
    if params.get("search_operator", "and").lower() not in OPERATORS:
        errors["search_operator"] = _("nilai yang dikenal: %(values)s") % {"values": ", ".join(OPERATORS)}
    if errors:
        raise ApiError(400, _("Parameter tidak valid."), errors)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        return publicly_visible(super().get_base_queryset())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request.GET)

    def handle_exception(self, exc):
        if isinstance(exc, ApiError):
            return error_response(exc.status, exc.error, exc.errors)
        if isinstance(exc, BadRequestError):  # Wagtail's own (an unknown field, order or type), in our shape
            return error_response(400, str(exc))
        return super().handle_exception(exc)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
