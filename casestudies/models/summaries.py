"""Score summaries precomputed when scores change, so dashboards and peer lists read rows instead of computing.

Rebuilt by casestudies.scores.summaries (see there for when); readers use them only while `SummaryState` says they
are complete for the framework, and compute live otherwise.
"""

from django.db import models

from .regions import Region
from .taxonomy import Framework


class SummaryState(models.Model):
    """Present when a framework's ScoreChange and AverageScore rows are complete and current."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, primary_key=True, related_name="+")
    refreshed_at = models.DateTimeField(auto_now=True)
    # "scope:number" → [from_year, to_year]: each target's comparison years, as ScoreChange holds them.
    comparison_years = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.framework_id} @ {self.refreshed_at:%Y-%m-%d %H:%M}"


class ScoreChange(models.Model):
    """A region's value of one target (index, domain, aspect or indicator) in the target's two comparison years.

    Values are the ones that count (official, else imported, else computed); a region with a value in only one
    of the years has the other empty.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10)
    number = models.PositiveSmallIntegerField()
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    before = models.FloatField(null=True)
    after = models.FloatField(null=True)
    before_origin = models.CharField(max_length=10, blank=True)
    after_origin = models.CharField(max_length=10, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "scope", "number", "from_year", "to_year", "region"], name="unique_score_change"
            )
        ]

    def __str__(self):
        return (
            f"{self.region_id} {self.scope} {self.number} {self.from_year}→{self.to_year}: {self.before}→{self.after}"
        )


class StepCount(models.Model):
    """Of the regions of a group at `start` on an indicator in the first comparison year, how many rose by the
    second ("what to learn next" counts similar regions that made a step)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    region_types = models.CharField(max_length=30)  # "kabupaten-kota" or "provinsi"
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    start = models.PositiveSmallIntegerField()
    regions = models.PositiveIntegerField()
    rose = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["framework", "region_types", "from_year", "to_year"], name="step_lookup")]

    def __str__(self):
        return f"{self.region_types} I{self.number} from {self.start}: {self.rose}/{self.regions} rose"


class AverageScore(models.Model):
    """The mean over kabupaten/kota of an index, domain or aspect value in a year: national, or of one province."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10)
    number = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    province = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    value = models.FloatField()
    regions = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["framework", "year", "province", "scope", "number"], name="average_lookup")]

    def __str__(self):
        return f"{self.scope} {self.number} {self.year} ({self.province_id or 'national'}) = {self.value:.3f}"
