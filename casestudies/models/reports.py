"""Reader reports: anyone can flag a case study (or a question and answer published on it) with a reason;
moderators hide it, edit it or dismiss the report. No reporter identity is stored (public readers are anonymous); every moderator action is in Wagtail's audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import CaseStudyPage
from .questions import Question


class ContentReport(models.Model):
    """A reader's report on a case study (a reason and an optional message, no reporter identity) and what a
    moderator did about it."""

    class Reason(models.TextChoices):
        """Why the reader flagged the case study."""

        INACCURATE = "inaccurate", _("Isi tidak akurat")
        OUTDATED = "outdated", _("Sudah usang")
        DUPLICATE = "duplicate", _("Duplikat praktik baik lain")
        INAPPROPRIATE = "inappropriate", _("Tidak pantas atau melanggar aturan")
        PERSONAL_DATA = "personal_data", _("Memuat data pribadi")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        """Where the report stands: waiting, or the moderator's decision."""

        OPEN = "open", _("Menunggu")
        HIDDEN = "hidden", _("Disembunyikan")
        EDITED = "edited", _("Diperbaiki")
        DISMISSED = "dismissed", _("Ditolak")

    page = models.ForeignKey(
        CaseStudyPage, on_delete=models.CASCADE, related_name="reports", verbose_name=_("praktik baik")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("tanya jawab"),
        help_text=_("Kosong: laporan tentang praktik baiknya; terisi: tentang satu tanya jawab yang terbit di sana."),
    )
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("keterangan"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("dilaporkan"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    handled_at = models.DateTimeField(_("ditangani"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan konten")
        verbose_name_plural = _("laporan konten")
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.page.title}"
