"""Search for people (the page) and /healthz; the JSON API, its CSV export and autocomplete are in search/api.py.

Views only translate HTTP to the service (search/service.py) and back; bad parameters re-show the page with
messages (400).
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .backends.base import FACETS
from .engines import health
from .params import SearchParamsError, request_from_params
from .service import SearchRequest, popular_indicators, search


@require_GET
def search_page(request):
    errors = {}
    try:
        search_request = request_from_params(request.GET, user=request.user)
    except SearchParamsError as error:
        errors = error.errors
        search_request = SearchRequest(q=(request.GET.get("q") or "")[:200])
    response = search(search_request)
    facets = [(name, response.facets.get(name, [])) for name in FACETS if response.facets.get(name)]
    context = {
        "response": response,
        "facets": facets,
        "errors": errors,
        "popular_indicators": popular_indicators() if not response.total else [],
        "query_without_page": _query_without(request.GET, "page"),
    }
    return render(request, "search/search_page.html", context, status=400 if errors else 200)


def _query_without(params, *names) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


@require_GET
def healthz(request):
    """Liveness for load balancers: the database answers; search says "degraded" when its engine does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "down"
    report = {"database": database, **health()}
    report["status"] = "ok" if database == "ok" and report["search"] == "ok" else "degraded"
    return JsonResponse(report, status=200 if database == "ok" else 503)
