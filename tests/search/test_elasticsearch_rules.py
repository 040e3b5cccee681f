"""Rules of the Elasticsearch engine judged as Elasticsearch would judge them, without a server: the document a case
study becomes, what a request matches, ranks and highlights (read by small models of Elasticsearch's semantics,
defaults included), how an answer is read back, and what writes do to a fake server that keeps its state and
refuses what Elasticsearch refuses. The fake and the helpers are those of test_elasticsearch_queries.py."""

import math
import re
from datetime import UTC, datetime

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import BadRequestError, ConnectionError, NotFoundError

from search.backends.base import Query
from search.backends.elasticsearch import backend as es_backend
from search.backends.elasticsearch import mapping
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.backends.elasticsearch.mapping import DISPLAY_FIELDS, TERM_FIELDS, CaseStudyDocument, build_index
from search.backends.elasticsearch.queries import build_search
from search.backends.elasticsearch.responses import parse_response
from search.documents import IndexedDocument
from search.highlight import Marker
from search.text import stem

from .test_elasticsearch_queries import (  # noqa: F401 -- fixtures, used by name
    RESPONSE,
    FakeClient,
    ServerIndices,
    _search_settings,
    body,
    fake,
    indexed,
)

# ---------------------------------------------------------------- a fake server

BUILTIN_ANALYZERS = {"standard", "simple", "whitespace", "stop", "keyword", "pattern", "fingerprint"}
TIME_VALUE = re.compile(r"^(-1|0|\d+(nanos|micros|ms|s|m|h|d))$")


def refused(reason: str) -> BadRequestError:
    meta = ApiResponseMeta(400, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "localhost", 9200))
    return BadRequestError(reason, meta=meta, body={"error": {"reason": reason}})


class Server(ServerIndices):
    """ServerIndices that also checks an index definition as Elasticsearch does when creating it, keeps each index's
    settings and documents, deletes as the delete-index API does, and answers searches with a given body."""

    def __init__(self, log, aliases=None, concrete=()):
        super().__init__(log, aliases or {}, concrete)
        self.settings: dict[str, dict] = {}
        self.documents: dict[str, dict[str, dict]] = {}
        self.refresh_while_loading: list[object] = []
        self.after_swap = None  # what another process does right after our alias switch
        self.deletes_fail = False

    def create(self, index, body=None, **kwargs):
        body = body or {}
        if index in self.concrete:
            raise refused("resource_already_exists_exception")
        for alias in body.get("aliases", {}):
            if alias in self.concrete:
                raise refused(
                    f"invalid_alias_name_exception: an index exists with the same name as the alias [{alias}]"
                )
        settings = body.get("settings", {})
        defined = set(settings.get("analysis", {}).get("analyzer", {}))
        for name, spec in body.get("mappings", {}).get("properties", {}).items():
            for key, value in spec.items():
                if value is None:
                    raise refused(
                        f"[{key}] on mapper [{name}] of type [{spec.get('type')}] must not have a [null] value"
                    )
                if key in ("analyzer", "search_analyzer") and value not in BUILTIN_ANALYZERS | defined:
                    raise refused(f"failed to find analyzer [{value}]")
        refresh = settings.get("refresh_interval")
        if refresh is not None and not TIME_VALUE.match(str(refresh)):
            raise refused(f"failed to parse setting [index.refresh_interval] with value [{refresh}]")
        super().create(index, body, **kwargs)
        self.settings[index] = dict(settings)
        self.documents[index] = {}
        for alias in body.get("aliases", {}):
            self.aliases.setdefault(alias, []).append(index)

    def put_settings(self, index, settings):
        super().put_settings(index, settings)
        for key, value in settings["index"].items():
            if value is None:
                self.settings[index].pop(key, None)  # null resets to the default
            else:
                self.settings[index][key] = value

    def update_aliases(self, actions):
        super().update_aliases(actions)
        if self.after_swap:
            self.after_swap()

    def delete(self, index, ignore_unavailable=False, **kwargs):
        self.log.append(("delete", index))
        if self.deletes_fail:
            raise ConnectionError("connection lost")
        names = index.split(",")
        missing = [name for name in names if name not in self.concrete]
        if missing and not ignore_unavailable:
            raise NotFoundError(f"index_not_found_exception [{missing[0]}]", meta=None, body={})
        for name in names:
            self.concrete.discard(name)
            self.documents.pop(name, None)
            for indexes in self.aliases.values():
                if name in indexes:
                    indexes.remove(name)

    def load(self, actions):
        """One bulk request of index actions (streaming_bulk's chunk)."""
        for action in actions:
            self.refresh_while_loading.append(self.settings[action["_index"]].get("refresh_interval", "1s"))
            self.documents[action["_index"]][action["_id"]] = action["_source"]
            yield True, {"index": {"_id": action["_id"]}}


