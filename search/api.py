"""Search for programs: the JSON API (and its CSV export) and autocomplete, mounted by livinglab/api_v1.py at
/api/v1/search/. Parameters are parsed by search/params.py (400 with a reason per parameter) and described in
the OpenAPI schema by search/api_schema.py."""

from typing import Literal

from django.http import JsonResponse
from django.utils.translation import gettext as _

from ninja import Query, Router

from cms.api import LANG, ApiError, ErrorOut, Language
from cms.rate_limits import rate_limit

from .api_schema import AUTOCOMPLETE_PARAMETERS, CSV_RESPONSE, SEARCH_PARAMETERS, AutocompleteOut, SearchOut
from .autocomplete import suggestions
from .params import SearchParamsError, request_from_params
from .search_csv import search_csv
from .service import search

router = Router(tags=["search"])
FORMAT = Query("json", description="json (default), or csv: every matching case study as a CSV attachment.")


def _result_json(result) -> dict:
    return {
        "id": result.id,
        "external_id": result.external_id or None,
        "title": result.title,
        "url": result.url,
        "region_code": result.region_code,
        "region_name": result.region_name,
        "year_start": result.year_start,
        "status": result.status,
        "indicators": result.indicators,
        "snippet": result.snippet,
        "score": result.score,
        "verified_gain": result.verified_gain,
        "successful_replications": result.successful_replications,
        "matched_on": result.matched_on,
        "peer_reason": result.peer_reason or None,
        "is_demo": result.is_demo,
    }


@router.get(
    "/search/",
    url_name="api-search",
    response={200: SearchOut, 400: ErrorOut, 429: ErrorOut},
    summary="Search case studies (JSON, or CSV with format=csv)",
    openapi_extra={"parameters": SEARCH_PARAMETERS, **CSV_RESPONSE},
)
def api_search(request, format: Literal["json", "csv"] = FORMAT, lang: Language = LANG):
    try:
        search_request = request_from_params(request.GET, user=request.user)
    except SearchParamsError as error:
        raise ApiError(400, _("Parameter tidak valid."), error.errors) from None
    if format == "csv":
        if refused := rate_limit(request, "csv", api=True):
            return refused
        return search_csv(search_request)
    response = search(search_request)
    return JsonResponse(
        {
            "count": response.total,
            "page": search_request.page,
            "pages": response.pages,
            "relaxed": response.relaxed,
            "engine": response.engine,
            "degraded": response.degraded,
            "aspect": response.aspect.number if response.aspect else None,
            "suggestion": response.suggestion or None,
            "results": [_result_json(r) for r in response.results],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in response.facets.items()
            },
        }
    )


@router.get(
    "/search/autocomplete/",
    url_name="api-search-autocomplete",
    response={200: AutocompleteOut, 400: ErrorOut, 429: ErrorOut},
    summary="Titles and indicators for what is being typed",
    openapi_extra={"parameters": AUTOCOMPLETE_PARAMETERS},
)
def api_autocomplete(request, lang: Language = LANG):
    if refused := rate_limit(request, "autocomplete", api=True):
        return refused
    return JsonResponse(suggestions(request.GET.get("q")))
