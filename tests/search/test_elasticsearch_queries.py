"""The Elasticsearch engine without a server: the index definition, the request bodies and the response parsing
as data, the alias switch of a rebuild against a recording fake client, and ping's failure path. (The engine's
behaviour against a real server is tests/search/test_contract.py, run when ELASTICSEARCH_URL is set.)"""

from datetime import UTC, datetime

import pytest
from elasticsearch import BadRequestError

from search.backends.base import FACETS, Filters, Query
from search.backends.elasticsearch import backend as es_backend
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.backends.elasticsearch.mapping import TERM_FIELDS, CaseStudyDocument, build_index, index_settings
from search.backends.elasticsearch.queries import build_search
from search.backends.elasticsearch.responses import parse_response
from search.documents import IndexedDocument

WEIGHTED = [
    "title_terms^10",
    "title_words^10",
    "indicator_terms^5",
    "tag_terms^5",
    "summary_terms^3",
    "region_terms^3",
    "body_terms^1",
]


@pytest.fixture(autouse=True)
def _search_settings(settings):
    settings.ELASTICSEARCH_INDEX = "cases"
    settings.LIVINGLAB_SEARCH_WEIGHTS = {"title": 10.0, "indicators": 5.0, "tags": 5.0, "summary": 3.0, "body": 1.0}


def body(**query) -> dict:
    return build_search(Query(**query)).to_dict()


def bool_query(request: dict) -> dict:
    return request["query"]["bool"]


def term(word: str) -> dict:
    return {"multi_match": {"query": word, "fields": WEIGHTED, "type": "most_fields"}}


def group(*alternatives) -> dict:
    return {"bool": {"should": list(alternatives), "minimum_should_match": 1}}


# ---------------------------------------------------------------- the index


def test_index_settings_define_the_indonesian_analysis_and_the_synonyms():
    analysis = index_settings([["MPP", "Mal Pelayanan Publik"], ["e-KTP", "KTP elektronik", "ktp-el"]])["analysis"]
    assert analysis["analyzer"]["livinglab_indonesian"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding", "livinglab_indonesian_stop", "livinglab_indonesian_stemmer"],
    }
    assert analysis["analyzer"]["livinglab_indonesian_search"]["filter"] == [
        "lowercase",
        "asciifolding",
        "livinglab_synonyms",
        "livinglab_indonesian_stop",
        "livinglab_indonesian_stemmer",
    ]
    filters = analysis["filter"]
    assert filters["livinglab_indonesian_stemmer"] == {"type": "stemmer", "language": "indonesian"}
    assert filters["livinglab_indonesian_stop"]["type"] == "stop"
    assert {"yang", "dan", "untuk"} <= set(filters["livinglab_indonesian_stop"]["stopwords"])
    assert "tidak" not in filters["livinglab_indonesian_stop"]["stopwords"]  # officers search for it
    assert filters["livinglab_synonyms"] == {
        "type": "synonym_graph",
        "synonyms": ["mpp, mal pelayanan publik", "e ktp, ktp elektronik, ktp el"],
        "lenient": True,
    }


def test_synonym_rules_are_normalised_and_single_phrase_groups_dropped():
    groups = [["A => B", "c\\d"], ["alone"], ["Sama", "sama "], ["solo", "—"]]
    filters = index_settings(groups)["analysis"]["filter"]
    assert filters["livinglab_synonyms"]["synonyms"] == ["a b, c d"]


def test_without_synonyms_the_search_analyzer_has_no_synonym_filter():
    analysis = index_settings([])["analysis"]
    assert "livinglab_synonyms" not in analysis["filter"]
    assert "livinglab_synonyms" not in analysis["analyzer"]["livinglab_indonesian_search"]["filter"]


def test_mapping_types():
    mapping = build_index("cases-1", []).to_dict()["mappings"]
    assert mapping["dynamic"] == "strict"
    types = {name: spec["type"] for name, spec in mapping["properties"].items()}
    for name in ("region_code", "province_code", "region_type", "status", "tags"):
        assert types[name] == "keyword", name
    for name in (
        "indicators",
        "aspects",
        "domains",
        "year_start",
        "verified_gain",
        "successful_replications",
        "page_id",
    ):
        assert types[name] == "integer", name
    assert types["first_published_at"] == "date"
    terms = (
        "title_terms",
        "indicator_terms",
        "tag_terms",
        "summary_terms",
        "region_terms",
        "body_terms",
        "title_words",
    )
    for name in terms:
        assert mapping["properties"][name] == {"type": "text", "analyzer": "whitespace"}, name
    for name in ("title", "summary", "text"):
        assert mapping["properties"][name] == {
            "type": "text",
            "analyzer": "livinglab_indonesian",
            "search_analyzer": "livinglab_indonesian_search",
        }, name