class ServerClient(FakeClient):
    """A client of the Server: bulk loads go to its state; `options()` calls are recorded."""

    def __init__(self, aliases=None, concrete=(), response=None):
        super().__init__()
        self.indices = Server(self.log, aliases, concrete)
        self.option_calls: list[dict] = []
        self.searches: list[dict] = []
        self.response = response

    def options(self, **kwargs):
        self.option_calls.append(kwargs)
        return self

    def search(self, index, body, **params):
        self.searches.append({"index": index, "body": body, **params})

        class Answer:
            pass

        answer = Answer()
        answer.body = self.response
        return answer


def streaming_bulk(client, actions, chunk_size=500, **kwargs):
    """helpers.streaming_bulk in chunks, through the client it is given."""
    chunk = []
    for action in actions:
        chunk.append(action)
        if len(chunk) == chunk_size:
            yield from client.indices.load(chunk)
            chunk = []
    if chunk:
        yield from client.indices.load(chunk)


@pytest.fixture
def server(fake, monkeypatch):  # noqa: F811 -- the imported fixture
    def install(**state):
        client = ServerClient(**state)
        fake(client)
        monkeypatch.setattr(es_backend.helpers, "streaming_bulk", streaming_bulk)
        return client

    return install


OLD = "cases-20240101000000000000"


def new_index(client) -> str:
    return next(entry[1] for entry in client.log if entry[0] == "create")


# ---------------------------------------------------------------- the document


def test_a_case_study_becomes_a_document_with_every_mapped_field():
    """The document rule: every value the filters, facets, sorts, matching and highlighting read is in the source,
    as the database engine stores it (indicators, aspects and domains once each, sorted, without nulls)."""
    published = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    terms = {name: f"{name.split('_')[0]} kata" for name in TERM_FIELDS}
    values = {
        "page_id": 7,
        "title": "Mal Pelayanan Publik",
        "summary": "Satu gedung.",
        "text": "Semua izin di satu tempat.",
        "region_code": "32.11",
        "province_code": "32",
        "region_type": "kabupaten",
        "status": "scaled",
        "year_start": 2019,
        "first_published_at": published,
        "verified_gain": 12,
        "successful_replications": 3,
        "url": "/ignored/",
        **terms,
    }
    rows = [
        {"indicator": 45, "aspect": 8, "domain": 4, "verified": True},
        {"indicator": 3, "aspect": 2, "domain": None, "verified": False},
        {"indicator": 45, "aspect": 8, "domain": 4, "verified": False},
    ]
    document = IndexedDocument(values=values, indicator_rows=rows, tag_names=["mpp", "layanan publik"])
    doc = CaseStudyDocument.from_indexed(document)
    assert doc.meta.id == 7
    assert doc.to_dict() == {
        "page_id": 7,
        "region_code": "32.11",
        "province_code": "32",
        "region_type": "kabupaten",
        "status": "scaled",
        "tags": ["mpp", "layanan publik"],
        "indicators": [3, 45],
        "aspects": [2, 8],
        "domains": [4],
        "year_start": 2019,
        "verified_gain": 12,
        "successful_replications": 3,
        "first_published_at": published,
        **terms,
        "title": "Mal Pelayanan Publik",
        "summary": "Satu gedung.",
        "text": "Semua izin di satu tempat.",
    }
    assert set(doc.to_dict()) <= set(build_index("cases-1").to_dict()["mappings"]["properties"])  # strict mapping


