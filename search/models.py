"""What search keeps: one denormalised row per live case study, its indicators and tags, the synonym list
moderators edit, and anonymous query statistics.

`SearchDocument` (filters, sorts, facets) and `SearchText` (what a card shows; the analysed text, which SQLite
indexes with FTS5 through triggers, migration 0002, and PostgreSQL in a narrow table of tsvectors with a GIN index
kept by a trigger, migration 0004) are what every engine's results are displayed from, so a result page never
loads the page tree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from casestudies.models import CaseStudyPage, Region


class SearchDocument(models.Model):
    """A live case study as search filters, sorts and counts it (written by search.indexing, never by hand).

    Only small columns: every matched row is read for facets, so on SQLite a row must fit many to a page. What a
    result card shows and what the engines match live in SearchText.
    """

    page = models.OneToOneField(
        CaseStudyPage, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=10)
    region_type = models.CharField(max_length=12)
    province_code = models.CharField(max_length=10, blank=True)
    year_start = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10)
    first_published_at = models.DateTimeField(null=True)
    verified_gain = models.SmallIntegerField(null=True)  # largest level gain confirmed by official scores
    # Replications under way or done whose region rose on one of the case study's indicators since their start
    # (casestudies.replication_outcomes): the "replications" sort.
    successful_replications = models.PositiveSmallIntegerField(default=0)
    aspect_set = models.CharField(max_length=60, blank=True)  # "7,8": the aspects of its indicators (facets)
    domain_set = models.CharField(max_length=20, blank=True)  # "4"

    class Meta:
        indexes = [
            models.Index(fields=["first_published_at"], name="search_doc_newest"),
            models.Index(fields=["province_code"], name="search_doc_province"),
            models.Index(fields=["year_start"], name="search_doc_year"),
        ]

    def __str__(self):
        return f"{self.page_id} ({self.region_code})"


class SearchText(models.Model):
    """What a result card shows and the analysed text the database engine indexes (FTS5 / tsvector)."""

    document = models.OneToOneField(SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="text")
    is_demo = models.BooleanField(default=False)
    external_id = models.CharField(max_length=100, blank=True)
    region_name = models.CharField(max_length=120)
    province_name = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    summary = models.CharField(max_length=300, blank=True)
    indicators = models.JSONField(default=list)  # [[number, name_id, name_en, verified], …] for display
    tag_names = models.JSONField(default=list)
    # Analysed text (search/text.py): what the engines match and rank.
    title_terms = models.TextField(blank=True)
    title_words = models.TextField(blank=True)  # unstemmed title and indicator-name words, for prefix matching
    indicator_terms = models.TextField(blank=True)
    tag_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    region_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    text = models.TextField(blank=True)  # plain text of every section, for snippets

    def __str__(self):
        return self.title


class SearchDocumentIndicator(models.Model):
    """One indicator a search document's case study claims, with its aspect, domain and stored verified flag (for
    the indicator, aspect, domain and "verified" filters and facets)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="indicator_rows")
    indicator = models.PositiveSmallIntegerField()
    aspect = models.PositiveSmallIntegerField(null=True)
    domain = models.PositiveSmallIntegerField(null=True)
    verified = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "document"], name="search_ind_lookup"),
            models.Index(fields=["aspect", "document"], name="search_asp_lookup"),
            models.Index(fields=["domain", "document"], name="search_dom_lookup"),
            models.Index(fields=["document", "indicator"], name="search_ind_by_doc"),
        ]

    def __str__(self):
        return f"{self.document_id}: {self.indicator}"


class SearchDocumentTag(models.Model):
    """One tag of a search document's case study, lower-cased (for the tag filter and facet)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="tag_rows")
    name = models.CharField(max_length=100)  # lower case

    class Meta:
        indexes = [
            models.Index(fields=["name", "document"], name="search_tag_lookup"),
            models.Index(fields=["document", "name"], name="search_tag_by_doc"),
        ]

    def __str__(self):
        return f"{self.document_id}: {self.name}"


class Synonym(models.Model):
    """A group of words and phrases that mean the same to officers (MPP = mal pelayanan publik).

    Searching for any of them finds all of them, on every engine; edits apply to the next search.
    """

    terms = models.TextField(
        _("istilah"),
        help_text=_("Istilah yang sama artinya, dipisah koma. Contoh: MPP, mal pelayanan publik"),
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sinonim")
        verbose_name_plural = _("sinonim")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def phrases(self) -> list[str]:
        return [p.strip() for p in self.terms.split(",") if p.strip()]


class QueryStat(models.Model):
    """How often a (normalised) query was searched on a day and how many results it last had. No user data."""

    day = models.DateField(_("tanggal"))
    query = models.CharField(_("kueri"), max_length=200)
    searches = models.PositiveIntegerField(_("jumlah pencarian"), default=0)
    results = models.PositiveIntegerField(_("jumlah hasil terakhir"), default=0)

    class Meta:
        verbose_name = _("statistik pencarian")
        verbose_name_plural = _("statistik pencarian")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_querystat_unique")]
        indexes = [models.Index(fields=["results", "day"], name="search_querystat_zero")]

    def __str__(self):
        return f"{self.day} {self.query}"
