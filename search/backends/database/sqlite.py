"""The SQLite engine: an FTS5 table over the analysed columns (migration 0002), ranked by bm25 with the settings'
field weights; the rest is the shared database engine (base.py)."""

from ..base import Query
from .base import DatabaseBackend, Match, field_weights


class SQLiteBackend(DatabaseBackend):
    """FTS5 over the analysed columns, ranked by bm25 with the field weights of the settings."""

    def _match(self, query):
        w = field_weights()
        weights = ", ".join(
            str(float(x))
            for x in (w["title"], w["title"], w["indicators"], w["tags"], w["summary"], w["summary"], w["body"])
        )
        scored = f"SELECT rowid, -bm25(search_fts, {weights}) FROM search_fts WHERE search_fts MATCH %s"
        expression = fts5_expression(query)
        return Match(
            ids="SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            scored=scored,
            top=f"{scored} ORDER BY 2 DESC, 1 DESC LIMIT %s OFFSET %s",
            params=[expression],
        )


def _fts5_alternative(terms: tuple[str, ...]) -> str:
    if len(terms) == 1 and terms[0].endswith("*"):
        return f'title_words : "{terms[0][:-1]}"*'
    return '"' + " ".join(terms) + '"'


def fts5_expression(query: Query) -> str:
    """The FTS5 MATCH text. Terms are [a-z0-9]+ (search/text.py), so quoting them is all the escaping needed."""
    groups = ["(" + " OR ".join(_fts5_alternative(alt) for alt in group) + ")" for group in query.groups]
    return (" OR " if query.match_any else " AND ").join(groups)
