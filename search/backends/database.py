"""The embedded engine: the database's own full-text index over SearchDocument (SQLite FTS5, PostgreSQL tsvector).

Wagtail's database backend ranks and filters around the full-text match in ways that grow with the whole table
(../shared/notes/search-baseline.md: 7.5 s at 10k pages on SQLite). Here the match is the driving table: filters,
ranking, the page of ids and the facet counts are computed over the matched rows only, in two statements
(one for the page, one for the total and every facet), whatever the number of facets.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from ..models import SearchDocument, SearchDocumentIndicator, SearchDocumentTag, SearchText
from .base import FACETS, Filters, Hits, Query, SearchBackend

DOC = "search_searchdocument"
TEXT = "search_searchtext"
DOCUMENT_FIELDS = frozenset(f.attname for f in SearchDocument._meta.concrete_fields)
TEXT_FIELDS = frozenset(f.attname for f in SearchText._meta.concrete_fields) - {"document_id"}
IND = "search_searchdocumentindicator"
TAG = "search_searchdocumenttag"


def field_weights() -> dict[str, float]:
    return settings.LIVINGLAB_SEARCH_WEIGHTS


def _in(column: str, values, params: list) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def filter_clauses(filters: Filters, params: list) -> list[str]:
    """SQL conditions on the document alias `d` (standard SQL: the same on both databases)."""
    clauses = []
    for column, values in (("indicator", filters.indicators), ("aspect", filters.aspects), ("domain", filters.domains)):
        if values:
            clauses.append(f"d.page_id IN (SELECT document_id FROM {IND} WHERE {_in(column, values, params)})")
    for column, values in (
        ("d.region_code", filters.regions),
        ("d.province_code", filters.provinces),
        ("d.region_type", filters.region_types),
        ("d.status", filters.statuses),
    ):
        if values:
            clauses.append(_in(column, values, params))
    if filters.year_from is not None:
        clauses.append("d.year_start >= %s")
        params.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append("d.year_start <= %s")
        params.append(filters.year_to)
    if filters.tags:
        tags = [t.lower() for t in filters.tags]
        clauses.append(f"d.page_id IN (SELECT document_id FROM {TAG} WHERE {_in('name', tags, params)})")
    if filters.verified_only:
        clauses.append("d.verified_gain > 0")
    return clauses


# Every facet and the total in one statement over the matched ids `m`. Document-level facets come back as the
# combinations present (a few hundred rows at most) and are summed in Python; aspects and domains are counted
# per document through its aspect/domain sets, so a case study with two indicators of one aspect counts once.
FACET_SQL = f"""
SELECT 'indicator', CAST(i.indicator AS TEXT), '', '', '', COUNT(*) FROM {IND} i JOIN m ON m.id = i.document_id
 GROUP BY i.indicator
UNION ALL SELECT 'tag', t.name, '', '', '', COUNT(*) FROM {TAG} t JOIN m ON m.id = t.document_id GROUP BY t.name
UNION ALL SELECT 'sets', d.aspect_set, d.domain_set, '', '', COUNT(*) FROM {DOC} d JOIN m ON m.id = d.page_id
 GROUP BY d.aspect_set, d.domain_set
UNION ALL SELECT 'doc', d.province_code, CAST(d.year_start AS TEXT), d.status, d.region_type, COUNT(*)
 FROM {DOC} d JOIN m ON m.id = d.page_id GROUP BY d.province_code, d.year_start, d.status, d.region_type
