"""SPBE evaluation results per region and year.

Two tables, one rule: a value someone published (official or imported aggregate) is never overwritten by
one we computed. Indicator levels live in `IndicatorScore`; aspect, domain and index values live in
`AggregateScore`, one row per origin, so an official index and the index computed from indicator levels
sit side by side and readers pick by precedence (official > imported > computed > self-assessed).

A region's own self-assessment (penilaian mandiri, uploaded by its officers in the admin) is stored as levels of
origin `self_assessed`: it fills only indicator/year cells nobody else filled, never replaces an imported level,
and is replaced by the next import of that cell; the aggregates computed from a region-year holding such levels
carry the origin `self_assessed`, rank last, and are left out of comparisons between regions (peers, averages,
most improved): casestudies/scores/values.py.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import Region
from .taxonomy import LEVEL_VALIDATORS, Framework, Indicator


class Origin(models.TextChoices):
    """Where a score comes from; when several exist for a region and year, the first in ORIGIN_PRECEDENCE counts."""

    OFFICIAL = "official", _("Data resmi KemenPANRB")
    IMPORTED = "imported", _("Diimpor")
    COMPUTED = "computed", _("Dihitung dari tingkat indikator")
    SELF_ASSESSED = "self_assessed", _("Penilaian mandiri")


ORIGIN_PRECEDENCE = [Origin.OFFICIAL, Origin.IMPORTED, Origin.COMPUTED, Origin.SELF_ASSESSED]
ORIGIN_MAX_LENGTH = 16
# Origins an indicator level can have: given by an import (or the demo loader), or the region's self-assessment.
LEVEL_ORIGINS = [
    (Origin.IMPORTED.value, Origin.IMPORTED.label),
    (Origin.SELF_ASSESSED.value, Origin.SELF_ASSESSED.label),
]


class Scope(models.TextChoices):
    """What an aggregate score measures: the whole index, one domain or one aspect."""

    INDEX = "index", _("Indeks SPBE")
    DOMAIN = "domain", _("Domain")
    ASPECT = "aspect", _("Aspek")


class IndicatorScore(models.Model):
    """The capability level (1–5) a region reached on one indicator in one evaluation year."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    year = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    source = models.CharField(max_length=120)
    origin = models.CharField(max_length=ORIGIN_MAX_LENGTH, choices=LEVEL_ORIGINS, default=Origin.IMPORTED)
    is_demo = models.BooleanField(default=False, help_text=_("Data contoh (sintetis)"))

    class Meta:
        verbose_name = _("nilai indikator")
        verbose_name_plural = _("nilai indikator")
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year"], name="unique_indicator_score"),
        ]
        indexes = [
            models.Index(fields=["indicator", "year"], name="indicator_score_by_year"),
            models.Index(fields=["year", "region"], name="indicator_score_year_region"),
        ]

    def __str__(self):
        return f"{self.region.code} {self.year} I{self.indicator.number} = {self.level}"


class AggregateScore(models.Model):
    """An index, domain or aspect value of a region in a year, with where it came from."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aggregate_scores")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=8, choices=Scope.choices)
    number = models.PositiveSmallIntegerField(default=0, help_text=_("Nomor domain/aspek; 0 untuk indeks"))
    value = models.DecimalField(max_digits=5, decimal_places=3)
    predicate = models.CharField(max_length=30, blank=True)
    origin = models.CharField(max_length=ORIGIN_MAX_LENGTH, choices=Origin.choices)
    source = models.CharField(max_length=120)
    # When the row was first written (for "new scores" in the weekly digest); rows older than the field are null.
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now, editable=False)
    is_demo = models.BooleanField(default=False, help_text=_("Dihitung dari data contoh"))

    class Meta:
        verbose_name = _("nilai agregat")
        verbose_name_plural = _("nilai agregat")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "framework", "year", "scope", "number", "origin"], name="unique_aggregate_per_origin"
            ),
        ]
        # Covering index: the peer query reads every region's value for one scope and two years from the
        # index alone (measured 4 ms for 2,080 rows on SQLite, against 17 ms through the table).
        indexes = [
            models.Index(
                fields=["scope", "number", "year", "framework", "region", "origin", "value", "is_demo"],
                name="aggregate_peer_lookup",
            )
        ]

    def __str__(self):
        label = "indeks" if self.scope == Scope.INDEX else f"{self.scope} {self.number}"
        return f"{self.region.code} {self.year} {label} = {self.value} ({self.origin})"