def test_index_settings_are_one_shard():
    assert index_settings([])["number_of_shards"] == 1


def test_document_from_an_indexed_document():
    published = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    values = {
        "page_id": 7,
        "title": "Mal Pelayanan Publik",
        "summary": "Satu gedung.",
        "text": "Semua izin.",
        "region_code": "32.11",
        "province_code": "32",
        "region_type": "kabupaten",
        "status": "active",
        "year_start": 2021,
        "first_published_at": published,
        "verified_gain": None,
        "successful_replications": 2,
        "title_terms": "mal layan publik",
        "indicator_terms": "i45 layan publik",
        "tag_terms": "mpp",
        "summary_terms": "gedung",
        "region_terms": "sumedang",
        "body_terms": "izin",
        "title_words": "mal pelayanan publik",
        "url": "/ignored/",
    }
    rows = [
        {"indicator": 45, "aspect": 8, "domain": 4, "verified": False},
        {"indicator": 42, "aspect": 8, "domain": 4, "verified": False},
        {"indicator": 3, "aspect": None, "domain": None, "verified": False},
    ]
    doc = CaseStudyDocument.from_indexed(IndexedDocument(values=values, indicator_rows=rows, tag_names=["mpp"]))
    assert doc.meta.id == 7
    source = doc.to_dict()
    assert source["indicators"] == [3, 42, 45]
    assert source["aspects"] == [8]  # each once, no nulls
    assert source["domains"] == [4]
    assert source["tags"] == ["mpp"]
    assert source["first_published_at"] == published
    assert "verified_gain" not in source  # missing: sorts last, never passes verified_only
    assert source["successful_replications"] == 2
    assert "url" not in source  # only mapped fields (the mapping is strict)
    assert source["title_words"] == "mal pelayanan publik"


# ---------------------------------------------------------------- the request


def test_groups_are_anded():
    request = body(groups=((("layan",), ("mal", "layan", "publik")), (("aduan",),)))
    assert bool_query(request)["must"] == [
        group(
            term("layan"),
            {"multi_match": {"query": "mal layan publik", "fields": WEIGHTED, "type": "phrase", "tie_breaker": 1.0}},
        ),
        group(term("aduan")),
    ]
    assert request["track_scores"] is True


def test_match_any_ors_the_groups():
    request = body(groups=((("layan",),), (("aduan",),)), match_any=True)
    assert bool_query(request)["must"] == [
        {"bool": {"should": [group(term("layan")), group(term("aduan"))], "minimum_should_match": 1}}
    ]


def test_phrase_alternative():
    request = body(groups=((("tanda", "tangan"),),))
    (alternative,) = bool_query(request)["must"][0]["bool"]["should"]
    assert alternative == {
        "multi_match": {"query": "tanda tangan", "fields": WEIGHTED, "type": "phrase", "tie_breaker": 1.0}
    }


def test_prefix_alternative_matches_title_words_only():
    request = body(groups=((("tanda",),), (("elek*",),)))
    (alternative,) = bool_query(request)["must"][1]["bool"]["should"]
    assert alternative == {"prefix": {"title_words": {"value": "elek", "boost": 10.0}}}


def test_field_weights_come_from_the_settings(settings):
    settings.LIVINGLAB_SEARCH_WEIGHTS = {"title": 8.0, "indicators": 4.0, "tags": 2.0, "summary": 1.5, "body": 0.5}
    (alternative,) = bool_query(body(groups=((("izin",),),)))["must"][0]["bool"]["should"]
    assert alternative["multi_match"]["fields"] == [
        "title_terms^8",
        "title_words^8",
        "indicator_terms^4",
        "tag_terms^2",
        "summary_terms^1.5",
        "region_terms^1.5",
        "body_terms^0.5",
    ]


