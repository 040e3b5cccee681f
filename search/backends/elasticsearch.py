"""The Elasticsearch engine, written with the DSL of the official client (`elasticsearch.dsl`).

It reproduces the database engine (database.py) on a server: the same documents, matched on the same
pre-analysed terms (search/text.py stems and the service expands synonyms before the engine sees a query, so the
term fields use a plain `whitespace` analyzer and ES matches exactly what FTS5 and tsvector match), the same
filters, facets and sorts. The raw title, summary and text are also indexed with an Indonesian analyzer, only
for highlighting.

The request is built and the response read by pure functions (`build_search`, `parse_response`), so both are
tested as data without a server (tests/search/test_elasticsearch_queries.py). Documents live in timestamped
indexes behind the alias settings.ELASTICSEARCH_INDEX; `rebuild` loads a new index and moves the alias in one
atomic call, so searches never see a half-built index.
"""

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    SF,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from ..text import STOPWORDS, normalize
from .base import FACETS, Filters, Hits, Query, SearchBackend

TIMEOUT = 2  # seconds: searches and pings; an unreachable server must fail fast, not hang a page
WRITE_TIMEOUT = 120  # seconds: bulk loads and index creation on a busy server
FACET_SIZE = 10_000  # terms buckets per facet: more than there are indicators, provinces, years or tags
MAX_ANALYZED_OFFSET = 1_000_000  # highlight only the first million characters of a long text instead of failing

INDONESIAN = "livinglab_indonesian"
INDONESIAN_SEARCH = "livinglab_indonesian_search"
SYNONYMS = "livinglab_synonyms"

# ------------------------------------------------------------------ analysis

# Our own stop list (search/text.py), not ES's `_indonesian_`: the latter drops words officers search for
# ("tidak", "baru"), which would then never be highlighted.
INDONESIAN_STOP = token_filter("livinglab_indonesian_stop", "stop", stopwords=sorted(STOPWORDS))
INDONESIAN_STEMMER = token_filter("livinglab_indonesian_stemmer", "stemmer", language="indonesian")
INDONESIAN_ANALYZER = analyzer(
    INDONESIAN, tokenizer="standard", filter=["lowercase", "asciifolding", INDONESIAN_STOP, INDONESIAN_STEMMER]
)


def synonym_rules(groups: Iterable[Iterable[str]]) -> list[str]:
    """Solr-format rules ("mpp, mal pelayanan publik") from phrase groups (Synonym.phrases()).

    Phrases are normalised like our text (lower case, [a-z0-9] words), which also strips the rule syntax
    ("=>", "\\", ",") a moderator might type; a group needs two distinct phrases to say anything."""
    rules = []
    for group in groups:
        phrases = list(dict.fromkeys(p for p in (normalize(phrase) for phrase in group) if p))
        if len(phrases) > 1:
            rules.append(", ".join(phrases))
    return rules


def search_analyzer(synonym_groups: Iterable[Iterable[str]]):
    """The query-side twin of INDONESIAN_ANALYZER, expanding the moderators' synonyms.

    The synonym filter sits before stop words and stemming, so the rules are read as written; it is left out
    when there are no rules (a synonym filter needs a source of rules to be created at all)."""
    rules = synonym_rules(synonym_groups)
    filters: list = ["lowercase", "asciifolding"]
    if rules:
        filters.append(token_filter(SYNONYMS, "synonym_graph", synonyms=rules, lenient=True))
    return analyzer(INDONESIAN_SEARCH, tokenizer="standard", filter=[*filters, INDONESIAN_STOP, INDONESIAN_STEMMER])


def synonym_groups() -> list[list[str]]:
    """The moderators' synonym list, read when an index is built (search/models.py::Synonym)."""
    from ..models import Synonym

    return [synonym.phrases() for synonym in Synonym.objects.all()]


# ------------------------------------------------------------------ mapping

TERM_FIELDS = (
    "title_terms",
    "indicator_terms",
    "tag_terms",
    "summary_terms",
    "region_terms",
    "body_terms",
    "title_words",
)
DISPLAY_FIELDS = ("title", "summary", "text")


def _terms() -> Text:
    """A field of pre-analysed terms: split on spaces, nothing else (search/text.py did the analysis)."""
    return Text(analyzer="whitespace")


def _display() -> Text:
    """Raw display text, analysed in Indonesian for highlighting only (never matched or ranked)."""
    return Text(analyzer=INDONESIAN_ANALYZER, search_analyzer=INDONESIAN_SEARCH)


