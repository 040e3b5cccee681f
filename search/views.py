"""Search for people (the page), for programs (JSON API, CSV export), autocomplete, and /healthz.

Views only translate HTTP to the service (search/service.py) and back; bad parameters answer 400 with a reason
in the API and re-show the page with messages.
"""

import csv
import functools

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.public_urls import public_url
from cms.rate_limits import rate_limit
from cms.spreadsheet_csv import spreadsheet_row

from .backends.base import FACETS
from .engines import health
from .params import SearchParamsError, request_from_params
from .service import SearchRequest, indicator_catalogue, page_language, popular_indicators, search
from .text import normalize

CSV_MAX_ROWS = 5000


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
    return render(request, "search/search_page.html", context)


def _query_without(params, *names) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


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
        "matched_on": result.matched_on,
        "peer_reason": result.peer_reason or None,
        "is_demo": result.is_demo,
    }


def api_language(view):
    """`?lang=en` answers in English (labels, reasons, chips); the API lives outside the language-prefixed URLs."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "id")
        if lang not in dict(settings.LANGUAGES):
            return JsonResponse({"error": _("Bahasa tidak dikenal."), "errors": {"lang": "id, en"}}, status=400)
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return wrapper


@require_GET
@api_language
def api_search(request):
    try:
        search_request = request_from_params(request.GET, user=request.user)
    except SearchParamsError as error:
        return JsonResponse({"error": _("Parameter tidak valid."), "errors": error.errors}, status=400)
    if request.GET.get("format") == "csv":
        return _csv(request, search_request)
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


def _csv(request, search_request: SearchRequest) -> HttpResponse:
    from dataclasses import replace

    if refused := rate_limit(request, "csv", api=True):
        return refused
    response = search(replace(search_request, page=1, per_page=CSV_MAX_ROWS), facets=False, snippets=False)
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    name = normalize(search_request.q).replace(" ", "-")[:40] or "semua"
    out["Content-Disposition"] = f'attachment; filename="praktik-baik-{name}.csv"'
    writer = csv.writer(out)
    writer.writerow(
        ["external_id", "title", "url", "region_code", "region_name", "year_start", "status", "indicators",
         "verified_gain", "score", "peer_reason"]
    )  # fmt: skip
    for r in response.results:
        writer.writerow(spreadsheet_row(
            [r.external_id, r.title, public_url(r.url), r.region_code, r.region_name, r.year_start,
             r.status, ";".join(str(i["number"]) for i in r.indicators), r.verified_gain if r.verified_gain is not None
             else "", r.score, r.peer_reason]
        ))  # fmt: skip
    return out


@require_GET
@api_language
def api_autocomplete(request):
    """Titles and indicators for what is being typed (prefix of the last word)."""
    if refused := rate_limit(request, "autocomplete", api=True):
        return refused
    q = (request.GET.get("q") or "").strip()[:100]
    if len(normalize(q)) < 2:
        return JsonResponse({"titles": [], "indicators": []})
    response = search(SearchRequest(q=q, per_page=6), record=False, facets=False, snippets=False, prefix=True)
    words = normalize(q).split()
    last = words[-1] if words else ""
    lang = page_language()
    indicators = [
        {"number": n, "name": info["name_en" if lang == "en" else "name_id"]}
        for n, info in sorted(indicator_catalogue().items())
        if (last.isdigit() and str(n) == last)
        or any(w.startswith(last) for w in normalize(info["name_en" if lang == "en" else "name_id"]).split())
    ][:5]
    return JsonResponse(
        {"titles": [{"title": r.title, "url": r.url} for r in response.results], "indicators": indicators}
    )


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
