"""A search response (its JSON body) read back into the contract's Hits, with the highlighted fragments."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..base import Hits, Query
from .mapping import FACET_FIELDS


@dataclass
class ElasticsearchHits(Hits):
    """Hits plus the highlighted fragments (page id → field → HTML fragments; <mark> around matches, the rest
    escaped). A Hits for the service; `highlights` is extra until the contract carries it."""

    highlights: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def _facet_key(key) -> str:
    """Bucket keys as the database engine gives them: "43", "2021", "kota"."""
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return str(key)


def parse_response(body: Mapping, query: Query) -> ElasticsearchHits:
    """A search response (the JSON body) → Hits. Scores are 0 without text, as in the database engine."""
    hits = body["hits"]
    ids = [int(hit["_id"]) for hit in hits["hits"]]
    scores = {int(hit["_id"]): float(hit.get("_score") or 0.0) if query.has_text else 0.0 for hit in hits["hits"]}
    total = hits["total"]
    total = total["value"] if isinstance(total, Mapping) else int(total)
    facets: dict[str, dict[str, int]] = {}
    if query.with_facets:
        for name, aggregation in (body.get("aggregations") or {}).items():
            if name in FACET_FIELDS and aggregation.get("buckets"):
                facets[name] = {_facet_key(b["key"]): b["doc_count"] for b in aggregation["buckets"]}
    highlights = {int(hit["_id"]): dict(hit["highlight"]) for hit in hits["hits"] if hit.get("highlight")}
    return ElasticsearchHits(ids=ids, scores=scores, total=total, facets=facets, highlights=highlights)