class CaseStudyDocument(Document):
    """One case study in the index (its id is the page id). Built from an IndexedDocument."""

    page_id = Integer()  # an integer, so the last tie-break sorts like the database engine's
    # Filters and facets.
    region_code = Keyword()
    province_code = Keyword()
    region_type = Keyword()
    status = Keyword()
    tags = Keyword(multi=True)  # lower case
    indicators = Integer(multi=True)  # from the indicator rows, so aspect and domain filters and facets
    aspects = Integer(multi=True)  # match through the case study's indicators as in the database engine
    domains = Integer(multi=True)
    year_start = Integer()
    verified_gain = Integer()
    first_published_at = Date()
    # What is matched and ranked.
    title_terms = _terms()
    indicator_terms = _terms()
    tag_terms = _terms()
    summary_terms = _terms()
    region_terms = _terms()
    body_terms = _terms()
    title_words = _terms()  # unstemmed title and indicator-name words, for prefixes
    # What is highlighted.
    title = _display()
    summary = _display()
    text = _display()

    class Meta:
        dynamic = MetaField("strict")  # a field we did not map is a bug, not something to guess a type for

    @classmethod
    def from_indexed(cls, document) -> "CaseStudyDocument":
        """From a search.documents.IndexedDocument."""
        v = document.values
        rows = document.indicator_rows
        return cls(
            meta={"id": v["page_id"]},
            page_id=v["page_id"],
            region_code=v["region_code"],
            province_code=v["province_code"],
            region_type=v["region_type"],
            status=v["status"],
            tags=list(document.tag_names),
            indicators=sorted({r["indicator"] for r in rows}),
            aspects=sorted({r["aspect"] for r in rows if r["aspect"] is not None}),
            domains=sorted({r["domain"] for r in rows if r["domain"] is not None}),
            year_start=v["year_start"],
            verified_gain=v["verified_gain"],
            first_published_at=v["first_published_at"],
            **{name: v[name] for name in TERM_FIELDS},
            title=v["title"],
            summary=v["summary"],
            text=v["text"],
        )


def build_index(name: str, synonym_groups: Iterable[Iterable[str]] = ()) -> Index:
    """The index definition: settings, analysis (with this synonym list) and CaseStudyDocument's mapping.

    One shard: the corpus is small, and term statistics from one shard make scores stable (and comparable
    to the database engine's). Replicas follow the cluster's size (none on a single node, so it stays green)."""
    index = Index(name)
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.analyzer(search_analyzer(synonym_groups))
    index.mapping(CaseStudyDocument._doc_type.mapping)  # not .document(): that would rebind the class's index
    return index


def index_settings(synonym_groups: Iterable[Iterable[str]] = ()) -> dict:
    """The index's settings (with analysis) as data."""
    return build_index("unused", synonym_groups).to_dict()["settings"]


def new_index_name(alias: str) -> str:
    return f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"


# ------------------------------------------------------------------ queries


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
    """The filter context, clause for clause database.filter_clauses."""
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
}