"""


def _facets_from_rows(rows) -> tuple[int, dict[str, dict[str, int]]]:
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0

    def add(name, value, count):
        if value:
            facets[name][value] = facets[name].get(value, 0) + count

    for kind, a, b, c, d, count in rows:
        if kind in ("indicator", "tag"):
            add(kind, a, count)
        elif kind == "sets":
            for aspect in a.split(","):
                add("aspect", aspect, count)
            for domain in b.split(","):
                add("domain", domain, count)
        else:
            total += count
            add("province", a, count)
            add("year", b, count)
            add("status", c, count)
            add("region_type", d, count)
    return total, {name: values for name, values in facets.items() if values}


@dataclass
class Match:
    """How a vendor matches words: its full-text source, the page id in it, the rank and the condition."""

    source: str
    id_column: str
    source_params: list
    score: str
    condition: str
    condition_params: list
    join: str = "JOIN"  # SQLite: CROSS JOIN, which keeps the full-text match as the outer loop


class DatabaseBackend(SearchBackend):
    name = "database"

    # ------------------------------------------------------------------ vendor parts

    def _match(self, query: Query) -> Match:
        raise NotImplementedError

    # ------------------------------------------------------------------ search

    def search(self, query: Query) -> Hits:
        # The plain case (words, relevance, no filter, no boost) ranks on the full-text index alone; anything else
        # joins the documents' small columns.
        plain = query.has_text and query.sort == "relevance" and not query.boost_regions and query.filters == Filters()
        if query.has_text:
            m = self._match(query)
            source = m.source if plain else f"{m.source} {m.join} {DOC} d ON d.page_id = {m.id_column}"
            source_params, score, id_column = m.source_params, m.score, m.id_column if plain else "d.page_id"
            where, where_params = [m.condition], list(m.condition_params)
        else:
            source, source_params, score, where, where_params = f"{DOC} d", [], "0.0", [], []
            id_column = "d.page_id"
        where += filter_clauses(query.filters, where_params)
        where_sql = f" WHERE {' AND '.join(where)}" if where else ""
        score_params: list = []
        if query.boost_regions and query.boost != 1.0:
            regions = _in("d.region_code", query.boost_regions, score_params)
            score = f"({score}) * (CASE WHEN {regions} THEN {float(query.boost)} ELSE 1.0 END)"
        order = {
            "relevance": "score DESC, id DESC"
            if plain
            else "score DESC, d.first_published_at DESC NULLS LAST, d.page_id",
            "newest": "d.first_published_at DESC NULLS LAST, d.page_id",
            "improvement": "d.verified_gain DESC NULLS LAST, score DESC, d.first_published_at DESC NULLS LAST, d.page_id",
        }[query.sort if query.has_text or query.sort != "relevance" else "newest"]
        facets: dict[str, dict[str, int]] = {}
        with connection.cursor() as cursor:
            # Parameters in the order of their placeholders: SELECT (boost), FROM (query), WHERE (match, filters).
            cursor.execute(
                f"SELECT {id_column} AS id, {score} AS score FROM {source}{where_sql} ORDER BY {order} LIMIT %s OFFSET %s",
                [*score_params, *source_params, *where_params, query.limit, query.offset],
            )
            rows = cursor.fetchall()
            ids_cte = f"WITH m AS (SELECT {id_column} AS id FROM {source}{where_sql})"
            if query.with_facets:
                cursor.execute(f"{ids_cte} {FACET_SQL}", [*source_params, *where_params])
                total, facets = _facets_from_rows(cursor.fetchall())
            else:
                cursor.execute(f"{ids_cte} SELECT COUNT(*) FROM m", [*source_params, *where_params])
                total = cursor.fetchone()[0]
        return Hits(ids=[r[0] for r in rows], scores={r[0]: float(r[1] or 0) for r in rows}, total=total, facets=facets)

    # ------------------------------------------------------------------ writes

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


class SQLiteBackend(DatabaseBackend):
    """FTS5 over the analysed columns, ranked by bm25 with the field weights of the settings."""

    def _match(self, query):
        w = field_weights()
        weights = ", ".join(
            str(float(x))
            for x in (w["title"], w["title"], w["indicators"], w["tags"], w["summary"], w["summary"], w["body"])
        )
        # Without CROSS JOIN the planner may walk a selective filter index and run the FTS match once per row.
        return Match(
            "search_fts", "search_fts.rowid", [], f"-bm25(search_fts, {weights})", "search_fts MATCH %s",
            [fts5_expression(query)], join="CROSS JOIN",
        )  # fmt: skip


def _fts5_alternative(terms: tuple[str, ...]) -> str:
    if len(terms) == 1 and terms[0].endswith("*"):
        return f'title_words : "{terms[0][:-1]}"*'
    return '"' + " ".join(terms) + '"'


def fts5_expression(query: Query) -> str:
    """The FTS5 MATCH text. Terms are [a-z0-9]+ (search/text.py), so quoting them is all the escaping needed."""
    groups = ["(" + " OR ".join(_fts5_alternative(alt) for alt in group) + ")" for group in query.groups]
    return (" OR " if query.match_any else " AND ").join(groups)


def _tsquery_alternative(terms: tuple[str, ...]) -> str:
    if len(terms) == 1 and terms[0].endswith("*"):
        return f"{terms[0][:-1]}:*A"  # weight A: titles and indicator names
    return "(" + " <-> ".join(terms) + ")" if len(terms) > 1 else terms[0]


def tsquery_expression(query: Query) -> str:
    """The to_tsquery('simple', …) text; terms are [a-z0-9]+ so they need no escaping."""
    groups = ["(" + " | ".join(_tsquery_alternative(alt) for alt in group) + ")" for group in query.groups]
    return (" | " if query.match_any else " & ").join(groups)


class PostgresBackend(DatabaseBackend):
    """The generated, weighted tsvector with its GIN index, ranked by ts_rank with the settings' weights."""

    def _match(self, query):
        w = field_weights()
        top = max(w.values())
        # ts_rank weights are {D, C, B, A}: body, summary, indicators and tags, title.
        weights = [w["body"] / top, w["summary"] / top, max(w["indicators"], w["tags"]) / top, w["title"] / top]
        rank = f"ts_rank('{{{', '.join(str(round(x, 4)) for x in weights)}}}'::float4[], t.vector, q)"
        source = f"to_tsquery('simple'::regconfig, %s) q, {TEXT} t"
        return Match(source, "t.document_id", [tsquery_expression(query)], rank, "t.vector @@ q", [])


def database_backend() -> DatabaseBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
