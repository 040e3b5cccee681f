"""The one search service: the search page, the JSON API, the CSV export and autocomplete all call `search()`.

Steps: parse the words (indicators, stems, synonyms), find the aspect the query is about, rank peers that
improved on it for the searcher's region, ask the engine (falling back to the database when it is unreachable),
relax to "any word" when every word finds nothing, then build result cards, facets and suggestions.
"""

import dataclasses
import difflib
import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casestudies.models import Aspect, CaseStudyPage, Domain, Framework, Indicator, Region
from casestudies.peers import peers_for
from casestudies.scores.targets import Target, current_aspect
from cms.data_version import cached

from . import analytics
from .backends.base import Filters, Query
from .backends.database import database_backend
from .engines import configured_backend
from .highlight import SCAN_CHARS, Marker
from .models import SearchText
from .parsing import ParsedText, parse
from .text import INDICATOR_TERM, label_terms, terms

log = logging.getLogger(__name__)
PER_PAGE = 10


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    region: Region | None = None  # the searcher's region: peers of it rank higher


@dataclass
class Result:
    id: int
    external_id: str
    title: str
    title_html: str
    url: str
    region_code: str
    region_name: str
    year_start: int
    status: str
    indicators: list[dict]
    snippet: str
    score: float
    verified_gain: int | None
    is_demo: bool
    matched_on: list[str]
    peer_reason: str = ""
    successful_replications: int = 0


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResponse:
    request: SearchRequest
    results: list[Result]
    total: int
    facets: dict[str, list[FacetValue]]
    pages: int
    relaxed: bool = False  # no result had every word: results have any of them
    degraded: bool = False  # the configured engine did not answer: the database did
    engine: str = "database"
    aspect: Aspect | None = None  # the aspect the query is about (peer ranking)
    suggestion: str = ""  # "mungkin maksud Anda"
    matched_indicators: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- reference data (cached per data version)


def indicator_catalogue() -> dict[int, dict]:
    def build():
        framework = Framework.current()
        rows = Indicator.objects.filter(framework=framework).select_related("aspect__domain")
        return {
            i.number: {
                "number": i.number,
                "name_id": i.name_id,
                "name_en": i.name_en or i.name_id,
                "aspect": i.aspect.number,
                "domain": i.aspect.domain.number if i.aspect.domain_id else None,
                "terms": frozenset(terms(f"{i.name_id} {i.name_en}")),
            }
            for i in rows
        }

    return cached("search-indicators", build)


def _labels() -> dict[str, dict[str, dict[str, str]]]:
    """facet → value → {"id": label, "en": label} for the facets whose values are codes."""

    def build():
        framework = Framework.current()
        labels = {"aspect": {}, "domain": {}, "province": {}}
        for a in Aspect.objects.filter(framework=framework):
            labels["aspect"][str(a.number)] = {"id": a.name_id, "en": a.name_en or a.name_id}
        for d in Domain.objects.filter(framework=framework):
            labels["domain"][str(d.number)] = {"id": d.name_id, "en": d.name_en or d.name_id}
        for code, name in Region.objects.filter(type="provinsi").values_list("code", "name"):
            labels["province"][code] = {"id": name, "en": name}
        return labels

    return cached("search-labels", build)


def page_language() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


# ---------------------------------------------------------------- the aspect a query is about


def query_aspect(parsed: ParsedText, filters: Filters) -> int | None:
    """By filter first, then by the indicators the query names, then by the indicator whose name the words match."""
    indicators = indicator_catalogue()
    if len(filters.aspects) == 1:
        return filters.aspects[0]
    numbers = [n for n in (*filters.indicators, *parsed.indicators) if n in indicators]
    if numbers:
        aspects = {indicators[n]["aspect"] for n in numbers}
        return aspects.pop() if len(aspects) == 1 else None
    word_groups = [g for g in parsed.groups if not any(alt[0].startswith("i") and alt[0][1:].isdigit() for alt in g)]
    if not word_groups:
        return None
    best, best_count = set(), 0
    for info in indicators.values():
        count = sum(1 for g in word_groups if any(set(alt) <= info["terms"] for alt in g if not alt[0].endswith("*")))
        if count > best_count:
            best, best_count = {info["aspect"]}, count
        elif count == best_count and count:
            best.add(info["aspect"])
    if best_count >= max(1, math.ceil(len(word_groups) / 2)) and len(best) == 1:
        return best.pop()
    return None


def _peer_reasons(region: Region | None, aspect: int | None) -> dict[str, str]:
    """region code → the one-sentence reason, for peers that improved on the aspect (empty without both)."""
    if region is None or aspect is None:
        return {}
    framework = Framework.current()
    lang = page_language()
    peers = peers_for(region, Target("aspect", aspect, framework), limit=30)
    return {p.region.code: (p.reason_en if lang == "en" else p.reason_id) for p in peers}