# Facet name (base.FACETS) → field; aggregation names are the facet names.
FACET_FIELDS = {
    "indicator": "indicators",
    "aspect": "aspects",
    "domain": "domains",
    "province": "province_code",
    "year": "year_start",
    "tag": "tags",
    "status": "status",
    "region_type": "region_type",
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


# ------------------------------------------------------------------ responses


@dataclass
class ElasticsearchHits(Hits):
    """Hits plus the highlighted fragments (page id → field → HTML fragments; <mark> around matches, the rest
    escaped). A Hits for the service; `highlights` is extra until the contract carries it."""

    highlights: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def _facet_key(key) -> str:
    """Bucket keys as the database engine gives them: "43", "2021", "kota"."""
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return str(key)


def parse_response(body: Mapping, query: Query) -> ElasticsearchHits:
    """A search response (the JSON body) → Hits. Scores are 0 without text, as in the database engine."""
    hits = body["hits"]
    ids = [int(hit["_id"]) for hit in hits["hits"]]
    scores = {int(hit["_id"]): float(hit.get("_score") or 0.0) if query.has_text else 0.0 for hit in hits["hits"]}
    total = hits["total"]
    total = total["value"] if isinstance(total, Mapping) else int(total)
    facets: dict[str, dict[str, int]] = {}
    if query.with_facets:
        for name, aggregation in (body.get("aggregations") or {}).items():
            if name in FACET_FIELDS and aggregation.get("buckets"):
                facets[name] = {_facet_key(b["key"]): b["doc_count"] for b in aggregation["buckets"]}
    highlights = {int(hit["_id"]): dict(hit["highlight"]) for hit in hits["hits"] if hit.get("highlight")}
    return ElasticsearchHits(ids=ids, scores=scores, total=total, facets=facets, highlights=highlights)


# ------------------------------------------------------------------ the engine


@lru_cache(maxsize=4)
def _client(url: str) -> Elasticsearch:
    """One client (and its connection pool) per URL. No retries: the only node is either there or not."""
    return Elasticsearch(url, request_timeout=TIMEOUT, max_retries=0, retry_on_timeout=False)


def _flatten(batches: Iterable[list], progress: Callable[[int], object] | None):
    """The documents of every batch, reporting each batch once it has been handed on."""
    for batch in batches:
        yield from batch
        if progress:
            progress(len(batch))


def _index_actions(documents: Iterable, index: str):
    for document in documents:
        yield {
            "_index": index,
            "_id": str(document.page_id),
            "_source": CaseStudyDocument.from_indexed(document).to_dict(),
        }


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    @property
    def client(self) -> Elasticsearch:
        return _client(settings.ELASTICSEARCH_URL)

    @property
    def alias(self) -> str:
        return settings.ELASTICSEARCH_INDEX

    def _writer(self) -> Elasticsearch:
        return self.client.options(request_timeout=WRITE_TIMEOUT)

    # ------------------------------------------------------------------ reads

    def search(self, query: Query) -> Hits:
        response = build_search(query).using(self.client).execute()
        return parse_response(response.to_dict(), query)

    def ping(self) -> bool:
        """Never raises: a missing or malformed URL, a refused connection or an error status all mean False."""
        try:
            return bool(self.client.ping())
        except Exception:  # noqa: BLE001 -- a health check answers, whatever went wrong
            return False

    # ------------------------------------------------------------------ writes

    def index(self, documents: list) -> None:
        if not documents:
            return
        es = self._writer()
        self._ensure_alias(es)
        # refresh=wait_for: a published page is findable when the publish returns.
        helpers.bulk(es, _index_actions(documents, self.alias), refresh="wait_for")

    def delete(self, page_ids: list[int]) -> None:
        if not page_ids:
            return
        es = self._writer()
        if not es.indices.exists_alias(name=self.alias):
            return  # nothing was ever indexed
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(page_id)} for page_id in page_ids)
        helpers.bulk(es, actions, refresh="wait_for", ignore_status=(404,))

    def _ensure_alias(self, es: Elasticsearch) -> None:
        """Before the first rebuild, an empty index behind the alias: writing to a missing name would make ES
        create an index with guessed mappings."""
        if es.indices.exists_alias(name=self.alias) or es.indices.exists(index=self.alias):
            return
        index = build_index(new_index_name(self.alias), synonym_groups())
        index.aliases(**{self.alias: {}})
        index.create(using=es)

    def rebuild(self, batches: Iterable[list], total: int, progress: Callable[[int], object] | None = None) -> int:
        """Load every document into a new index, then point the alias at it and drop the old indexes.

        `batches` yields lists of IndexedDocument (search.documents.build_documents per chunk of pages), so
        pages are read and analysed while earlier ones are being sent. `total` is how many documents to expect:
        when it is positive and nothing was loaded, the alias stays where it is. `progress(n)` is called after
        each batch with its size, like search.indexing.reindex_all's. Returns the number of documents loaded;
        on any error the new index is deleted and the live one is untouched."""
        es = self._writer()
        name = new_index_name(self.alias)
        index = build_index(name, synonym_groups())
        index.settings(refresh_interval="-1")  # no refreshes while loading; one at the end
        index.create(using=es)
        try:
            loaded = 0
            actions = _index_actions(_flatten(batches, progress), name)
            for ok, _item in helpers.streaming_bulk(es, actions, chunk_size=500):
                loaded += ok
            if total > 0 and loaded == 0:
                raise RuntimeError(f"no documents were loaded out of {total}; {self.alias} left unchanged")
            es.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
            es.indices.refresh(index=name)
            old = self._swap_alias(es, name)
        except BaseException:
            with contextlib.suppress(Exception):  # the original error is the one worth seeing
                es.indices.delete(index=name, ignore_unavailable=True)
            raise
        if old:
            es.indices.delete(index=",".join(old), ignore_unavailable=True)
        return loaded

    def _swap_alias(self, es: Elasticsearch, name: str) -> list[str]:
        """Point the alias at `name` in one atomic call; return the indexes it pointed at before.

        A concrete index squatting the alias's name (written before any alias existed) is removed in the
        same call."""
        actions: list[dict] = [{"add": {"index": name, "alias": self.alias}}]
        try:
            old = [i for i in es.indices.get_alias(name=self.alias) if i != name]
        except NotFoundError:
            old = []
            if es.indices.exists(index=self.alias):
                actions.append({"remove_index": {"index": self.alias}})
        actions += [{"remove": {"index": i, "alias": self.alias}} for i in old]
        es.indices.update_aliases(actions=actions)
        return old
