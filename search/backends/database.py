"""The embedded engine: the database's own full-text index over SearchDocument (SQLite FTS5, PostgreSQL tsvector).

Wagtail's database backend ranks and filters around the full-text match in ways that grow with the whole table
(../shared/notes/search-baseline.md: 7.5 s at 10k pages on SQLite). Here the match is the driving table: filters,
ranking, the page of ids and the facet counts are computed over the matched rows only, in two statements
(one for the page, one for the total and every facet), whatever the number of facets.
"""

from django.conf import settings
from django.db import connection, transaction

from ..models import SearchDocument, SearchDocumentIndicator, SearchDocumentTag
from .base import Filters, Hits, Query, SearchBackend

DOC = "search_searchdocument"
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


FACET_SQL = f"""
SELECT 'indicator', CAST(i.indicator AS TEXT), COUNT(DISTINCT i.document_id) FROM {IND} i JOIN m ON m.id = i.document_id
 GROUP BY i.indicator
UNION ALL SELECT 'aspect', CAST(i.aspect AS TEXT), COUNT(DISTINCT i.document_id) FROM {IND} i JOIN m ON m.id = i.document_id
 WHERE i.aspect IS NOT NULL GROUP BY i.aspect
UNION ALL SELECT 'domain', CAST(i.domain AS TEXT), COUNT(DISTINCT i.document_id) FROM {IND} i JOIN m ON m.id = i.document_id
 WHERE i.domain IS NOT NULL GROUP BY i.domain
UNION ALL SELECT 'tag', t.name, COUNT(*) FROM {TAG} t JOIN m ON m.id = t.document_id GROUP BY t.name
UNION ALL SELECT 'province', d.province_code, COUNT(*) FROM {DOC} d JOIN m ON m.id = d.page_id
 WHERE d.province_code <> '' GROUP BY d.province_code
UNION ALL SELECT 'year', CAST(d.year_start AS TEXT), COUNT(*) FROM {DOC} d JOIN m ON m.id = d.page_id GROUP BY d.year_start
UNION ALL SELECT 'status', d.status, COUNT(*) FROM {DOC} d JOIN m ON m.id = d.page_id GROUP BY d.status
UNION ALL SELECT 'region_type', d.region_type, COUNT(*) FROM {DOC} d JOIN m ON m.id = d.page_id GROUP BY d.region_type
UNION ALL SELECT 'total', '', COUNT(*) FROM m
"""


class DatabaseBackend(SearchBackend):
    name = "database"

    # ------------------------------------------------------------------ vendor parts

    def _match(self, query: Query) -> tuple[str, list, str, str, list]:
        """(FROM clause, its parameters, text score expression, WHERE condition, its parameters)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ search

    def search(self, query: Query) -> Hits:
        # Parameters in the order their placeholders appear: SELECT (boost), FROM (query), WHERE (match, filters).
        if query.has_text:
            source, source_params, score, match, match_params = self._match(query)
            where, where_params = [match], list(match_params)
        else:
            source, source_params, score, where, where_params = f"{DOC} d", [], "0.0", [], []
        where += filter_clauses(query.filters, where_params)
        score_params: list = []
        if query.boost_regions and query.boost != 1.0:
            regions = _in("d.region_code", query.boost_regions, score_params)
            score = f"({score}) * (CASE WHEN {regions} THEN {float(query.boost)} ELSE 1.0 END)"
        params = [*score_params, *source_params, *where_params]
        cte = (
            f"WITH m AS (SELECT d.page_id AS id, {score} AS score, d.first_published_at AS newest, "
            f"d.verified_gain AS gain FROM {source}{' WHERE ' + ' AND '.join(where) if where else ''})"
        )
        order = {
            "relevance": "score DESC, newest DESC, id",
            "newest": "newest DESC, id",
            "improvement": "gain DESC NULLS LAST, score DESC, newest DESC, id",
        }[query.sort if query.has_text or query.sort != "relevance" else "newest"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{cte} SELECT id, score FROM m ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, query.limit, query.offset],
            )
            rows = cursor.fetchall()
            facets: dict[str, dict[str, int]] = {}
            total = None
            if query.with_facets:
                cursor.execute(f"{cte} {FACET_SQL}", params)
                for name, value, count in cursor.fetchall():
                    if name == "total":
                        total = count
                    else:
                        facets.setdefault(name, {})[value] = count
            else:
                cursor.execute(f"{cte} SELECT COUNT(*) FROM m", params)
                total = cursor.fetchone()[0]
        return Hits(
            ids=[r[0] for r in rows], scores={r[0]: float(r[1] or 0) for r in rows}, total=total or 0, facets=facets
        )

    # ------------------------------------------------------------------ writes

    @transaction.atomic
    def index(self, documents: list, *, replace: bool = True) -> None:
        if not documents:
            return
        if replace:
            self.delete([d.page_id for d in documents])
        SearchDocument.objects.bulk_create([SearchDocument(**d.values) for d in documents], batch_size=500)
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
        SearchDocument.objects.all().delete()

    @transaction.atomic
    def delete(self, page_ids: list[int]) -> None:
        SearchDocumentIndicator.objects.filter(document_id__in=page_ids).delete()
        SearchDocumentTag.objects.filter(document_id__in=page_ids).delete()
        SearchDocument.objects.filter(page_id__in=page_ids).delete()


class SQLiteBackend(DatabaseBackend):
    """FTS5 over the analysed columns, ranked by bm25 with the field weights of the settings."""

    def _match(self, query):
        w = field_weights()
        weights = ", ".join(
            str(float(x))
            for x in (w["title"], w["title"], w["indicators"], w["tags"], w["summary"], w["summary"], w["body"])
        )
        source = f"search_fts JOIN {DOC} d ON d.page_id = search_fts.rowid"
        return source, [], f"-bm25(search_fts, {weights})", "search_fts MATCH %s", [fts5_expression(query)]


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
        rank = f"ts_rank('{{{', '.join(str(round(x, 4)) for x in weights)}}}'::float4[], d.vector, q)"
        source = f"{DOC} d, to_tsquery('simple'::regconfig, %s) q"
        return source, [tsquery_expression(query)], rank, "d.vector @@ q", []


def database_backend() -> DatabaseBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
