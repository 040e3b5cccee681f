"""Related case studies, for the case-study page: shared indicators first, then the same aspects and a similar
region (same province, then same region type), then words in common (the title's terms, searched as any-word).

Reads the in-memory document table (search/backends/document_table.py) and one full-text query, so it costs a few
milliseconds at any size."""

from collections import Counter

from .backends.base import Query
from .backends.database import database_backend
from .backends.document_table import document_table
from .models import SearchText
from .text import terms


def related_case_studies(page_id: int, *, limit: int = 4) -> list[SearchText]:
    table = document_table()
    me = table.ordinal.get(page_id)
    text = SearchText.objects.select_related("document").filter(document_id=page_id).first()
    if me is None or text is None:
        return []
    doc = text.document
    indicators = [str(number) for number, *_rest in text.indicators]
    aspects = [a for a in doc.aspect_set.split(",") if a]
    shared_indicators, shared_aspects = Counter(), Counter()
    for value in indicators:
        shared_indicators.update(table.members(table.masks.get("indicator", {}).get(value, 0)))
    for value in aspects:
        shared_aspects.update(table.members(table.masks.get("aspect", {}).get(value, 0)))
    words = sorted(set(terms(text.title)))[:12]
    text_scores = {}
    if words:
        hits = database_backend().search(
            Query(groups=tuple(((w,),) for w in words), match_any=True, limit=50, with_facets=False)
        )
        text_scores = {table.ordinal[i]: s for i, s in hits.scores.items() if i in table.ordinal}
    province_mask = table.masks.get("province", {}).get(doc.province_code, 0)
    type_mask = table.masks.get("region_type", {}).get(doc.region_type, 0)
    candidates = (set(shared_indicators) | set(shared_aspects) | set(text_scores)) - {me}

    def key(o):
        similar_region = 2 if province_mask >> o & 1 else (1 if type_mask >> o & 1 else 0)
        return (shared_indicators[o], shared_aspects[o], similar_region, text_scores.get(o, 0.0), -table.newest_rank[o])

    best = sorted(candidates, key=key, reverse=True)[:limit]
    rows = SearchText.objects.select_related("document").in_bulk([table.page_ids[o] for o in best])
    return [rows[table.page_ids[o]] for o in best if table.page_ids[o] in rows]