@pytest.mark.parametrize(
    ("filters", "clause"),
    [
        (Filters(indicators=(42, 43)), {"terms": {"indicators": [42, 43]}}),
        (Filters(aspects=(8,)), {"terms": {"aspects": [8]}}),
        (Filters(domains=(2,)), {"terms": {"domains": [2]}}),
        (Filters(regions=("32.11",)), {"terms": {"region_code": ["32.11"]}}),
        (Filters(provinces=("32", "35")), {"terms": {"province_code": ["32", "35"]}}),
        (Filters(region_types=("kota",)), {"terms": {"region_type": ["kota"]}}),
        (Filters(statuses=("scaled", "stopped")), {"terms": {"status": ["scaled", "stopped"]}}),
        (Filters(tags=("Layanan Publik", "MPP")), {"terms": {"tags": ["layanan publik", "mpp"]}}),
        (Filters(year_from=2020), {"range": {"year_start": {"gte": 2020}}}),
        (Filters(year_to=2022), {"range": {"year_start": {"lte": 2022}}}),
        (Filters(year_from=2020, year_to=2022), {"range": {"year_start": {"gte": 2020, "lte": 2022}}}),
        (Filters(verified_only=True), {"range": {"verified_gain": {"gt": 0}}}),
    ],
)
def test_each_filter_is_in_filter_context(filters, clause):
    for groups in ((), ((("data",),),)):
        assert bool_query(body(groups=groups, filters=filters))["filter"] == [clause]


def test_filters_combine():
    clauses = bool_query(body(filters=Filters(indicators=(42,), regions=("32.12",), verified_only=True)))["filter"]
    assert clauses == [
        {"terms": {"indicators": [42]}},
        {"terms": {"region_code": ["32.12"]}},
        {"range": {"verified_gain": {"gt": 0}}},
    ]


def test_no_filters_no_filter_clauses():
    assert "filter" not in bool_query(body(groups=((("data",),),)))


def test_boost_multiplies_the_score_of_the_regions():
    request = body(groups=((("aduan",),),), boost_regions=("32.12", "32.11"), boost=3.0)
    function_score = request["query"]["function_score"]
    assert function_score["functions"] == [{"filter": {"terms": {"region_code": ["32.12", "32.11"]}}, "weight": 3.0}]
    assert function_score["boost_mode"] == "multiply"
    assert function_score["query"]["bool"]["must"] == [group(term("aduan"))]


@pytest.mark.parametrize(
    "query",
    [
        {"groups": ((("aduan",),),), "boost_regions": ("32.12",), "boost": 1.0},
        {"groups": ((("aduan",),),), "boost_regions": (), "boost": 3.0},
        {"groups": (), "boost_regions": ("32.12",), "boost": 3.0, "sort": "improvement"},  # scores are 0 without text
    ],
)
def test_no_boost_no_function_score(query):
    assert list(body(**query)["query"]) == ["bool"]


NEWEST = {"first_published_at": {"order": "desc", "missing": "_last"}}
BY_ID = {"page_id": {"order": "asc"}}
SCORE = {"_score": {"order": "desc"}}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("relevance", [SCORE, NEWEST, BY_ID]),
        ("newest", [NEWEST, BY_ID]),
        ("improvement", [{"verified_gain": {"order": "desc", "missing": "_last"}}, SCORE, NEWEST, BY_ID]),
        (
            "replications",
            [{"successful_replications": {"order": "desc", "missing": "_last"}}, SCORE, NEWEST, BY_ID],
        ),
    ],
)
def test_sorts(sort, expected):
    assert body(groups=((("data",),),), sort=sort)["sort"] == expected


def test_without_text_everything_matches_newest_first():
    request = body()
    assert bool_query(request)["must"] == [{"match_all": {}}]
    assert request["sort"] == [NEWEST, BY_ID]
    assert "highlight" not in request
    assert "track_scores" not in request


def test_unknown_sort_is_refused():
    with pytest.raises(KeyError):
        body(sort="popular")


def test_every_facet_is_aggregated_with_room_for_every_value():
    aggs = body(groups=((("data",),),))["aggs"]
    assert set(aggs) == set(FACETS)
    fields = {name: agg["terms"]["field"] for name, agg in aggs.items()}
    assert fields == {
        "indicator": "indicators",
        "aspect": "aspects",
        "domain": "domains",
        "province": "province_code",
        "year": "year_start",
        "tag": "tags",
        "status": "status",
        "region_type": "region_type",
    }
    assert all(agg["terms"]["size"] >= 1000 for agg in aggs.values())
    assert aggs["province"]["terms"]["exclude"] == [""]
    assert "exclude" not in aggs["tag"]["terms"]


