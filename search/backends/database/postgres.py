"""The PostgreSQL engine: the tsvectors of search_searchvector (migration 0004) match and ts_rank ranks; the rest
is the shared database engine (base.py)."""

from django.db import connection

from ..base import Query
from .base import DatabaseBackend, Match, field_weights

VECTORS = "search_searchvector"  # PostgreSQL only (migration 0004)


def _tsquery_alternative(terms: tuple[str, ...]) -> str:
    if len(terms) == 1 and terms[0].endswith("*"):
        return f"{terms[0][:-1]}:*A"  # weight A: titles and indicator names
    return "(" + " <-> ".join(terms) + ")" if len(terms) > 1 else terms[0]


def tsquery_expression(query: Query) -> str:
    """The to_tsquery('simple', …) text; terms are [a-z0-9]+ so they need no escaping."""
    groups = ["(" + " | ".join(_tsquery_alternative(alt) for alt in group) + ")" for group in query.groups]
    return (" | " if query.match_any else " & ").join(groups)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether the phrase `shorter` occurs in the phrase `longer` (then a match of `longer` is a match of `shorter`)."""
    return any(longer[i : i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))


def match_expressions(query: Query) -> tuple[str | None, str | None]:
    """Two tsqueries (input syntax) on search_searchvector.match_vector, whose GIN index holds lexemes only:

    - `exact`: what the index answers exactly: words, and phrases of two or three words as one lexeme "a_b",
      "a_b_c" (migration 0004). Its rows match the query.
    - `approximate`: the rows that may match only through a phrase of four or more words (the AND of its runs of
      three) or an autocomplete prefix (any word, not only title words): a superset, which the full vector then
      checks.

    Either is None when it has no rows. A phrase that contains another alternative of its group adds nothing
    ("satu data indonesia" beside "satu data") and is left out."""
    exact_groups, approximate_groups = [], []
    for group in query.groups:
        phrases = [t for t in group if not t[-1].endswith("*")]
        exact, approximate = [], []
        for terms in group:
            if terms[-1].endswith("*"):
                approximate.append(f"'{terms[0][:-1]}':*")
            elif any(other != terms and _contains(terms, other) for other in phrases):
                continue
            elif len(terms) <= 3:
                exact.append("'" + "_".join(terms) + "'")
            else:
                runs = ("_".join(terms[i : i + 3]) for i in range(len(terms) - 2))
                approximate.append("(" + " & ".join(f"'{run}'" for run in runs) + ")")
        exact_groups.append(exact)
        approximate_groups.append(approximate)

    def any_of(alternatives):
        return "(" + " | ".join(alternatives) + ")"

    if query.match_any:
        exact = [any_of(e) for e in exact_groups if e]
        approximate = [any_of(a) for a in approximate_groups if a]
        return " | ".join(exact) or None, " | ".join(approximate) or None
    exact = " & ".join(any_of(e) for e in exact_groups) if all(exact_groups) else None
    # A row needs the check when at least one group matches it only approximately.
    approximate = []
    for i, alternatives in enumerate(approximate_groups):
        if alternatives:
            others = (any_of(exact_groups[j] + approximate_groups[j]) for j in range(len(query.groups)) if j != i)
            approximate.append(" & ".join([any_of(alternatives), *others]))
    return exact, " | ".join(f"({a})" for a in approximate) or None


class PostgresBackend(DatabaseBackend):
    """search_searchvector (migration 0004): the GIN index of `match_vector` finds the matches, ts_rank on the
    small `rank_vector` (title, indicators and tags, summary and region, kept in the row) ranks them with the
    settings' weights, and every match adds what one body occurrence (weight D) scores, so that a body-only match
    keeps a score for the peer boost to multiply. No vector is read from TOAST except to check, on their rows only,
    phrases of four or more words and autocomplete prefixes (`match_expressions`).

    The planner does not count reading vectors from TOAST, so at 25 % selectivity it prefers a sequential scan
    that reads them all (docs/performance.md): the statements run with sequential scans off."""

    setup = ("SET LOCAL enable_seqscan = off",)

    def _match(self, query):
        w = field_weights()
        top = max(w.values())
        # ts_rank weights are {D, C, B, A}: body, summary and region, indicators and tags, title.
        weights = [w["body"] / top, w["summary"] / top, max(w["indicators"], w["tags"]) / top, w["title"] / top]
        array = f"'{{{', '.join(str(round(x, 4)) for x in weights)}}}'::float4[]"
        rank = f"ts_rank({array}, v.rank_vector, q) + ts_rank({array}, 'body:1D'::tsvector, 'body'::tsquery)"
        source = f"FROM {VECTORS} v, to_tsquery('simple'::regconfig, %s) q WHERE v.match_vector @@ %s::tsquery"
        text = tsquery_expression(query)
        exact, approximate = match_expressions(query)
        arms = []
        if exact:
            arms.append((source, [text, exact]))
        if approximate:
            arms.append((f"{source} AND v.vector @@ q", [text, approximate]))
        params = [p for _source, arm_params in arms for p in arm_params]

        def union(columns):
            return " UNION ".join(f"SELECT {columns} {arm_source}" for arm_source, _params in arms)

        def within(ids: list[int]) -> list:
            return [p for _source, arm_params in arms for p in (*arm_params, ids)]

        return Match(
            ids=union("v.document_id"),
            scored=union(f"v.document_id, {rank}"),
            top=f"{union(f'v.document_id, {rank} AS score')} ORDER BY score DESC, document_id DESC LIMIT %s OFFSET %s",
            params=params,
            scored_within=" UNION ".join(
                f"SELECT v.document_id, {rank} {arm_source} AND v.document_id = ANY(%s)" for arm_source, _p in arms
            ),
            params_within=within,
        )

    def after_rebuild(self):
        """A rebuild leaves a dead version behind every row; until VACUUM removes them, each search's bitmap scan
        visits both (100k case studies: API p95 110 ms before VACUUM, 61 ms after; docs/performance.md).
        Autovacuum would get there, later. VACUUM cannot run inside a transaction (tests): skipped there."""
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"VACUUM (ANALYZE) {VECTORS}, search_searchtext, search_searchdocument, "
                "search_searchdocumentindicator, search_searchdocumenttag"
            )

    def _page_and_ids(self, match, query):
        """One pass over the matches (ranking them once) answers both, the ids as one array."""
        sql = (
            f"WITH matches (document_id, score) AS MATERIALIZED ({match.scored}), "
            "page AS (SELECT * FROM matches ORDER BY score DESC, document_id DESC LIMIT %s OFFSET %s) "
            "SELECT ARRAY(SELECT document_id FROM page ORDER BY score DESC, document_id DESC), "
            "ARRAY(SELECT score FROM page ORDER BY score DESC, document_id DESC), ARRAY(SELECT document_id FROM matches)"
        )
        ((page_ids, scores, ids),) = self._execute([(sql, [*match.params, query.limit, query.offset])])[0]
        return list(zip(page_ids, scores, strict=True)), ids
