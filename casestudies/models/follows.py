"""What a signed-in officer follows (an indicator or a region) for the weekly e-mail digest, and which weekly
digests went out (casestudies.digests)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .regions import Region
from .taxonomy import Indicator


class Follow(models.Model):
    """A user follows one indicator or one region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("indikator"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="followers", verbose_name=_("daerah")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ikutan")
        verbose_name_plural = _("ikutan")
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, region__isnull=True)
                | Q(indicator__isnull=True, region__isnull=False),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(fields=["user", "indicator"], name="unique_follow_indicator"),
            models.UniqueConstraint(fields=["user", "region"], name="unique_follow_region"),
        ]

    def __str__(self):
        return f"{self.user} → {self.indicator or self.region}"


class DigestSent(models.Model):
    """One weekly digest sent to one user (an ISO week such as "2026-W49"): `send_digests` sends each once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ringkasan mingguan terkirim")
        verbose_name_plural = _("ringkasan mingguan terkirim")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="unique_digest_per_week")]

    def __str__(self):
        return f"{self.user} {self.week}"
