"""Suggestions while a search is typed (`/api/v1/search/autocomplete/`): titles and indicators for the prefix of
the last word."""

from .service import SearchRequest, indicator_catalogue, page_language, search
from .text import normalize

MAX_INPUT = 100


def suggestions(q: str) -> dict:
    """Up to 6 case-study titles and 5 indicators (by number, or by a word of their name) for what `q` starts."""
    q = (q or "").strip()[:MAX_INPUT]
    if len(normalize(q)) < 2:
        return {"titles": [], "indicators": []}
    response = search(SearchRequest(q=q, per_page=6), record=False, facets=False, snippets=False, prefix=True)
    words = normalize(q).split()
    last = words[-1] if words else ""
    name = "name_en" if page_language() == "en" else "name_id"
    indicators = [
        {"number": n, "name": info[name]}
        for n, info in sorted(indicator_catalogue().items())
        if (last.isdigit() and str(n) == last) or any(w.startswith(last) for w in normalize(info[name]).split())
    ][:5]
    return {"titles": [{"title": r.title, "url": r.url} for r in response.results], "indicators": indicators}
