"""The search request for a Query, built with `elasticsearch.dsl` as data (no connection needed): the text
clauses with the settings' field weights, the filters, the peers' boost, the sorts, the facet aggregations and the
highlighting. Clause for clause what the database engines do (search/backends/database/)."""

from django.conf import settings

from elasticsearch.dsl import SF, Q, Search

from ..base import FACETS, Filters, Query
from .mapping import DISPLAY_FIELDS, FACET_FIELDS

FACET_SIZE = 10_000  # terms buckets per facet: more than there are indicators, provinces, years or tags
MAX_ANALYZED_OFFSET = 1_000_000  # highlight only the first million characters of a long text instead of failing


def weighted_fields() -> list[str]:
    """Term fields with the weights of settings.LIVINGLAB_SEARCH_WEIGHTS, as the database engines weigh them
    (title_words counts as title, region_terms as summary: migrations/0002_engine_indexes.py)."""
    w = settings.LIVINGLAB_SEARCH_WEIGHTS
    weights = {
        "title_terms": w["title"],
        "title_words": w["title"],
        "indicator_terms": w["indicators"],
        "tag_terms": w["tags"],
        "summary_terms": w["summary"],
        "region_terms": w["summary"],
        "body_terms": w["body"],
    }
    return [f"{name}^{float(weight):g}" for name, weight in weights.items()]


def is_prefix(terms: tuple[str, ...]) -> bool:
    return len(terms) == 1 and terms[0].endswith("*")


def alternative_query(terms: tuple[str, ...]):
    """One alternative of a group: a term, a phrase, or a prefix of a title or indicator-name word.

    Scores add up over the fields (most_fields; tie_breaker 1 for phrases), as bm25 over FTS5 columns and
    ts_rank over weighted lexemes do."""
    if is_prefix(terms):
        prefix = terms[0][:-1]
        return Q("prefix", title_words={"value": prefix, "boost": float(settings.LIVINGLAB_SEARCH_WEIGHTS["title"])})
    if len(terms) == 1:
        return Q("multi_match", query=terms[0], fields=weighted_fields(), type="most_fields")
    return Q("multi_match", query=" ".join(terms), fields=weighted_fields(), type="phrase", tie_breaker=1.0)


def text_clauses(query: Query) -> list:
    """The `must` clauses: every group (or, when match_any, one of them), each a disjunction of its
    alternatives. Without text, every document."""
    if not query.has_text:
        return [Q("match_all")]
    groups = [
        Q("bool", should=[alternative_query(alt) for alt in group], minimum_should_match=1) for group in query.groups
    ]
    if query.match_any:
        return [Q("bool", should=groups, minimum_should_match=1)]
    return groups


def filter_queries(filters: Filters) -> list:
    """The filter context, clause for clause the database engine's filter_masks (database/base.py)."""
    clauses = []
    for name, values in (
        ("indicators", filters.indicators),
        ("aspects", filters.aspects),
        ("domains", filters.domains),
        ("region_code", filters.regions),
        ("province_code", filters.provinces),
        ("region_type", filters.region_types),
        ("status", filters.statuses),
    ):
        if values:
            clauses.append(Q("terms", **{name: list(values)}))
    years = {}
    if filters.year_from is not None:
        years["gte"] = filters.year_from
    if filters.year_to is not None:
        years["lte"] = filters.year_to
    if years:
        clauses.append(Q("range", year_start=years))
    if filters.tags:
        clauses.append(Q("terms", tags=[t.lower() for t in filters.tags]))
    if filters.verified_only:
        clauses.append(Q("range", verified_gain={"gt": 0}))
    return clauses


def boosted(scored, query: Query):
    """The peers' boost: their text score times `query.boost` (others keep theirs: function_score's default 1).

    Without text every score is 0 in the database engine, boosted or not, so nothing is boosted here either
    (the improvement sort's tie-break on the score must not favour the peers)."""
    if not query.has_text or not query.boost_regions or query.boost == 1.0:
        return scored
    return Q(
        "function_score",
        query=scored,
        functions=[SF({"filter": Q("terms", region_code=list(query.boost_regions)), "weight": float(query.boost)})],
        score_mode="multiply",
        boost_mode="multiply",
    )


NEWEST = {"first_published_at": {"order": "desc", "missing": "_last"}}
BY_ID = {"page_id": {"order": "asc"}}
SCORE = {"_score": {"order": "desc"}}
SORTS = {
    "relevance": [SCORE, NEWEST, BY_ID],
    "newest": [NEWEST, BY_ID],
    "improvement": [{"verified_gain": {"order": "desc", "missing": "_last"}}, SCORE, NEWEST, BY_ID],
    "replications": [{"successful_replications": {"order": "desc", "missing": "_last"}}, SCORE, NEWEST, BY_ID],
}


def highlight_query(query: Query):
    """What to highlight in the display fields: the query's words, read by the Indonesian analyzer."""
    alternatives = []
    for group in query.groups:
        for terms in group:
            if is_prefix(terms):
                alternatives.append(
                    Q("multi_match", query=terms[0][:-1], fields=list(DISPLAY_FIELDS), type="phrase_prefix")
                )
            else:
                alternatives.append(Q("multi_match", query=" ".join(terms), fields=list(DISPLAY_FIELDS), type="phrase"))
    return Q("bool", should=alternatives, minimum_should_match=1)


def build_search(query: Query) -> Search:
    """The whole request for a Query (no connection needed: `.to_dict()` is the body)."""
    s = Search(index=settings.ELASTICSEARCH_INDEX)
    s = s.query(boosted(Q("bool", must=text_clauses(query), filter=filter_queries(query.filters)), query))
    sort = query.sort if query.has_text or query.sort != "relevance" else "newest"
    s = s.sort(*SORTS[sort])
    s = s.extra(from_=query.offset, size=query.limit, track_total_hits=True)
    if query.has_text:
        s = s.extra(track_scores=True)  # scores even when sorting by date
    s = s.source(False)  # ids, scores and highlights are all we read; results are displayed from SearchDocument
    if query.with_facets:
        for name in FACETS:
            extra = {"exclude": [""]} if name == "province" else {}
            s.aggs.bucket(name, "terms", field=FACET_FIELDS[name], size=FACET_SIZE, **extra)
    if query.has_text:
        s = s.highlight("title", "summary", number_of_fragments=0)
        s = s.highlight("text", fragment_size=160, number_of_fragments=2)
        s = s.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            max_analyzed_offset=MAX_ANALYZED_OFFSET,
            highlight_query=highlight_query(query).to_dict(),
        )
    return s
