"""Files uploaded in the admin between their preview and their confirmation (casestudies/uploads.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpload(models.Model):
    """An uploaded file shown as a preview and kept, for its uploader only, until it is confirmed or expires.

    Kept in the database (not a process's memory or a local disk) so that the confirmation may reach any web
    process; the signed token the preview hands out names the row and the SHA-256 of the bytes previewed.
    """

    class Kind(models.TextChoices):
        SCORES = "scores", _("Penilaian mandiri")
        CASE_STUDIES = "case_studies", _("Impor praktik baik")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("unggahan menunggu konfirmasi")
        verbose_name_plural = _("unggahan menunggu konfirmasi")

    def __str__(self):
        return f"{self.kind}: {self.name} ({self.user_id})"
