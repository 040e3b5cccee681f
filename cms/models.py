"""Home page, generic pages and site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import BaseStreamBlock


class HomePage(Page):
    """The site root: what Living Lab is, featured collections, newest case studies, the SPBE tree.

    What it shows of the case-study library is read by its template (casestudies_tags), so cms imports no app."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["casestudies.RegionsIndexPage", "casestudies.IndicatorExplorerPage", "cms.StandardPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("beranda")


class StandardPage(Page):
    """A plain content page (about, guides, terms)."""

    intro = models.CharField(_("pengantar"), max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("isi"), blank=True)

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("halaman biasa")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Site-wide switches moderators control."""

    demo_banner = models.BooleanField(
        _("tampilkan pita 'Data contoh'"),
        default=False,
        help_text=_("Aktif saat situs berisi data contoh (diatur otomatis oleh load_demo_data)."),
    )

    panels = [FieldPanel("demo_banner")]

    class Meta:
        verbose_name = _("pengaturan situs")


class RateCounter(models.Model):
    """How often one client did one limited thing in one fixed window (cms/rate_limits.py).

    `name` is the limit and a keyed digest of the client's address (never the address itself); one row per name
    and window, counted by a single upsert, so every process counts on the same row. Rows of ended windows are
    deleted as new windows start (`expires_at` is indexed for that)."""

    name = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="seconds since the epoch")
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True, help_text="seconds since the epoch")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "window_start"], name="cms_ratecounter_window")]

    def __str__(self):
        return f"{self.name} @ {self.window_start}: {self.hits}"
