"""Wagtail's own search (admin listings and choosers, documents, images, API v2) on the database backend, with
every query reduced to its words first (settings.WAGTAILSEARCH_BACKENDS).

The database backend hands what it is given to SQLite FTS5 nearly as it is: a `"` leaves a string unterminated,
`-b` reads as a column; PostgreSQL refuses a NUL; and every word nests the query one level deeper, so that about
500 words raise RecursionError. All of them answered 500. Here a query keeps only its words (letters, digits),
at most MAX_WORDS of them, each cut at MAX_WORD_LENGTH; phrases stay phrases; a query with no word left finds
nothing."""

import copy
import re

from modelsearch.backends import database
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import And, Boost, Not, Or

WORD = re.compile(r"\w+")
MAX_WORDS = 32
MAX_WORD_LENGTH = 100


def words_only(query, budget: list[int] | None = None):
    """`query` (a string or a tree of modelsearch queries) with only words left in it, or None if none is."""
    budget = [MAX_WORDS] if budget is None else budget
    if isinstance(query, str):
        return _words(query, budget) or None
    if isinstance(query, (And, Or)):
        parts = [part for part in (words_only(q, budget) for q in query.subqueries) if part is not None]
        return type(query)(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if isinstance(query, (Not, Boost)):
        subquery = words_only(query.subquery, budget)
        return None if subquery is None else _with(query, subquery=subquery)
    if hasattr(query, "query_string"):  # PlainText, Phrase, Fuzzy
        text = _words(query.query_string, budget)
        return _with(query, query_string=text) if text else None
    return query  # MatchAll


def _words(text: str, budget: list[int]) -> str:
    words = [word[:MAX_WORD_LENGTH] for word in WORD.findall(text)][: max(budget[0], 0)]
    budget[0] -= len(words)
    return " ".join(words)


def _with(query, **attributes):
    clone = copy.copy(query)
    clone.__dict__.update(attributes)
    return clone


class WordsOnly:
    """Mixed in front of the database backend modelsearch picks for the connection (SQLite FTS5, PostgreSQL…)."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = words_only(query)
        if query is None:
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


_classes: dict[type, type] = {}


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    backend_class = type(database.SearchBackend(params))
    if backend_class not in _classes:
        _classes[backend_class] = type(f"WordsOnly{backend_class.__name__}", (WordsOnly, backend_class), {})
    return _classes[backend_class](params)
