"""The index definition: CaseStudyDocument's mapping (built from an IndexedDocument), the index settings with the
analysis (analysis.py), and the timestamped names of the indexes behind the alias."""

from collections.abc import Iterable

from django.utils import timezone

from elasticsearch.dsl import Date, Document, Index, Integer, Keyword, MetaField, Text

from .analysis import INDONESIAN_ANALYZER, INDONESIAN_SEARCH, search_analyzer

TERM_FIELDS = (
    "title_terms",
    "indicator_terms",
    "tag_terms",
    "summary_terms",
    "region_terms",
    "body_terms",
    "title_words",
)
DISPLAY_FIELDS = ("title", "summary", "text")


def _terms() -> Text:
    """A field of pre-analysed terms: split on spaces, nothing else (search/text.py did the analysis)."""
    return Text(analyzer="whitespace")


def _display() -> Text:
    """Raw display text, analysed in Indonesian for highlighting only (never matched or ranked)."""
    return Text(analyzer=INDONESIAN_ANALYZER, search_analyzer=INDONESIAN_SEARCH)


class CaseStudyDocument(Document):
    """One case study in the index (its id is the page id). Built from an IndexedDocument."""

    page_id = Integer()  # an integer, so the last tie-break sorts like the database engine's
    # Filters and facets.
    region_code = Keyword()
    province_code = Keyword()
    region_type = Keyword()
    status = Keyword()
    tags = Keyword(multi=True)  # lower case
    indicators = Integer(multi=True)  # from the indicator rows, so aspect and domain filters and facets
    aspects = Integer(multi=True)  # match through the case study's indicators as in the database engine
    domains = Integer(multi=True)
    year_start = Integer()
    verified_gain = Integer()
    successful_replications = Integer()
    first_published_at = Date()
    # What is matched and ranked.
    title_terms = _terms()
    indicator_terms = _terms()
    tag_terms = _terms()
    summary_terms = _terms()
    region_terms = _terms()
    body_terms = _terms()
    title_words = _terms()  # unstemmed title and indicator-name words, for prefixes
    # What is highlighted.
    title = _display()
    summary = _display()
    text = _display()

    class Meta:
        dynamic = MetaField("strict")  # a field we did not map is a bug, not something to guess a type for

    @classmethod
    def from_indexed(cls, document) -> "CaseStudyDocument":
        """From a search.documents.IndexedDocument."""
        v = document.values
        rows = document.indicator_rows
        return cls(
            meta={"id": v["page_id"]},
            page_id=v["page_id"],
            region_code=v["region_code"],
            province_code=v["province_code"],
            region_type=v["region_type"],
            status=v["status"],
            tags=list(document.tag_names),
            indicators=sorted({r["indicator"] for r in rows}),
            aspects=sorted({r["aspect"] for r in rows if r["aspect"] is not None}),
            domains=sorted({r["domain"] for r in rows if r["domain"] is not None}),
            year_start=v["year_start"],
            verified_gain=v["verified_gain"],
            successful_replications=v["successful_replications"],
            first_published_at=v["first_published_at"],
            **{name: v[name] for name in TERM_FIELDS},
            title=v["title"],
            summary=v["summary"],
            text=v["text"],
        )


def build_index(name: str, synonym_groups: Iterable[Iterable[str]] = ()) -> Index:
    """The index definition: settings, analysis (with this synonym list) and CaseStudyDocument's mapping.

    One shard: the corpus is small, and term statistics from one shard make scores stable (and comparable
    to the database engine's). Replicas follow the cluster's size (none on a single node, so it stays green)."""
    index = Index(name)
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.analyzer(search_analyzer(synonym_groups))
    index.mapping(CaseStudyDocument._doc_type.mapping)  # not .document(): that would rebind the class's index
    return index


def index_settings(synonym_groups: Iterable[Iterable[str]] = ()) -> dict:
    """The index's settings (with analysis) as data."""
    return build_index("unused", synonym_groups).to_dict()["settings"]


def new_index_name(alias: str) -> str:
    return f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"


# Facet name (base.FACETS) → field; aggregation names are the facet names.
FACET_FIELDS = {
    "indicator": "indicators",
    "aspect": "aspects",
    "domain": "domains",
    "province": "province_code",
    "year": "year_start",
    "tag": "tags",
    "status": "status",
    "region_type": "region_type",
}