def test_no_aggregations_without_facets():
    assert "aggs" not in body(with_facets=False)


def test_highlight():
    highlight = body(groups=((("layan",), ("mal", "layan")), (("elek*",),)))["highlight"]
    assert set(highlight["fields"]) == {"title", "summary", "text"}
    assert highlight["encoder"] == "html"
    assert highlight["pre_tags"] == ["<mark>"]
    should = highlight["highlight_query"]["bool"]["should"]
    assert [(s["multi_match"]["query"], s["multi_match"]["type"]) for s in should] == [
        ("layan", "phrase"),
        ("mal layan", "phrase"),
        ("elek", "phrase_prefix"),
    ]
    assert all(s["multi_match"]["fields"] == ["title", "summary", "text"] for s in should)


def test_window_total_and_source():
    request = body(offset=20, limit=10)
    assert (request["from"], request["size"]) == (20, 10)
    assert request["track_total_hits"] is True
    assert request["_source"] is False


def test_searches_the_alias(settings):
    settings.ELASTICSEARCH_INDEX = "livinglab-test"
    assert build_search(Query())._index == ["livinglab-test"]


# ---------------------------------------------------------------- the response

RESPONSE = {
    "took": 3,
    "timed_out": False,
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "max_score": 12.5,
        "hits": [
            {"_index": "cases-1", "_id": "17", "_score": 12.5, "highlight": {"title": ["<mark>Mal</mark> Pelayanan"]}},
            {"_index": "cases-1", "_id": "5", "_score": 7.25},
        ],
    },
    "aggregations": {
        "indicator": {"buckets": [{"key": 42, "doc_count": 30}, {"key": 43, "doc_count": 12}]},
        "aspect": {"buckets": [{"key": 8, "doc_count": 40}]},
        "domain": {"buckets": []},
        "province": {"buckets": [{"key": "32", "doc_count": 41}]},
        "year": {"buckets": [{"key": 2022, "doc_count": 20}, {"key": 2021, "doc_count": 22}]},
        "tag": {"buckets": [{"key": "layanan publik", "doc_count": 3}]},
        "status": {"buckets": [{"key": "active", "doc_count": 42}]},
        "region_type": {"buckets": [{"key": "kabupaten", "doc_count": 40}, {"key": "kota", "doc_count": 2}]},
    },
}


def test_parse_response():
    hits = parse_response(RESPONSE, Query(groups=((("mal",),),)))
    assert hits.ids == [17, 5]
    assert hits.scores == {17: 12.5, 5: 7.25}
    assert hits.total == 42
    assert hits.facets == {
        "indicator": {"42": 30, "43": 12},
        "aspect": {"8": 40},
        "province": {"32": 41},
        "year": {"2022": 20, "2021": 22},
        "tag": {"layanan publik": 3},
        "status": {"active": 42},
        "region_type": {"kabupaten": 40, "kota": 2},
    }  # "domain" had no bucket: absent, as in the database engine
    assert hits.highlights == {17: {"title": ["<mark>Mal</mark> Pelayanan"]}}


def test_numeric_facet_values_read_as_the_database_engine_gives_them():
    """The facet-value rule: "42", "2021", whatever JSON number type the server used for a numeric bucket key
    (a float key such as 42.0 comes from a numeric field aggregated as double); the service selects and labels by
    these strings, so "42.0" would be a value no filter matches."""
    floats = {
        **RESPONSE,
        "aggregations": {
            "indicator": {"buckets": [{"key": 42.0, "doc_count": 30}, {"key": 43.0, "doc_count": 12}]},
            "year": {"buckets": [{"key": 2022.0, "doc_count": 20}]},
            "aspect": {"buckets": [{"key": 8, "doc_count": 40}]},
        },
    }
    hits = parse_response(floats, Query())
    assert hits.facets == {"indicator": {"42": 30, "43": 12}, "year": {"2022": 20}, "aspect": {"8": 40}}


def test_parse_response_without_text_has_zero_scores():
    response = {**RESPONSE, "hits": {**RESPONSE["hits"], "hits": [{"_id": "3", "_score": 1.0, "sort": [1, 3]}]}}
    hits = parse_response(response, Query())
    assert hits.ids == [3]
    assert hits.scores == {3: 0.0}