def test_term_fields_are_split_on_spaces_only():
    """The term-field rule: search/text.py analysed the terms, so Elasticsearch only splits them on spaces (the
    built-in whitespace analyzer, named exactly). `_terms()` is what built the fields at import."""
    spec = mapping._terms().to_dict()
    assert spec == {"type": "text", "analyzer": "whitespace"}
    properties = build_index("cases-1").to_dict()["mappings"]["properties"]
    assert all(properties[name] == spec for name in TERM_FIELDS)


def test_display_fields_are_analysed_in_indonesian_with_synonyms_at_search_time(server):
    """The display-field rule: title, summary and text are indexed with the Indonesian analyzer and searched with
    its synonym twin, both defined in the index (so Elasticsearch accepts the index). `_display()` built them."""
    spec = mapping._display().to_dict()
    assert spec == {
        "type": "text",
        "analyzer": "livinglab_indonesian",
        "search_analyzer": "livinglab_indonesian_search",
    }
    properties = build_index("cases-1").to_dict()["mappings"]["properties"]
    assert all(properties[name] == spec for name in DISPLAY_FIELDS)
    client = server()
    definition = {"settings": build_index("x", [["mpp", "mal pelayanan publik"]]).to_dict()["settings"]}
    definition["mappings"] = {"properties": {"title": spec}}
    client.indices.create(index="probe", body=definition)  # the analyzers it names exist


def replicas(setting, nodes: int) -> int:
    """The number of replicas Elasticsearch keeps for `index.auto_expand_replicas` on a cluster of `nodes`
    (without the setting: number_of_replicas, default 1)."""
    if setting is None:
        return 1
    low, high = re.fullmatch(r"(\d+)-(\d+|all)", setting).groups()
    high = nodes - 1 if high == "all" else int(high)
    return max(int(low), min(high, nodes - 1))


@pytest.mark.parametrize(("nodes", "expected"), [(1, 0), (2, 1), (5, 1)])
def test_replicas_follow_the_cluster_so_a_single_node_stays_green(nodes, expected):
    """The replica rule: no replica on a single node (an unassignable replica makes the index yellow), one
    as soon as there is a second node to hold it."""
    settings = build_index("cases-1").to_dict()["settings"]
    assert replicas(settings.get("auto_expand_replicas"), nodes) == expected


# ---------------------------------------------------------------- scoring


def function_score(request: dict, text_score: float, region: str) -> float:
    """The score Elasticsearch gives a document of `region` whose text scored `text_score` (function_score with
    weight functions filtered by region_code; modes read case-insensitively, unknown modes refused)."""
    query = request["query"]
    if "function_score" not in query:
        return text_score
    fs = query["function_score"]
    score_mode = (fs.get("score_mode") or "multiply").lower()
    boost_mode = (fs.get("boost_mode") or "multiply").lower()
    if score_mode not in {"multiply", "sum", "avg", "first", "max", "min"}:
        raise refused(f"illegal score_mode [{fs['score_mode']}]")
    if boost_mode not in {"multiply", "replace", "sum", "avg", "max", "min"}:
        raise refused(f"illegal boost_mode [{fs['boost_mode']}]")
    weights = [f["weight"] for f in fs["functions"] if region in f["filter"]["terms"]["region_code"]]
    if not weights:
        return text_score
    combined = {
        "multiply": math.prod(weights),
        "sum": sum(weights),
        "avg": sum(weights) / len(weights),
        "first": weights[0],
        "max": max(weights),
        "min": min(weights),
    }[score_mode]
    return {
        "multiply": text_score * combined,
        "replace": combined,
        "sum": text_score + combined,
        "avg": (text_score + combined) / 2,
        "max": max(text_score, combined),
        "min": min(text_score, combined),
    }[boost_mode]


