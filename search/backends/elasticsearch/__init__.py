"""The Elasticsearch engine, written with the DSL of the official client (`elasticsearch.dsl`).

It reproduces the database engine (search/backends/database/) on a server: the same documents, matched on the
same pre-analysed terms (search/text.py stems and the service expands synonyms before the engine sees a query, so
the term fields use a plain `whitespace` analyzer and ES matches exactly what FTS5 and tsvector match), the same
filters, facets and sorts. The raw title, summary and text are also indexed with an Indonesian analyzer, only
for highlighting.

- analysis.py: the analyzers and the synonym rules;
- mapping.py: the document mapping, the index settings and names;
- queries.py: the request for a Query (`build_search`);
- responses.py: the response read back into Hits (`parse_response`);
- backend.py: the client and the engine (searches, writes, the alias switch of a rebuild).

The request is built and the response read by pure functions, so both are tested as data without a server
(tests/search/test_elasticsearch_queries.py). `SearchBackend` is what search.backends.get_search_backend returns
for "elasticsearch".
"""

from .backend import ElasticsearchBackend

SearchBackend = ElasticsearchBackend
