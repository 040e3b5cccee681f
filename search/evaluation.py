"""Search quality on a judged query set: nDCG@10 with graded relevance (gain 2^grade − 1)."""

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .service import SearchRequest, search

JUDGMENTS = Path(__file__).resolve().parent.parent / "tests" / "search" / "judgments.json"


@dataclass
class QueryScore:
    q: str
    ndcg: float
    top: list[str]  # external ids of the first results


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg_at(ranked: list[str], judgments: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(x, 0) for x in ranked[:k]]) / ideal if ideal else 0.0


def evaluate(path: Path = JUDGMENTS, k: int = 10) -> tuple[float, list[QueryScore]]:
    """(mean nDCG@k, per-query scores) of the search service over the judged queries (no analytics recorded)."""
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    scores = []
    for item in queries:
        response = search(SearchRequest(q=item["q"], per_page=k), record=False, facets=False, snippets=False)
        ranked = [r.external_id for r in response.results]
        scores.append(QueryScore(item["q"], ndcg_at(ranked, item["judgments"], k), ranked))
    return sum(s.ndcg for s in scores) / len(scores), scores