def test_peers_text_score_is_multiplied_by_the_boost_and_others_keep_theirs():
    """The peer-boost rule: a case study of a peer region ranks with its text score times `boost`; any other
    keeps its text score."""
    request = body(groups=((("aduan",),),), boost_regions=("32.12", "32.11"), boost=3.0)
    assert function_score(request, 2.0, "32.11") == 6.0
    assert function_score(request, 2.0, "32.12") == 6.0
    assert function_score(request, 2.0, "35.01") == 2.0


# ---------------------------------------------------------------- highlighting

HIGHLIGHT_DEFAULTS = {"fragment_size": 100, "number_of_fragments": 5, "pre_tags": ["<em>"], "post_tags": ["</em>"]}
INDEX_MAX_ANALYZED_OFFSET = 1_000_000  # index.highlight.max_analyzed_offset's default


def highlight_options(request: dict, field: str) -> dict:
    """The options Elasticsearch highlights `field` with: its defaults, then the request's, then the field's.
    Null options are refused ("doesn't support values of type: VALUE_NULL")."""
    highlight = request["highlight"]
    own = {k: v for k, v in highlight.items() if k not in ("fields", "highlight_query")}
    own |= highlight["fields"][field]
    for key, value in own.items():
        if value is None:
            raise refused(f"[highlight] {key} doesn't support values of type: VALUE_NULL")
    return HIGHLIGHT_DEFAULTS | own


def highlighted(request: dict, field: str, text: str, word: str) -> list[str]:
    """The fragments Elasticsearch returns for `field` when `word` matches (a plain model: fragments are cut every
    fragment_size characters; number_of_fragments 0 means the whole field)."""
    options = highlight_options(request, field)
    limit = options.get("max_analyzed_offset")
    if len(text) > INDEX_MAX_ANALYZED_OFFSET and limit is None:
        raise refused(f"The length of [{field}] field has exceeded [{INDEX_MAX_ANALYZED_OFFSET}]")
    analysed = text[: min(limit or INDEX_MAX_ANALYZED_OFFSET, INDEX_MAX_ANALYZED_OFFSET)]
    (pre,), (post,) = options["pre_tags"], options["post_tags"]

    def mark(piece: str) -> str:
        return re.sub(rf"\b{re.escape(word)}\b", lambda m: f"{pre}{m.group()}{post}", piece)

    if options["number_of_fragments"] == 0:
        return [mark(analysed)]
    size = options["fragment_size"]
    pieces = [analysed[i : i + size] for i in range(0, len(analysed), size)]
    return [mark(p) for p in pieces if re.search(rf"\b{re.escape(word)}\b", p)][: options["number_of_fragments"]]


SEARCH = {"groups": ((("aduan",),),)}


@pytest.mark.parametrize("field", ["title", "summary"])
def test_title_and_summary_are_highlighted_whole(field):
    """The highlight rule for short fields: the whole title or summary comes back, however long, with every
    match marked."""
    text = "Layanan aduan warga " + "kata " * 60 + "dan aduan lagi"
    (fragment,) = highlighted(body(**SEARCH), field, text, "aduan")
    assert fragment.replace("<mark>", "").replace("</mark>", "") == text
    assert fragment.count("<mark>aduan</mark>") == 2


def test_the_text_is_highlighted_as_two_snippets_of_160_characters():
    """The highlight rule for the body: two snippets, each at most 160 characters of text, where the matches are."""
    text = ("aduan " + "x" * 200 + " ") * 6
    fragments = highlighted(body(**SEARCH), "text", text, "aduan")
    assert len(fragments) == 2
    plain = [f.replace("<mark>", "").replace("</mark>", "") for f in fragments]
    assert max(len(p) for p in plain) == 160


def test_matches_are_marked_as_the_database_engine_marks_them():
    """The markup rule: matches come back as `<mark>…</mark>` (HTML-escaped text around them), exactly the markup
    search/highlight.py gives on the other engines."""
    marked = Marker({stem("aduan")}).mark("aduan")
    pre, post = marked.split("aduan")
    for field in DISPLAY_FIELDS:
        options = highlight_options(body(**SEARCH), field)
        assert (options["pre_tags"], options["post_tags"]) == ([pre], [post])
        assert options["encoder"] == "html"