# ---------------------------------------------------------------- search


def _run(query: Query):
    """(hits, engine name, degraded): the configured engine, or the database when it fails."""
    engine = configured_backend()
    try:
        return engine.search(query), engine.name, False
    except Exception:
        if not engine.external:
            raise
        log.warning("Search engine %s failed: answering from the database", engine.name, exc_info=True)
        return database_backend().search(query), "database", True


def search(
    request: SearchRequest, *, record: bool = True, facets: bool = True, snippets: bool = True, prefix: bool = False
) -> SearchResponse:
    """`prefix`: the last word may be unfinished (autocomplete): it also matches title and indicator-name words
    that start with it. A submitted search matches whole words (by stem)."""
    parsed = parse(request.q, autocomplete=prefix)
    aspect_number = query_aspect(parsed, request.filters)
    reasons = _peer_reasons(request.region, aspect_number)
    boost = settings.LIVINGLAB_SEARCH_PEER_BOOST
    query = Query(
        groups=parsed.groups,
        filters=request.filters,
        sort=request.sort,
        offset=(request.page - 1) * request.per_page,
        limit=request.per_page,
        with_facets=facets,
        boost_regions=tuple(sorted(reasons)),
        boost=boost if reasons else 1.0,
    )
    hits, engine, degraded = _run(query)
    relaxed = False
    if hits.total == 0 and len(parsed.groups) > 1:
        query = dataclasses.replace(query, match_any=True)
        hits, engine, degraded_again = _run(query)
        relaxed, degraded = hits.total > 0, degraded or degraded_again
    if facets and hits.total and not hits.disjunctive_facets:
        _widen_selected_facets(hits, query)
    if record and request.q.strip():
        analytics.record(request.q, hits.total)
    results = _results(hits, parsed, reasons, snippets=snippets)
    response = SearchResponse(
        request=request,
        results=results,
        total=hits.total,
        facets=_facets(hits.facets, request.filters) if facets else {},
        pages=max(1, math.ceil(hits.total / request.per_page)),
        relaxed=relaxed,
        degraded=degraded,
        engine=engine,
        aspect=current_aspect(aspect_number) if aspect_number else None,
        matched_indicators=parsed.indicators,
    )
    if hits.total == 0 and request.q.strip():
        response.suggestion = suggestion(parsed.words)
    return response


# facet → the Filters field that selects it; values within one facet are alternatives ("42 or 43").
FACET_FILTERS = {
    "indicator": "indicators",
    "aspect": "aspects",
    "domain": "domains",
    "province": "provinces",
    "tag": "tags",
    "status": "statuses",
    "region_type": "region_types",
}


def _widen_selected_facets(hits, query: Query) -> None:
    """A facet with values chosen is counted without its own filter, so its other values stay offered with the
    number they would add (the usual multi-select facet); the other facets keep every filter."""
    for name, field_name in FACET_FILTERS.items():
        if getattr(query.filters, field_name):
            wider = dataclasses.replace(query.filters, **{field_name: ()})
            other, _engine, _degraded = _run(dataclasses.replace(query, filters=wider, limit=0, offset=0))
            hits.facets[name] = other.facets.get(name, {})


# The columns a result card reads, and no more: the stemmed term columns and the vectors are the engines', and
# a snippet looks only at the start of the text (highlight.SCAN_CHARS).
RESULT_COLUMNS = ("document_id", "external_id", "title", "url", "region_name", "summary", "indicators", "tag_names",
                  "is_demo", "title_terms", "region_terms")  # fmt: skip
DOCUMENT_COLUMNS = ("region_code", "year_start", "status", "verified_gain", "successful_replications")


def _result_rows(ids) -> dict[int, dict]:
    rows = SearchText.objects.filter(document_id__in=ids).values(
        *RESULT_COLUMNS,
        **{name: F(f"document__{name}") for name in DOCUMENT_COLUMNS},
        text_start=Substr("text", 1, SCAN_CHARS),
    )
    return {row["document_id"]: row for row in rows}


