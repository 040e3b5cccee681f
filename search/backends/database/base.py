"""What the database engines share: the full-text match is the vendor's (sqlite.py: FTS5, postgres.py: tsvector),
and the rest — filters, facets and the order — is worked out over the matched ids in memory; the writes too.

Wagtail's database backend ranks and filters around the full-text match in ways that grow with the whole table
(../shared/notes/search-baseline.md: 7.5 s at 10k pages on SQLite). Here a search is one SQL statement — every
match with its text score — and set operations on a per-process table of the documents' small columns
(search/backends/document_table.py): filters are ANDs of bitsets, each facet value a popcount, the page a partial
sort.
"""

import heapq
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from ...models import SearchDocument, SearchDocumentIndicator, SearchDocumentTag, SearchText
from ..base import FACETS, Filters, Hits, Query, SearchBackend
from ..document_table import DocumentTable, document_table

# With filters that leave at most this many case studies, only those are ranked (the facets still need every
# match's id, which the index lists without ranking).
SCORE_WITHIN_MAX = 10_000
DOCUMENT_FIELDS = frozenset(f.attname for f in SearchDocument._meta.concrete_fields)
TEXT_FIELDS = frozenset(f.attname for f in SearchText._meta.concrete_fields) - {"document_id"}

# Filters field → the table's facet it selects on (values of one filter are alternatives).
FILTER_FACETS = {
    "indicators": "indicator",
    "aspects": "aspect",
    "domains": "domain",
    "regions": "region",
    "provinces": "province",
    "region_types": "region_type",
    "statuses": "status",
    "tags": "tag",
}


def field_weights() -> dict[str, float]:
    return settings.LIVINGLAB_SEARCH_WEIGHTS


def filter_masks(table: DocumentTable, filters: Filters) -> dict[str, int]:
    """facet → the bitset its filter allows (only for filters that are set; "year" and "verified" included)."""
    masks = {}
    for field_name, facet in FILTER_FACETS.items():
        chosen = getattr(filters, field_name)
        if chosen:
            values = table.masks.get(facet, {})
            if facet == "tag":
                chosen = [c.lower() for c in chosen]
            mask = 0
            for value in chosen:
                mask |= values.get(str(value), 0)
            masks[facet] = mask
    if filters.year_from is not None or filters.year_to is not None:
        low = filters.year_from if filters.year_from is not None else -1
        high = filters.year_to if filters.year_to is not None else 10_000
        mask = 0
        for year, bits in table.masks.get("year", {}).items():
            if low <= int(year) <= high:
                mask |= bits
        masks["year"] = mask
    if filters.verified_only:
        masks["verified"] = table.masks.get("verified", {}).get("1", 0)
    return masks


def _intersection(start: int, masks) -> int:
    for mask in masks:
        start &= mask
    return start


@dataclass
class Match:
    """How a vendor matches words: `ids`, the page ids of every match (no ranking work); `scored`, (page id, text
    score) of every match; `top`, `scored` best first with LIMIT and OFFSET placeholders."""

    ids: str
    scored: str
    top: str
    params: list
    # `scored` restricted to some page ids (one array parameter, `params_within(ids)`), where the vendor has it.
    scored_within: str | None = None
    params_within: Callable[[list[int]], list] | None = None


