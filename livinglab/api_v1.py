"""API v1 (JSON, read-only, public) on django-ninja, composed from the routers of the floors below: scores and
peers (casestudies/api.py), search, CSV export and autocomplete (search/api.py).

/api/v1/openapi.json is its OpenAPI schema and /api/v1/docs/ its Swagger UI page, whose scripts and styles are
django-ninja's own copies served from our static files (no CDN, under the site's Content-Security-Policy). Every
4xx — our parameter checks, ninja's validation, 404s, a wrong method — answers `{"error": …, "errors": {…}}`
(cms/api.py), in Indonesian or, with ?lang=en, English. Documented in docs/api.md.
"""

import functools

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, Throttled, ValidationError

from casestudies.api import router as casestudies_router
from cms.api import LANGUAGES, ApiError, error_response, in_request_language, validation_errors
from search.api import router as search_router

PREFIX = "/api/v1/"

api = NinjaAPI(
    title="Living Lab API",
    version="1",
    description="Public, read-only JSON API of Living Lab: SPBE scores of every region, the peers that improved "
    "where a region is weak, and the search of case studies (JSON or CSV). Documented in docs/api.md.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    # Swagger UI's default would send the schema to validator.swagger.io (another origin) for a badge.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
)
api.add_decorator(in_request_language, mode="view")  # applied last: outermost
api.add_router("", casestudies_router)
api.add_router("", search_router)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.error, exc.errors)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return error_response(400, *validation_errors(exc.errors))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, _("Tidak ditemukan."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    reason = _("Terlalu banyak permintaan; coba lagi nanti.") if isinstance(exc, Throttled) else str(exc)
    return error_response(exc.status_code, reason)


def _language(request) -> str:
    lang = request.GET.get("lang", "id")
    return lang if lang in LANGUAGES else "id"


def _method_not_allowed_as_json(view):
    """ninja answers a wrong method with a plain-text 405: the same answer with our error shape."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "GET")
        with translation.override(_language(request)):
            reason = _("Metode %(method)s tidak diizinkan; gunakan %(allowed)s.") % {
                "method": request.method,
                "allowed": allowed,
            }
            return error_response(405, reason, {"method": reason}, Allow=allowed)

    return wrapper


def urls():
    """`api.urls`, each view answering a wrong method with our error shape."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _method_not_allowed_as_json(pattern.callback)
    return patterns, app_name, namespace


def not_found(request, exception):
    """The site's 404 (handler404): under /api/v1/ our JSON error, elsewhere the page."""
    if not request.path.startswith(PREFIX):
        return defaults.page_not_found(request, exception)
    with translation.override(_language(request)):
        reason = _("Alamat API tidak dikenal: %(path)s (daftar alamat: %(docs)s).") % {
            "path": request.path,
            "docs": f"{PREFIX}docs/",
        }
        return error_response(404, reason, {"path": reason})
