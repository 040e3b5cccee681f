"""A region that applies another region's case study: "add your region as a replicator" instead of a duplicate."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import CaseStudyPage
from .regions import Region


class Replication(models.Model):
    """A region recorded as applying another region's case study (once per case study and region), since a year
    and with a status; its outcome is read from the region's later indicator levels (casestudies.replication_outcomes).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("direncanakan")
        IN_PROGRESS = "in_progress", _("berjalan")
        DONE = "done", _("selesai")
        STOPPED = "stopped", _("dihentikan")

    REPLICATING = (Status.IN_PROGRESS, Status.DONE)  # counted as "N daerah mereplikasi"

    case_study = models.ForeignKey(
        CaseStudyPage, on_delete=models.CASCADE, related_name="replications", verbose_name=_("praktik baik")
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="replications", verbose_name=_("daerah"))
    note = models.CharField(
        _("catatan"),
        max_length=500,
        blank=True,
        help_text=_("Sejak kapan dan bagaimana daerah Anda menerapkannya (teks biasa, maksimal 500 karakter)."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("mulai tahun"),
        null=True,  # replications recorded before the year was asked for
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Tahun daerah Anda mulai (atau akan mulai) menerapkannya."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("replikasi")
        verbose_name_plural = _("replikasi")
        ordering = ["region__name"]
        constraints = [models.UniqueConstraint(fields=["case_study", "region"], name="unique_replication")]

    def __str__(self):
        return f"{self.region} → {self.case_study}"