class DatabaseBackend(SearchBackend):
    name = "database"
    # Statements run before the match statements, in one transaction with them (SET LOCAL …: it ends with the
    # request's own transaction; inside an outer one, with that).
    setup: tuple[str, ...] = ()

    def _match(self, query: Query) -> Match:
        raise NotImplementedError

    def _execute(self, statements: list[tuple[str, list]]) -> list[list[tuple]]:
        """Run the match statements in one transaction, after `setup`; their rows."""
        with transaction.atomic() if self.setup else nullcontext(), connection.cursor() as cursor:
            for statement in self.setup:
                cursor.execute(statement)
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
            return results

    def search(self, query: Query) -> Hits:
        table = document_table()
        filters = filter_masks(table, query.filters)
        plain = query.has_text and not filters and not query.boost_regions and query.sort == "relevance"
        if plain:
            return self._plain_search(table, query)
        scores: dict[int, float] = {}  # ordinal → text score
        if query.has_text:
            match = self._match(query)
            ordinal = table.ordinal
            allowed = _intersection(table.everything, filters.values()) if filters else None
            if match.scored_within and allowed is not None and allowed.bit_count() <= SCORE_WITHIN_MAX:
                # Selective filters: every match's id (for the facets) and scores for the filtered ones only.
                allowed_ids = [table.page_ids[o] for o in table.members(allowed)]
                ids, rows = self._execute(
                    [(match.ids, match.params), (match.scored_within, match.params_within(allowed_ids))]
                )
                matched = table.mask_of(o for (page_id,) in ids if (o := ordinal.get(page_id)) is not None)
            else:
                (rows,) = self._execute([(match.scored, match.params)])
                matched = None
            for page_id, score in rows:
                o = ordinal.get(page_id)
                if o is not None:  # a row written after this process's table was built: the next version has it
                    scores[o] = score
            if matched is None:
                matched = table.mask_of(scores)
        else:
            matched = table.everything
        selected = matched
        for mask in filters.values():
            selected &= mask
        total = selected.bit_count()
        facets = self._facets(table, matched, filters) if query.with_facets else {}
        window = self._page(table, query, selected, total, scores, filtered=bool(filters))
        boosted = set(query.boost_regions) if query.boost != 1.0 else set()
        return Hits(
            ids=[table.page_ids[o] for o in window],
            scores={
                table.page_ids[o]: float(scores.get(o, 0.0)) * (query.boost if table.region[o] in boosted else 1.0)
                for o in window
            },
            total=total,
            facets=facets,
            disjunctive_facets=True,
        )

    def _plain_search(self, table: DocumentTable, query: Query) -> Hits:
        """Words only, by relevance (most searches): the database ranks and cuts the page itself; the facets need
        only the matched ids (`_page_and_ids`)."""
        rows, ids = self._page_and_ids(self._match(query), query)
        ordinal = table.ordinal
        matched = table.mask_of(o for page_id in ids if (o := ordinal.get(page_id)) is not None)
        return Hits(
            ids=[page_id for page_id, _score in rows],
            scores={page_id: float(score) for page_id, score in rows},
            total=matched.bit_count(),
            facets=self._facets(table, matched, {}) if query.with_facets else {},
            disjunctive_facets=True,
        )

    def _page_and_ids(self, match: Match, query: Query) -> tuple[list[tuple[int, float]], list[int]]:
        """(page id, score) of the asked window, best first, and the page ids of every match."""
        rows, ids = self._execute([(match.top, [*match.params, query.limit, query.offset]), (match.ids, match.params)])
        return rows, [page_id for (page_id,) in ids]

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _facets(table: DocumentTable, matched: int, filters: dict[str, int]) -> dict[str, dict[str, int]]:
        """Counts per facet value; a facet is counted without its own filter (multi-select facets)."""
        facets = {}
        for facet in FACETS:
            base = matched
            for name, mask in filters.items():
                if name != facet:
                    base &= mask
            counts = {}
            for value, bits in table.masks.get(facet, {}).items():
                count = (base & bits).bit_count()
                if count:
                    counts[value] = count
            if counts:
                facets[facet] = counts
        return facets

    def _page(
        self, table: DocumentTable, query: Query, selected: int, total: int, scores, *, filtered: bool
    ) -> list[int]:
        """The ordinals of the asked window, in the asked order."""
        wanted = query.offset + query.limit
        if not total or query.limit <= 0 or query.offset >= total:
            return []
        newest = table.newest_rank
        sort = query.sort if query.has_text or query.sort != "relevance" else "newest"
        if sort == "newest":
            return heapq.nsmallest(wanted, table.members(selected), key=newest.__getitem__)[query.offset :]
        if sort == "improvement":
            gain = table.gain

            def by_gain(o):
                g = gain[o]
                return (g is not None, g or 0, scores.get(o, 0.0), -newest[o])

            return heapq.nlargest(wanted, table.members(selected), key=by_gain)[query.offset :]
        if sort == "replications":
            replicated = table.replicated

            def by_replications(o):
                return (replicated[o], scores.get(o, 0.0), -newest[o])

            return heapq.nlargest(wanted, table.members(selected), key=by_replications)[query.offset :]
        # Relevance: text score × peer boost, then newest.
        candidates = scores.keys() if not filtered else table.members(selected)
        boosted = set(query.boost_regions) if query.boost != 1.0 else ()
        region, boost = table.region, query.boost

        def by_score(o):
            return (scores[o] * (boost if region[o] in boosted else 1.0), -newest[o])

        return heapq.nlargest(wanted, candidates, key=by_score)[query.offset :]

    # ------------------------------------------------------------------ writes

    def rebuild(self, batches: Iterable[list], total: int, progress: Callable[[int], object] | None = None) -> int:
        """Every document again, in one transaction: the tables are cleared and each batch written (`total` is
        not needed: the database has no index to swap), then `after_rebuild`."""
        loaded = 0
        with transaction.atomic():
            self.clear()
            for documents in batches:
                self.index(documents, replace=False)
                loaded += len(documents)
                if progress:
                    progress(len(documents))
        self.after_rebuild()
        return loaded

    def after_rebuild(self) -> None:
        """Called after every document has been written again (`rebuild`, outside its transaction)."""

    @transaction.atomic
    def index(self, documents: list, *, replace: bool = True) -> None:
        if not documents:
            return
        if replace:
            self.delete([d.page_id for d in documents])
        SearchDocument.objects.bulk_create(
            [SearchDocument(**{k: v for k, v in d.values.items() if k in DOCUMENT_FIELDS}) for d in documents],
            batch_size=500,
        )
        SearchText.objects.bulk_create(
            [
                SearchText(document_id=d.page_id, **{k: v for k, v in d.values.items() if k in TEXT_FIELDS})
                for d in documents
            ],
            batch_size=500,
        )
        SearchDocumentIndicator.objects.bulk_create(
            [SearchDocumentIndicator(document_id=d.page_id, **row) for d in documents for row in d.indicator_rows],
            batch_size=1000,
        )
        SearchDocumentTag.objects.bulk_create(
            [SearchDocumentTag(document_id=d.page_id, name=name) for d in documents for name in d.tag_names],
            batch_size=1000,
        )

    @transaction.atomic
    def clear(self) -> None:
        SearchDocumentIndicator.objects.all().delete()
        SearchDocumentTag.objects.all().delete()
        SearchText.objects.all().delete()
        SearchDocument.objects.all().delete()

    @transaction.atomic
    def delete(self, page_ids: list[int]) -> None:
        SearchDocumentIndicator.objects.filter(document_id__in=page_ids).delete()
        SearchDocumentTag.objects.filter(document_id__in=page_ids).delete()
        SearchText.objects.filter(document_id__in=page_ids).delete()
        SearchDocument.objects.filter(page_id__in=page_ids).delete()