def test_parse_response_without_facets():
    response = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
    hits = parse_response(response, Query(with_facets=False))
    assert (hits.ids, hits.total, hits.facets) == ([], 0, {})


# ---------------------------------------------------------------- the server


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "", "not a url"])
def test_ping_is_false_when_the_server_is_unreachable(settings, url):
    settings.ELASTICSEARCH_URL = url
    assert ElasticsearchBackend().ping() is False


class FakeIndices:
    """Records the index API calls a rebuild makes; `aliases` maps alias → indexes."""

    def __init__(self, log, aliases):
        self.log, self.aliases = log, aliases

    def create(self, index, body=None, **kwargs):
        self.log.append(("create", index))
        self.created = body

    def exists_alias(self, name):
        return name in self.aliases

    def put_settings(self, index, settings):
        self.log.append(("put_settings", index, settings))

    def refresh(self, index):
        self.log.append(("refresh", index))

    def get_alias(self, name):
        if name not in self.aliases:
            raise es_backend.NotFoundError("alias missing", meta=None, body={})
        return {index: {"aliases": {name: {}}} for index in self.aliases[name]}

    def exists(self, index):
        return False

    def update_aliases(self, actions):
        self.log.append(("update_aliases", actions))

    def delete(self, index, **kwargs):
        self.log.append(("delete", index))


class FakeClient:
    def __init__(self, aliases=None):
        self.log = []
        self.indices = FakeIndices(self.log, aliases or {})

    def options(self, **kwargs):
        return self


def fake_bulk(loaded: list, fail: bool = False):
    def streaming_bulk(client, actions, **kwargs):
        for action in actions:
            if fail:
                raise es_backend.helpers.BulkIndexError("1 document(s) failed to index.", [{}])
            loaded.append(action)
            yield True, {"index": {"_id": action["_id"]}}

    return streaming_bulk


def indexed(page_id: int) -> IndexedDocument:
    values = dict.fromkeys(
        ("region_code", "province_code", "region_type", "status", "title", "summary", "text"), "x"
    ) | dict.fromkeys(TERM_FIELDS, "x")
    values |= {"page_id": page_id, "year_start": 2021, "verified_gain": 1, "first_published_at": None}
    values["successful_replications"] = 0
    return IndexedDocument(values=values, indicator_rows=[], tag_names=[])


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(es_backend, "synonym_groups", lambda: [["mpp", "mal pelayanan publik"]])

    def install(client, **bulk):
        loaded: list = []
        monkeypatch.setattr(es_backend, "_client", lambda url: client)
        monkeypatch.setattr(es_backend.helpers, "streaming_bulk", fake_bulk(loaded, **bulk))

        def bulk_writes(client, actions, **kwargs):
            client.log.append(("bulk", list(actions), kwargs))

        monkeypatch.setattr(es_backend.helpers, "bulk", bulk_writes)
        return loaded

    return install


def test_rebuild_loads_a_new_index_then_moves_the_alias_and_drops_the_old(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    loaded = fake(client)
    progress: list[int] = []
    count = ElasticsearchBackend().rebuild(iter([[indexed(1), indexed(2)], [indexed(3)]]), 3, progress=progress.append)
    assert count == 3
    assert progress == [2, 1]
    (create, put_settings, refresh, swap, delete) = client.log
    new = create[1]
    assert new.startswith("cases-") and new != "cases-20240101000000000000"
    assert {a["_index"] for a in loaded} == {new}  # loaded into the new index, not through the alias
    assert [a["_id"] for a in loaded] == ["1", "2", "3"]
    assert put_settings == ("put_settings", new, {"index": {"refresh_interval": None}})
    assert refresh == ("refresh", new)
    assert swap == (
        "update_aliases",
        [
            {"add": {"index": new, "alias": "cases"}},
            {"remove": {"index": "cases-20240101000000000000", "alias": "cases"}},
        ],
    )  # one call: atomic
    assert delete == ("delete", "cases-20240101000000000000")


class ServerIndices(FakeIndices):
    """FakeIndices that keeps the server's state as Elasticsearch would: concrete indexes and aliases, and an
    alias action refused (the whole call) when its name is a concrete index that the same call does not remove."""

    def __init__(self, log, aliases, concrete):
        super().__init__(log, aliases)
        self.concrete = set(concrete)

    def create(self, index, body=None, **kwargs):
        super().create(index, body, **kwargs)
        self.concrete.add(index)

    def exists(self, index):
        return index in self.concrete

    def update_aliases(self, actions):
        super().update_aliases(actions)
        removed = {a["remove_index"]["index"] for a in actions if "remove_index" in a}
        for action in actions:
            if "add" in action and action["add"]["alias"] in self.concrete - removed:
                raise BadRequestError("invalid_alias_name_exception", meta=None, body={})
        self.concrete -= removed
        for action in actions:
            if "add" in action:
                self.aliases.setdefault(action["add"]["alias"], []).append(action["add"]["index"])
            if "remove" in action:
                self.aliases[action["remove"]["alias"]].remove(action["remove"]["index"])

    def delete(self, index, **kwargs):
        super().delete(index, **kwargs)
        self.concrete.discard(index)


def test_rebuild_replaces_a_concrete_index_that_squats_the_alias_name(fake):
    """The alias rule: after a rebuild the configured name is an alias of the new index, even where documents
    were once written to that name before any alias existed (Elasticsearch then made a concrete index of it)."""
    client = FakeClient()
    client.indices = ServerIndices(client.log, {}, concrete={"cases"})
    fake(client)
    ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1)
    new = client.log[0][1]
    assert client.indices.aliases == {"cases": [new]}
    assert client.indices.concrete == {new}


