"""Curated collections of case studies that moderators feature on the home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class FeaturedCollection(ClusterableModel):
    """A moderator-curated, ordered set of case studies (e.g. "Praktik baik tanda tangan elektronik")."""

    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True, max_length=500)
    show_on_home = models.BooleanField(_("tampilkan di beranda"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("show_on_home"),
        FieldPanel("sort_order"),
        InlinePanel("items", label=_("Praktik baik"), min_num=1),
    ]

    class Meta:
        verbose_name = _("koleksi pilihan")
        verbose_name_plural = _("koleksi pilihan")
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title


class FeaturedCollectionItem(Orderable):
    """One case study in a featured collection, in the moderator's order (only public ones are shown)."""

    collection = ParentalKey(FeaturedCollection, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("praktik baik")
    )

    panels = [FieldPanel("page")]
