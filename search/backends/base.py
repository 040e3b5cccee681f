"""The contract between the search service and an engine.

The service (search/service.py) parses and validates the request, analyses the words (search/text.py), expands
synonyms, and hands the engine a `Query`; the engine answers a `Hits`: matched page ids with their text scores for
the window asked, the total, and the facet counts over every match. Documents reach an engine as
`search.documents.IndexedDocument` rows, and are rebuilt or cleared as a whole. Every engine passes
tests/search/test_contract.py.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SORTS = ("relevance", "newest", "improvement", "replications")
# Also the order the search page shows them in.
FACETS = ("indicator", "aspect", "domain", "province", "year", "tag", "status", "region_type")


@dataclass(frozen=True)
class Filters:
    indicators: tuple[int, ...] = ()  # indicator numbers (any of)
    aspects: tuple[int, ...] = ()  # aspect numbers (any of; a case study matches through its indicators)
    domains: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()  # region codes
    provinces: tuple[str, ...] = ()  # province codes ("32"); a province's own case studies count too
    region_types: tuple[str, ...] = ()  # "kabupaten", "kota", "provinsi"
    year_from: int | None = None  # the case study's start year
    year_to: int | None = None
    statuses: tuple[str, ...] = ()  # CaseStudyPage.Status values
    tags: tuple[str, ...] = ()  # tag names, compared case-insensitively
    verified_only: bool = False  # at least one level claim confirmed by official scores


@dataclass(frozen=True)
class Query:
    """What to match. `groups` are ANDed (or ORed when `match_any`); each group is a tuple of alternatives,
    each alternative a tuple of terms that must appear in that order (a phrase of one or more terms). A term
    ending in "*" is a prefix of an unstemmed title or indicator-name word (autocomplete of the last word).

    `boost_regions`: case studies of these region codes (peers that improved on the searched aspect) have their
    text score multiplied by `boost` before ranking."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    match_any: bool = False
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    with_facets: bool = True
    boost_regions: tuple[str, ...] = ()
    boost: float = 1.0

    @property
    def has_text(self) -> bool:
        return bool(self.groups)


@dataclass
class Hits:
    ids: list[int]  # page ids in the engine's order, for [offset, offset + limit)
    scores: dict[int, float]  # page id → text score (higher is better; 0 without text)
    total: int
    facets: dict[str, dict[str, int]]  # facet name → value → count of matching case studies
    # True when a facet was counted without its own filter (multi-select facets); otherwise the service asks again.
    disjunctive_facets: bool = False


class SearchBackend:
    """Base of the engines; subclasses implement the methods below (search.backends.get_search_backend finds
    them by name)."""

    name = "base"
    # An engine outside the database (a server): the database engine is written too, and answers when this one
    # fails (search/engines.py).
    external = False

    def search(self, query: Query) -> Hits:
        raise NotImplementedError

    def index(self, documents: list) -> None:
        """Add or replace these documents (search.documents.IndexedDocument)."""
        raise NotImplementedError

    def delete(self, page_ids: list[int]) -> None:
        raise NotImplementedError

    def rebuild(self, batches: Iterable[list], total: int, progress: Callable[[int], object] | None = None) -> int:
        """Replace every document by these: `batches` yields lists of IndexedDocument, `total` is how many to
        expect, `progress(n)` is called after each batch with its size. Returns the number of documents loaded.
        Searches see the old documents or the new ones, never a mixture."""
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document."""
        raise NotImplementedError

    def ping(self) -> bool:
        """True when the engine answers (the database engine always does)."""
        return True
