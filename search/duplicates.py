"""Possible duplicates of a case study being written: live case studies that share one of its indicators and whose
title or summary say much the same (the search engine, any-word, on the draft's title and summary)."""

from .backends.base import Filters, Query
from .backends.database import database_backend
from .models import SearchText
from .text import terms

MIN_SHARED_WORDS = 0.5  # share of the draft's title words a candidate's title or summary must contain


def similar_case_studies(*, title: str, summary: str, indicators: list[int], exclude: int | None = None, limit=3):
    words = sorted(set(terms(f"{title} {summary}")))[:16]
    title_words = set(terms(title))
    if not words or not indicators or not title_words:
        return []
    hits = database_backend().search(
        Query(
            groups=tuple(((w,),) for w in words),
            match_any=True,
            filters=Filters(indicators=tuple(indicators)),
            limit=limit + 5,
            with_facets=False,
        )
    )
    texts = SearchText.objects.select_related("document").in_bulk([i for i in hits.ids if i != exclude])
    similar = []
    for page_id in hits.ids:
        text = texts.get(page_id)
        if text is None:
            continue
        shared = title_words & (set(text.title_terms.split()) | set(text.summary_terms.split()))
        if len(shared) >= MIN_SHARED_WORDS * len(title_words):
            similar.append(text)
    return similar[:limit]