def test_first_rebuild_just_adds_the_alias(fake):
    client = FakeClient()
    fake(client)
    ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1)
    (swap,) = [entry for entry in client.log if entry[0] == "update_aliases"]
    assert swap[1] == [{"add": {"index": client.log[0][1], "alias": "cases"}}]
    assert not [entry for entry in client.log if entry[0] == "delete"]


def test_failed_rebuild_deletes_the_new_index_and_keeps_the_alias(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    fake(client, fail=True)
    with pytest.raises(es_backend.helpers.BulkIndexError):
        ElasticsearchBackend().rebuild(iter([[indexed(1)]]), 1)
    new = client.log[0][1]
    assert client.log[-1] == ("delete", new)
    assert not [entry for entry in client.log if entry[0] == "update_aliases"]


def test_rebuild_refuses_to_swap_in_an_empty_index(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    fake(client)
    with pytest.raises(RuntimeError, match="no documents"):
        ElasticsearchBackend().rebuild(iter([[]]), 5)
    assert not [entry for entry in client.log if entry[0] == "update_aliases"]
    assert client.log[-1] == ("delete", client.log[0][1])


def test_clear_swaps_in_an_empty_index(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    loaded = fake(client)
    ElasticsearchBackend().clear()
    assert loaded == []
    new = client.log[0][1]
    (swap,) = [entry for entry in client.log if entry[0] == "update_aliases"]
    assert swap[1] == [
        {"add": {"index": new, "alias": "cases"}},
        {"remove": {"index": "cases-20240101000000000000", "alias": "cases"}},
    ]
    assert client.log[-1] == ("delete", "cases-20240101000000000000")


def test_index_writes_through_the_alias_and_is_visible_at_once(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    fake(client)
    ElasticsearchBackend().index([indexed(4)])
    ((_, actions, options),) = client.log
    assert [(a["_index"], a["_id"]) for a in actions] == [("cases", "4")]
    assert actions[0]["_source"]["page_id"] == 4
    assert options == {"refresh": "wait_for"}


def test_index_before_any_rebuild_creates_the_alias_first(fake):
    client = FakeClient()
    fake(client)
    ElasticsearchBackend().index([indexed(4)])
    (create, bulk) = client.log
    assert create[0] == "create" and create[1].startswith("cases-")
    assert client.indices.created["aliases"] == {"cases": {}}
    assert "mappings" in client.indices.created  # never an index with guessed mappings
    assert bulk[1][0]["_index"] == "cases"


def test_delete_ignores_documents_already_gone(fake):
    client = FakeClient(aliases={"cases": ["cases-20240101000000000000"]})
    fake(client)
    ElasticsearchBackend().delete([4, 5])
    ((_, actions, options),) = client.log
    assert actions == [
        {"_op_type": "delete", "_index": "cases", "_id": "4"},
        {"_op_type": "delete", "_index": "cases", "_id": "5"},
    ]
    assert options == {"refresh": "wait_for", "ignore_status": (404,)}


def test_delete_without_an_index_does_nothing(fake):
    client = FakeClient()
    fake(client)
    ElasticsearchBackend().delete([4])
    assert client.log == []
