"""The search answer as CSV (`/api/v1/search/?format=csv`): every matching case study, for a spreadsheet."""

import csv
from dataclasses import replace

from django.http import HttpResponse

from cms.public_urls import public_url
from cms.spreadsheet_csv import spreadsheet_row

from .service import Result, SearchRequest, search
from .text import normalize

CSV_MAX_ROWS = 5000
CSV_COLUMNS = ["external_id", "title", "url", "region_code", "region_name", "year_start", "status", "indicators",
               "verified_gain", "score", "peer_reason"]  # fmt: skip


def csv_row(r: Result) -> list:
    return [r.external_id, r.title, public_url(r.url), r.region_code, r.region_name, r.year_start, r.status,
            ";".join(str(i["number"]) for i in r.indicators), r.verified_gain if r.verified_gain is not None else "",
            r.score, r.peer_reason]  # fmt: skip


def search_csv(search_request: SearchRequest) -> HttpResponse:
    """All pages of `search_request` (up to CSV_MAX_ROWS rows) as an attachment named after the query."""
    response = search(replace(search_request, page=1, per_page=CSV_MAX_ROWS), facets=False, snippets=False)
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    name = normalize(search_request.q).replace(" ", "-")[:40] or "semua"
    out["Content-Disposition"] = f'attachment; filename="praktik-baik-{name}.csv"'
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for result in response.results:
        writer.writerow(spreadsheet_row(csv_row(result)))  # formula-looking cells quoted (OWASP)
    return out