def test_a_text_longer_than_the_analysis_limit_is_highlighted_instead_of_failing():
    """The long-text rule: a case study whose text exceeds the index's highlight limit does not make the search
    fail; its first million characters are highlighted."""
    text = "aduan " + "kata " * 250_000
    assert len(text) > INDEX_MAX_ANALYZED_OFFSET
    assert highlighted(body(**SEARCH), "text", text, "aduan")[0].startswith("<mark>aduan</mark>")


def matches(clause: dict, text: str) -> bool:
    """Whether a highlight query clause (bool of multi_match phrase / phrase_prefix) matches `text`."""
    if "bool" in clause:
        should = clause["bool"]["should"]
        needed = clause["bool"].get("minimum_should_match") or 1  # only should clauses: 1 by default
        return sum(matches(c, text) for c in should) >= int(needed)
    spec = clause["multi_match"]
    words = re.findall(r"\w+", text.lower())
    wanted = spec["query"].lower().split()
    for i in range(len(words) - len(wanted) + 1):
        window = words[i : i + len(wanted)]
        if window[:-1] == wanted[:-1] and (
            window[-1] == wanted[-1] or (spec["type"] == "phrase_prefix" and window[-1].startswith(wanted[-1]))
        ):
            return True
    return False


def test_the_highlight_query_matches_a_text_holding_any_one_alternative():
    """The highlight-query rule: a text is highlighted as soon as it holds one of the searched words, phrases or
    prefixes, as the search matched it (one alternative of a group is enough)."""
    query = body(groups=((("izin",), ("tanda", "tangan")), (("elek*",),)))["highlight"]["highlight_query"]
    assert matches(query, "Semua izin di satu tempat")
    assert matches(query, "Tanda tangan digital")
    assert matches(query, "KTP elektronik")
    assert not matches(query, "tangan tanda")


# ---------------------------------------------------------------- the answer


def test_a_hit_without_a_score_counts_as_zero():
    """The score rule: a hit Elasticsearch gives no score (null) or a zero score ranks as 0, never as a match."""
    response = {
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "hits": [{"_id": "3", "_score": None}, {"_id": "4", "_score": 0.0}],
        }
    }
    assert parse_response(response, Query(**SEARCH)).scores == {3: 0.0, 4: 0.0}


def test_a_total_given_as_a_plain_number_is_read():
    """The total rule: the total count is read whether the server gives it as {"value": n} or as a plain number
    (rest_total_hits_as_int, older servers)."""
    response = {"hits": {"total": 42, "hits": [{"_id": "3", "_score": 1.5}]}}
    hits = parse_response(response, Query(**SEARCH, with_facets=False))
    assert (hits.ids, hits.total) == ([3], 42)


def test_a_search_asks_the_alias_and_reads_its_answer(server):
    """The search rule: the request built for the query goes to the alias, and the answer comes back as hits,
    scores, facets and highlights."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD}, response=RESPONSE)
    query = Query(groups=((("mal",),),))
    hits = ElasticsearchBackend().search(query)
    (request,) = client.searches
    assert request["index"] == ["cases"]
    assert request["body"] == build_search(query).to_dict()
    assert hits.ids == [17, 5]
    assert hits.scores == {17: 12.5, 5: 7.25}
    assert hits.total == 42
    assert hits.facets["indicator"] == {"42": 30, "43": 12}
    assert hits.highlights == {17: {"title": ["<mark>Mal</mark> Pelayanan"]}}


# ---------------------------------------------------------------- the server


def test_ping_is_true_when_the_server_answers(server, monkeypatch):
    """The health rule: ping is True when the server answers, False when it says no or fails."""
    client = server()
    client.ping = lambda: True
    assert ElasticsearchBackend().ping() is True
    client.ping = lambda: False
    assert ElasticsearchBackend().ping() is False


def test_writes_wait_longer_than_searches_but_not_forever(server):
    """The timeout rule: rebuilds, index and delete writes get a bounded timeout longer than a search's."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD})
    backend = ElasticsearchBackend()
    backend.rebuild(iter([[indexed(1)]]), 1)
    backend.index([indexed(2)])
    backend.delete([2])
    assert client.option_calls
    for options in client.option_calls:
        timeout = options["request_timeout"]
        assert isinstance(timeout, int | float) and timeout > es_backend.TIMEOUT