def _results(hits, parsed: ParsedText, reasons: dict[str, str], *, snippets: bool = True) -> list[Result]:
    documents = _result_rows(hits.ids) if hits.ids else {}
    prefixes = tuple(alt[0][:-1] for g in parsed.groups for alt in g if alt[0].endswith("*"))
    marker = Marker(parsed.stems, prefixes)
    lang = page_language()
    results = []
    for page_id in hits.ids:
        d = documents.get(page_id)
        if d is None:  # indexed by an external engine but gone from the database since
            continue
        results.append(
            Result(
                id=page_id,
                external_id=d["external_id"],
                title=d["title"],
                title_html=marker.mark(d["title"]) if snippets else "",
                url=d["url"],
                region_code=d["region_code"],
                region_name=d["region_name"],
                year_start=d["year_start"],
                status=d["status"],
                indicators=[
                    {"number": n, "name": name_en if lang == "en" and name_en else name_id, "verified": verified}
                    for n, name_id, name_en, verified in d["indicators"]
                ],
                snippet=marker.snippet(f"{d['summary']} {d['text_start']}") if snippets else "",
                score=round(hits.scores.get(page_id, 0.0), 4),
                verified_gain=d["verified_gain"],
                is_demo=d["is_demo"],
                matched_on=_matched_on(d, parsed),
                peer_reason=reasons.get(d["region_code"], ""),
                successful_replications=d["successful_replications"],
            )
        )
    return results


def _matched_on(d: dict, parsed: ParsedText) -> list[str]:
    """Why it matched: "Indikator 43", "judul", "tag: mpp" (in the active language)."""
    stems = parsed.stems
    chips = []
    for number, name_id, name_en, _verified in d["indicators"]:
        term = INDICATOR_TERM.format(number)
        if term in stems or stems & label_terms(f"{name_id} {name_en}"):
            chips.append(_("Indikator %(number)s") % {"number": number})
    if stems & set(d["title_terms"].split()):
        chips.append(_("judul"))
    for tag in d["tag_names"]:
        if stems & label_terms(tag):
            chips.append(_("tag: %(tag)s") % {"tag": tag})
    if stems & set(d["region_terms"].split()):
        chips.append(_("daerah"))
    return chips


def _facets(raw: dict[str, dict[str, int]], filters: Filters) -> dict[str, list[FacetValue]]:
    lang = page_language()
    indicators = indicator_catalogue()
    labels = _labels()
    statuses = dict(CaseStudyPage.Status.choices)
    types = dict(Region.Type.choices)
    selected = {
        "indicator": {str(n) for n in filters.indicators},
        "aspect": {str(n) for n in filters.aspects},
        "domain": {str(n) for n in filters.domains},
        "province": set(filters.provinces),
        "year": {str(y) for y in (filters.year_from, filters.year_to) if y is not None},
        "tag": {t.lower() for t in filters.tags},
        "status": set(filters.statuses),
        "region_type": set(filters.region_types),
    }

    def label(name, value):
        if name == "indicator":
            info = indicators.get(int(value))
            return f"{value}. {info['name_en' if lang == 'en' else 'name_id']}" if info else value
        if name in labels:
            return labels[name].get(value, {}).get(lang, value)
        if name == "status":
            return str(statuses.get(value, value))
        if name == "region_type":
            return str(types.get(value, value))
        return value

    def order(name, values):
        if name in ("indicator", "aspect", "domain"):
            return sorted(values, key=lambda v: int(v[0]))
        if name == "year":
            return sorted(values, key=lambda v: v[0], reverse=True)
        return sorted(values, key=lambda v: (-v[1], v[0]))

    return {
        name: [FacetValue(v, label(name, v), c, v in selected.get(name, ())) for v, c in order(name, values.items())]
        for name, values in raw.items()
    }


# ---------------------------------------------------------------- suggestions


def _vocabulary() -> list[str]:
    def build():
        words = set()
        for info in indicator_catalogue().values():
            words.update(w for w in f"{info['name_id']}".lower().split() if w.isalpha() and len(w) > 3)
        for title_words in SearchText.objects.values_list("title_words", flat=True)[:20000]:
            words.update(w for w in title_words.split() if w.isalpha() and len(w) > 3)
        return sorted(words)

    return cached("search-vocabulary", build)


def suggestion(words: list[str]) -> str:
    """ "Mungkin maksud Anda": each word not in the vocabulary replaced by its closest known word, if any."""
    vocabulary = _vocabulary()
    known = set(vocabulary)
    changed, out = False, []
    for word in words:
        if word in known or not word.isalpha():
            out.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        out.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(out) if changed else ""


def popular_indicators(limit: int = 6) -> list[FacetValue]:
    """The indicators with most case studies (for the empty state)."""

    def build():
        hits = database_backend().search(Query(limit=0))
        return sorted(hits.facets.get("indicator", {}).items(), key=lambda kv: -kv[1])[:limit]

    top = cached("search-popular-indicators", build)
    indicators, lang = indicator_catalogue(), page_language()
    return [
        FacetValue(v, indicators[int(v)]["name_en" if lang == "en" else "name_id"], c, False)
        for v, c in top
        if int(v) in indicators
    ]
