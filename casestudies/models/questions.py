"""Questions one region's officer asks another region ("Tanya daerah ini") about a case study or a step of an
indicator's learning path, the answer, and whether a moderator published the pair on the case study's page."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .pages import CaseStudyPage
from .regions import Region
from .taxonomy import Indicator

TEXT_MAX = 2000
ANSWER_MAX = 4000


class Question(models.Model):
    """About a case study (to its region) or about step `step_from` → `step_from + 1` of an indicator (to a region
    that made it). Private between the two regions and the moderators until a moderator publishes it (a case
    study's question only, once answered); the asking region is named in public only if it agreed."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="questions_received", verbose_name=_("daerah yang ditanya")
    )
    case_study = models.ForeignKey(
        CaseStudyPage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("praktik baik"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("indikator")
    )
    step_from = models.PositiveSmallIntegerField(_("dari tingkat"), null=True, blank=True)
    asking_region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="questions_asked", verbose_name=_("daerah penanya")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditanyakan oleh"),
    )
    text = models.TextField(_("pertanyaan"), max_length=TEXT_MAX)
    name_asking_region = models.BooleanField(
        _("daerah penanya boleh disebut"),
        default=False,
        help_text=_("Jika moderator menerbitkan tanya jawab ini, nama daerah Anda boleh ditampilkan."),
    )
    created_at = models.DateTimeField(_("ditanyakan"), auto_now_add=True)
    answer = models.TextField(_("jawaban"), max_length=ANSWER_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijawab oleh"),
    )
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case_study__isnull=False, indicator__isnull=True, step_from__isnull=True)
                | Q(case_study__isnull=True, indicator__isnull=False, step_from__gte=1, step_from__lte=4),
                name="question_about_case_study_or_step",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(answered_at__isnull=False, case_study__isnull=False),
                name="question_published_answered_case_study",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "answered_at"], name="question_inbox"),
            models.Index(fields=["case_study", "published_at"], name="question_published"),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def step_to(self) -> int | None:
        return self.step_from + 1 if self.step_from else None
