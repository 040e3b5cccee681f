"""The OpenAPI description of the search endpoints (search/api.py): the answers, as ninja schemas, and the query
parameters that search/params.py parses, described from its own bounds (tests/api/test_schema.py sends each
documented bound and checks the code agrees)."""

from ninja import Schema

from casestudies.models import CaseStudyPage, Region
from cms.api import integer, integers, query_parameter, strings

from .autocomplete import MAX_INPUT as AUTOCOMPLETE_LENGTH
from .backends.base import SORTS
from .params import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY, MAX_VALUES
from .search_csv import CSV_MAX_ROWS
from .service import PER_PAGE

TAXONOMY_NUMBERS = (1, 99)  # indicator, aspect and domain numbers (search/params.py::request_from_params)
CODE_LENGTH = 100  # region, province and tag values are cut there


class IndicatorOut(Schema):
    number: int
    name: str
    verified: bool


class ResultOut(Schema):
    id: int
    external_id: str | None
    title: str
    url: str
    region_code: str
    region_name: str
    year_start: int | None
    status: str
    indicators: list[IndicatorOut]
    snippet: str
    score: float
    verified_gain: int | None
    successful_replications: int  # regions that replicated it and rose on its indicators since
    matched_on: list[str]
    peer_reason: str | None
    is_demo: bool


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    count: int
    page: int
    pages: int
    relaxed: bool
    engine: str
    degraded: bool
    aspect: int | None
    suggestion: str | None
    results: list[ResultOut]
    facets: dict[str, list[FacetOut]]


class TitleOut(Schema):
    title: str
    url: str


class SuggestedIndicatorOut(Schema):
    number: int
    name: str


class AutocompleteOut(Schema):
    titles: list[TitleOut]
    indicators: list[SuggestedIndicatorOut]


def _numbers(name: str, what: str) -> dict:
    return query_parameter(
        name,
        integers(*TAXONOMY_NUMBERS, MAX_VALUES),
        f"{what} numbers: repeated ({name}=42&{name}=43) or comma-separated ({name}=42,43); any of them matches. "
        f"The first {MAX_VALUES} values are read.",
        explode=True,
    )


def _values(name: str, what: str, enum=None) -> dict:
    return query_parameter(
        name,
        strings(CODE_LENGTH, MAX_VALUES, enum=enum),
        f"{what}: repeated or comma-separated; any of them matches.",
        explode=True,
    )


SEARCH_PARAMETERS = [
    query_parameter("q", {"type": "string", "maxLength": MAX_QUERY}, "The words searched for.", example="pengaduan"),
    _numbers("indicator", "SPBE indicator"),
    _numbers("aspect", "SPBE aspect"),
    _numbers("domain", "SPBE domain"),
    _values("region", "Kemendagri region codes (32.11)"),
    _values("province", "Kemendagri province codes (32)"),
    _values("region_type", "Region types", enum=Region.Type.values),
    _values("status", "Case-study statuses", enum=CaseStudyPage.Status.values),
    _values("tag", "Tags"),
    query_parameter("year_from", integer(*CaseStudyPage.YEAR_RANGE), "Started in or after this year."),
    query_parameter("year_to", integer(*CaseStudyPage.YEAR_RANGE), "Started in or before this year (≥ year_from)."),
    query_parameter("verified", {"type": "string", "enum": ["0", "1", "true", "false"]}, "1: verified gains only."),
    query_parameter(
        "for_region",
        {"type": "string"},
        "Kemendagri code of the searching region: its weak spots rank peers first (unknown codes answer 400).",
        example="32.12",
    ),
    query_parameter("sort", {"type": "string", "enum": list(SORTS), "default": SORTS[0]}, "Order of the results."),
    query_parameter("page", integer(1, MAX_PAGE, default=1), "Page of results."),
    query_parameter("per_page", integer(1, MAX_PER_PAGE, default=PER_PAGE), "Results per page."),
]

CSV_RESPONSE = {
    "responses": {
        200: {
            "description": f"JSON, or with format=csv every matching case study (up to {CSV_MAX_ROWS:,}) as a CSV attachment.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}

AUTOCOMPLETE_PARAMETERS = [
    query_parameter(
        "q",
        {"type": "string"},
        f"What is being typed (the first {AUTOCOMPLETE_LENGTH} characters; fewer than 2 letters suggest nothing).",
        example="pengad",
    )
]
