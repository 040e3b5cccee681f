"""The Elasticsearch engine: the client, searches (queries.py builds the request, responses.py reads the answer)
and writes. Documents live in timestamped indexes behind the alias settings.ELASTICSEARCH_INDEX (mapping.py);
`rebuild` loads a new index and moves the alias in one atomic call, so searches never see a half-built index."""

import contextlib
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings

from elasticsearch import Elasticsearch, NotFoundError, helpers

from ..base import Hits, Query, SearchBackend
from .mapping import CaseStudyDocument, build_index, new_index_name
from .queries import build_search
from .responses import parse_response

TIMEOUT = 2  # seconds: searches and pings; an unreachable server must fail fast, not hang a page
WRITE_TIMEOUT = 120  # seconds: bulk loads and index creation on a busy server


def synonym_groups() -> list[list[str]]:
    """The moderators' synonym list, read when an index is built (search/models.py::Synonym)."""
    from ...models import Synonym

    return [synonym.phrases() for synonym in Synonym.objects.all()]


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
    external = True

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

    def clear(self) -> None:
        """An empty index behind the alias (a rebuild of nothing): the old indexes are dropped once it serves."""
        self.rebuild(iter(()), 0)

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