def test_writing_to_a_concrete_index_under_the_alias_name_writes_there(server):
    """The first-write rule: when the configured name is already a concrete index (written before any alias
    existed), documents go to it; no index is created (Elasticsearch refuses an alias named like an index)."""
    client = server(concrete={"cases"})
    ElasticsearchBackend().index([indexed(4)])
    assert not [entry for entry in client.log if entry[0] == "create"]
    ((_, actions, _options),) = client.log
    assert actions[0]["_index"] == "cases"


def synonyms_of(client, index: str) -> list[str]:
    return client.indices.settings[index]["analysis"]["filter"]["livinglab_synonyms"]["synonyms"]


def test_the_first_write_creates_an_index_with_the_synonyms(server):
    """The synonym rule (first write): the index created before the first rebuild already expands the
    moderators' synonyms."""
    client = server()
    ElasticsearchBackend().index([indexed(4)])
    assert synonyms_of(client, new_index(client)) == ["mpp, mal pelayanan publik"]


def test_a_rebuilt_index_expands_the_synonyms_and_loads_without_refreshing(server):
    """The rebuild rule: the new index has the moderators' synonyms; while documents are loaded it is never
    refreshed; after loading, refreshes are back to the default and it is refreshed once before it serves."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD})
    count = ElasticsearchBackend().rebuild(iter([[indexed(1), indexed(2)], [indexed(3)]]), 3)
    new = new_index(client)
    assert count == 3
    assert synonyms_of(client, new) == ["mpp, mal pelayanan publik"]
    assert client.indices.refresh_while_loading == ["-1", "-1", "-1"]
    assert "refresh_interval" not in client.indices.settings[new]
    assert set(client.indices.documents[new]) == {"1", "2", "3"}
    assert ("refresh", new) in client.log
    assert client.indices.aliases == {"cases": [new]}


def test_a_rebuild_expecting_one_document_refuses_to_swap_in_an_empty_index(server):
    """The empty-rebuild rule: when documents were expected (even one) and none was loaded, the alias stays on the
    live index and the new index is deleted."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD})
    with pytest.raises(RuntimeError, match="no documents"):
        ElasticsearchBackend().rebuild(iter([[]]), 1)
    assert client.indices.aliases == {"cases": [OLD]}
    assert client.indices.concrete == {OLD}


def test_a_failed_rebuild_raises_its_own_error_even_when_the_cleanup_fails(server, monkeypatch):
    """The failure rule: when loading fails and the server is then lost too, the loading error is the one raised."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD})

    def failing(client, actions, **kwargs):
        raise es_backend.helpers.BulkIndexError("1 document(s) failed to index.", [{}])
        yield

    monkeypatch.setattr(es_backend.helpers, "streaming_bulk", failing)
    client.indices.deletes_fail = True
    with pytest.raises(es_backend.helpers.BulkIndexError):
        ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1)


def test_a_rebuild_drops_every_index_the_alias_pointed_at(server):
    """The cleanup rule: after the switch, every old index behind the alias is deleted (after an interrupted run
    the alias may point at two)."""
    second = "cases-20240102000000000000"
    client = server(aliases={"cases": [OLD, second]}, concrete={OLD, second})
    ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1)
    new = new_index(client)
    assert client.indices.aliases == {"cases": [new]}
    assert client.indices.concrete == {new}


def test_a_rebuild_succeeds_when_another_run_already_dropped_the_old_index(server):
    """The concurrent-rebuild rule: once the alias is switched, the rebuild has succeeded, even if another run
    deleted the old index before this one got to it."""
    client = server(aliases={"cases": [OLD]}, concrete={OLD})

    def another_run_drops_the_old_index():
        client.indices.concrete.discard(OLD)

    client.indices.after_swap = another_run_drops_the_old_index
    assert ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1) == 1
    assert client.indices.aliases == {"cases": [new_index(client)]}
