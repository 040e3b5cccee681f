"""The SPBE evaluation framework as data: Framework → Domain → Aspect → Indicator.

Versioned by framework so a later framework (e.g. the Pemdi evaluation that may replace
SPBE) fits without a schema change: aspects may hang directly off a framework (no domain),
and each indicator points to the capability-level scale it is scored on.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
STEP_STARTS = range(1, 5)  # the steps of a learning path: 1→2 … 4→5 (casestudies.learning_paths)


def is_step(start: int, end: int) -> bool:
    """Whether start→end is one step of a learning path (one level up, from level 1–4)."""
    return start in STEP_STARTS and end == start + 1


class LocalizedNameMixin:
    """`display_name` in the active language (Indonesian unless English is chosen and present)."""

    @property
    def display_name(self) -> str:
        if (get_language() or "id").startswith("en") and self.name_en:
            return self.name_en
        return self.name_id


class Framework(LocalizedNameMixin, models.Model):
    """An evaluation framework, e.g. SPBE under PermenPANRB 59/2020."""

    slug = models.SlugField(unique=True)
    name_id = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    regulation = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    effective_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    is_current = models.BooleanField(_("kerangka berlaku"), default=False)
    source_note = models.TextField(_("sumber"), blank=True)

    class Meta:
        verbose_name = _("kerangka evaluasi")
        verbose_name_plural = _("kerangka evaluasi")
        ordering = ["-is_current", "slug"]

    def __str__(self):
        return self.name_id

    @classmethod
    def current(cls) -> "Framework | None":
        return cls.objects.filter(is_current=True).first()


class LevelScale(models.Model):
    """A named five-level capability scale (process capability or service capability)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    slug = models.SlugField()
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "slug"], name="unique_scale_per_framework")]

    def __str__(self):
        return self.name_id


class ScaleLevel(LocalizedNameMixin, models.Model):
    """One level (1–5) of a scale, e.g. 3 – Terdefinisi, with its general criteria."""

    scale = models.ForeignKey(LevelScale, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    name_id = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["scale", "level"]
        constraints = [models.UniqueConstraint(fields=["scale", "level"], name="unique_level_per_scale")]

    def __str__(self):
        return f"{self.level} – {self.name_id}"


class Domain(LocalizedNameMixin, models.Model):
    """A domain of the framework, weighted in % of the index (SPBE: 4 domains)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    weight = models.DecimalField(_("bobot (%)"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("domain")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="unique_domain_number")]

    def __str__(self):
        return f"Domain {self.number}. {self.name_id}"


class Aspect(LocalizedNameMixin, models.Model):
    """An aspect, weighted in % of the index; belongs to a domain where the framework has domains."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aspects")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="aspects", null=True, blank=True)
    number = models.PositiveSmallIntegerField()
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    weight = models.DecimalField(_("bobot (%)"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("aspek")
        verbose_name_plural = _("aspek")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="unique_aspect_number")]

    def __str__(self):
        return f"Aspek {self.number}. {self.name_id}"


class Indicator(LocalizedNameMixin, index.Indexed, models.Model):
    """An indicator scored on a capability level 1–5, weighted in % of the index."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    scale = models.ForeignKey(LevelScale, on_delete=models.PROTECT, related_name="indicators", null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("nomor"))
    official_name = models.CharField(_("nama resmi"), max_length=300)
    name_id = models.CharField(_("nama"), max_length=200, help_text=_("Nama tampilan tanpa 'Tingkat Kematangan'."))
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    weight = models.DecimalField(_("bobot (%)"), max_digits=6, decimal_places=3)

    search_fields = [
        index.SearchField("name_id"),
        index.SearchField("official_name"),
        index.AutocompleteField("name_id"),
        index.FilterField("number"),
    ]

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="unique_indicator_number")]

    def __str__(self):
        return f"{self.number}. {self.name_id}"

    @property
    def weight_fraction(self) -> Decimal:
        return self.weight / Decimal(100)


class LevelCriterion(models.Model):
    """The regulation's criteria for one level of one indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="criteria")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    text_id = models.TextField()

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [models.UniqueConstraint(fields=["indicator", "level"], name="unique_criterion_level")]

    def __str__(self):
        return f"{self.indicator.number}/{self.level}"


class Predicate(LocalizedNameMixin, models.Model):
    """An index band with its name (e.g. Baik for 2.6 ≤ index < 3.5)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="predicates")
    name_id = models.CharField(max_length=50)
    name_en = models.CharField(max_length=50, blank=True)
    min_value = models.DecimalField(max_digits=4, decimal_places=2, help_text=_("inklusif"))
    max_value = models.DecimalField(max_digits=4, decimal_places=2, help_text=_("eksklusif, kecuali nilai maksimum"))

    class Meta:
        ordering = ["framework", "min_value"]
        constraints = [models.UniqueConstraint(fields=["framework", "name_id"], name="unique_predicate_name")]

    def __str__(self):
        return f"{self.name_id} ({self.min_value}–{self.max_value})"
