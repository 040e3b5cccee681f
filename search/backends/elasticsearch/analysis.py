"""The index's text analysis: the Indonesian analyzer of the display fields (highlighting only) and its query-side
twin with the moderators' synonyms. The term fields need none of it: search/text.py analysed them already."""

from collections.abc import Iterable

from elasticsearch.dsl import analyzer, token_filter

from ...text import STOPWORDS, normalize

INDONESIAN = "livinglab_indonesian"
INDONESIAN_SEARCH = "livinglab_indonesian_search"
SYNONYMS = "livinglab_synonyms"

# Our own stop list (search/text.py), not ES's `_indonesian_`: the latter drops words officers search for
# ("tidak", "baru"), which would then never be highlighted.
INDONESIAN_STOP = token_filter("livinglab_indonesian_stop", "stop", stopwords=sorted(STOPWORDS))
INDONESIAN_STEMMER = token_filter("livinglab_indonesian_stemmer", "stemmer", language="indonesian")
INDONESIAN_ANALYZER = analyzer(
    INDONESIAN, tokenizer="standard", filter=["lowercase", "asciifolding", INDONESIAN_STOP, INDONESIAN_STEMMER]
)


def synonym_rules(groups: Iterable[Iterable[str]]) -> list[str]:
    """Solr-format rules ("mpp, mal pelayanan publik") from phrase groups (Synonym.phrases()).

    Phrases are normalised like our text (lower case, [a-z0-9] words), which also strips the rule syntax
    ("=>", "\\", ",") a moderator might type; a group needs two distinct phrases to say anything."""
    rules = []
    for group in groups:
        phrases = list(dict.fromkeys(p for p in (normalize(phrase) for phrase in group) if p))
        if len(phrases) > 1:
            rules.append(", ".join(phrases))
    return rules


def search_analyzer(synonym_groups: Iterable[Iterable[str]]):
    """The query-side twin of INDONESIAN_ANALYZER, expanding the moderators' synonyms.

    The synonym filter sits before stop words and stemming, so the rules are read as written; it is left out
    when there are no rules (a synonym filter needs a source of rules to be created at all)."""
    rules = synonym_rules(synonym_groups)
    filters: list = ["lowercase", "asciifolding"]
    if rules:
        filters.append(token_filter(SYNONYMS, "synonym_graph", synonyms=rules, lenient=True))
    return analyzer(INDONESIAN_SEARCH, tokenizer="standard", filter=[*filters, INDONESIAN_STOP, INDONESIAN_STEMMER])
