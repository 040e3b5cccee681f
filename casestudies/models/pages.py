"""Page types of the case-study library: Regions index → Region → Case study."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from taggit.models import TaggedItemBase

from cms.blocks import BaseStreamBlock
from cms.panels import EditableWithPermissionPanel
from cms.sanitize import plain_text, sanitize_richtext_source

from ..forms import CaseStudyPageForm
from .regions import Region
from .taxonomy import LEVEL_VALIDATORS, Indicator

SECTION_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class RegionsIndexPage(RoutablePageMixin, Page):
    """The one page under which every region's subtree lives (moderation workflow is assigned here).

    Also serves every region's score dashboard at `skor/<kode>/`, published case studies or not (the route is
    declared here, the view is casestudies.views.region_dashboard_view). The region list is the template's
    (casestudies_tags.region_pages).
    """

    intro = RichTextField(_("pengantar"), blank=True, features=SECTION_FEATURES)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["casestudies.RegionPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("indeks daerah")

    def get_sitemap_urls(self, request=None):
        """The index, then the score dashboard of every region with a score of the current framework."""
        from .scores import AggregateScore, Scope
        from .taxonomy import Framework

        urls = super().get_sitemap_urls(request)
        framework = Framework.current()
        if framework is None:
            return urls
        base = self.get_full_url(request)
        codes = (
            AggregateScore.objects.filter(framework=framework, scope__in=[Scope.INDEX, Scope.ASPECT])
            .order_by("region__code")
            .values_list("region__code", flat=True)
            .distinct()
        )
        # A dashboard has figures once the region has an index or aspect value (`latest` of region_dashboard).
        for code in codes:
            urls.append({"location": base + self.reverse_subpage("dashboard", args=[code.replace(".", "-")])})
        return urls

    @path("")
    def index_view(self, request):
        return self.render(request)

    @path("skor/<slug:code>/")
    def dashboard(self, request, code):
        """The route of a region's score dashboard; the view is casestudies.views.region_dashboard_view, which
        casestudies.wagtail_hooks.serve_region_dashboard calls before Wagtail gets here."""
        raise Http404


class RegionPage(Page):
    """A region's home in the library; its officers group may edit only this subtree.

    Its region is changed only by those who may change regions (moderators, administrators): an officer sees it
    read-only, and a crafted POST of another region is ignored (the field is not in their form).
    Its case studies are listed by the template (casestudies_tags.region_case_studies)."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="page", verbose_name=_("daerah"))
    officers_group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="region_page"
    )
    intro = RichTextField(_("pengantar"), blank=True, features=SECTION_FEATURES)

    parent_page_types = ["casestudies.RegionsIndexPage"]
    subpage_types = ["casestudies.CaseStudyPage"]
    content_panels = [
        *Page.content_panels,
        EditableWithPermissionPanel("region", permission="casestudies.change_region"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = _("halaman daerah")

    @classmethod
    def regions_of(cls, pages) -> dict[int, Region]:
        """page id → the region that owns it (its parent region page's region, with the province), for case-study
        pages, in one query whatever their number. The one place "which region owns this page" is answered."""
        pages = list(pages)
        parent_path = {page.pk: page.path[: -cls.steplen] for page in pages}
        if not parent_path:
            return {}
        region_by_path = {
            region_page.path: region_page.region
            for region_page in cls.objects.filter(path__in=set(parent_path.values())).select_related("region__province")
        }
        return {pk: region_by_path[path] for pk, path in parent_path.items() if path in region_by_path}


class CaseStudyTag(TaggedItemBase):
    """Free tags of a case study (django-taggit through modelcluster)."""

    content_object = ParentalKey("casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="tagged_items")


class CaseStudyPage(Page):
    """A best practice (praktik baik) of one region, tagged by the SPBE indicators it improved.

    Sections follow OECD OPSI case studies and the KIPP (Kompetisi Inovasi Pelayanan Publik) form.
    """

    class Status(models.TextChoices):
        """Whether the practice still runs, was scaled or replicated, or stopped."""

        ACTIVE = "active", _("Berjalan")
        SCALED = "scaled", _("Direplikasi/diperluas")
        STOPPED = "stopped", _("Dihentikan")

    YEAR_RANGE = (1990, 2100)
    COST_MAX = 10**15  # Rp 1 quadrillion: far above any public project, far below the database limit

    summary = models.CharField(_("ringkasan"), max_length=300, help_text=_("Teks biasa, maksimal 300 karakter."))
    context_problem = RichTextField(_("konteks dan masalah"), blank=True, features=SECTION_FEATURES)
    solution = RichTextField(_("solusi"), blank=True, features=SECTION_FEATURES)
    implementation_steps = RichTextField(_("langkah pelaksanaan"), blank=True, features=SECTION_FEATURES)
    results = RichTextField(_("hasil"), blank=True, features=SECTION_FEATURES)
    resources_cost = RichTextField(_("sumber daya dan biaya"), blank=True, features=SECTION_FEATURES)
    cost_idr = models.PositiveBigIntegerField(
        _("biaya total (Rp)"), null=True, blank=True, validators=[MaxValueValidator(COST_MAX)]
    )
    partners = RichTextField(_("mitra"), blank=True, features=SECTION_FEATURES)
    challenges = RichTextField(_("tantangan"), blank=True, features=SECTION_FEATURES)
    success_conditions = RichTextField(_("syarat keberhasilan"), blank=True, features=SECTION_FEATURES)
    replication_advice = RichTextField(_("saran replikasi"), blank=True, features=SECTION_FEATURES)
    lessons = RichTextField(_("pelajaran"), blank=True, features=SECTION_FEATURES)
    body = StreamField(BaseStreamBlock(), verbose_name=_("isi tambahan"), blank=True)

    year_start = models.PositiveSmallIntegerField(
        _("tahun mulai"), validators=[MinValueValidator(YEAR_RANGE[0]), MaxValueValidator(YEAR_RANGE[1])]
    )
    year_end = models.PositiveSmallIntegerField(
        _("tahun selesai"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_RANGE[0]), MaxValueValidator(YEAR_RANGE[1])],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    contact_name = models.CharField(_("narahubung"), max_length=120, blank=True)
    contact_role = models.CharField(_("jabatan narahubung"), max_length=200, blank=True)
    contact_email = models.EmailField(_("email narahubung"), blank=True)

    tags = ClusterTaggableManager(through=CaseStudyTag, blank=True, verbose_name=_("tag"))
    external_id = models.CharField(
        _("ID eksternal"), max_length=100, unique=True, null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("data contoh"), default=False, editable=False)
    last_verified = models.DateField(
        _("terakhir dikonfirmasi"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Tanggal petugas menyatakan praktik baik ini masih akurat."),
    )

    parent_page_types = ["casestudies.RegionPage"]
    subpage_types: list[str] = []
    base_form_class = CaseStudyPageForm
    exclude_fields_in_copy = ["external_id"]

    RICH_TEXT_FIELDS = (
        "context_problem", "solution", "implementation_steps", "results", "resources_cost",
        "partners", "challenges", "success_conditions", "replication_advice", "lessons",
    )  # fmt: skip

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("indicator_claims", label=_("Indikator SPBE"), min_num=1, heading=_("Indikator SPBE")),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("year_start"), FieldPanel("year_end")]), FieldPanel("status")],
            heading=_("Periode dan status"),
        ),
        FieldPanel("context_problem"),
        FieldPanel("solution"),
        FieldPanel("implementation_steps"),
        FieldPanel("results"),
        MultiFieldPanel([FieldPanel("resources_cost"), FieldPanel("cost_idr")], heading=_("Sumber daya dan biaya")),
        FieldPanel("partners"),
        FieldPanel("challenges"),
        FieldPanel("success_conditions"),
        FieldPanel("replication_advice"),
        FieldPanel("lessons"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Lampiran"), heading=_("Lampiran")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_role"), FieldPanel("contact_email")],
            heading=_("Narahubung"),
        ),
    ]

    api_fields = [
        APIField("summary"),
        APIField("year_start"),
        APIField("year_end"),
        APIField("status"),
        APIField("cost_idr"),
        APIField("external_id"),
        APIField("is_demo"),
        APIField("indicator_numbers", serializer=serializers.ListField(child=serializers.IntegerField())),
        APIField("tag_names", serializer=serializers.ListField(child=serializers.CharField())),
        APIField("replicated_by", serializer=serializers.ListField(child=serializers.CharField())),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        *(index.SearchField(name) for name in RICH_TEXT_FIELDS),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("status"),
        index.FilterField("year_start"),
    ]

    class Meta:
        verbose_name = _("praktik baik")
        verbose_name_plural = _("praktik baik")

    def clean(self):
        super().clean()
        errors = {}
        if self.year_end and self.year_start and self.year_end < self.year_start:
            errors["year_end"] = _("Tahun selesai tidak boleh sebelum tahun mulai.")
        if errors:
            raise ValidationError(errors)

    def check_indicator_claims(self) -> None:
        """A published case study names at least one SPBE indicator, each once (any route: admin, import, shell)."""
        numbers = [c.indicator_id for c in self.indicator_claims.all()]
        if not numbers:
            raise ValidationError(_("Pilih setidaknya satu indikator SPBE yang ditingkatkan."))
        if len(numbers) != len(set(numbers)):
            raise ValidationError(_("Setiap indikator hanya boleh dipilih sekali."))

    def save(self, *args, clean=True, **kwargs):
        # Data integrity, not business logic: whatever route HTML takes in (import, API, shell),
        # it is stored only after the one sanitizer has seen it.
        self.summary = plain_text(self.summary)
        for name in self.RICH_TEXT_FIELDS:
            setattr(self, name, sanitize_richtext_source(getattr(self, name)))
        if clean and self.live:
            self.check_indicator_claims()
        return super().save(*args, clean=clean, **kwargs)

    @cached_property
    def region(self) -> Region | None:
        """The region that owns this case study (RegionPage.regions_of)."""
        return RegionPage.regions_of([self]).get(self.pk)

    def get_context(self, request, *args, **kwargs):
        # The claims with their stored "verified" flag (CaseStudyIndicator.verified); what else the page shows
        # (peers, replications, staleness, related case studies) is read by its template's tags.
        context = super().get_context(request, *args, **kwargs)
        context["claims"] = list(self.indicator_claims.select_related("indicator__aspect", "indicator__framework"))
        return context

    @property
    def indicator_numbers(self) -> list[int]:
        return [claim.indicator.number for claim in self.indicator_claims.all()]

    @property
    def replicated_by(self) -> list[str]:
        """Codes of the regions recorded as replicating this case study."""
        return list(self.replications.order_by("region__code").values_list("region__code", flat=True))

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]

    def get_sections(self):
        """(slug, heading, html) for each non-empty text section, in reading order (for the table of contents)."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.RICH_TEXT_FIELDS
            if getattr(self, name)
        ]


class CaseStudyIndicator(Orderable):
    """An SPBE indicator a case study claims to have improved, with optional levels before and after."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="indicator_claims")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="case_study_claims", verbose_name=_("indikator")
    )
    level_before = models.PositiveSmallIntegerField(
        _("tingkat sebelum"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    level_after = models.PositiveSmallIntegerField(
        _("tingkat sesudah"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    # Whether the region's official scores moved as claimed (casestudies.scores.claims; kept current on publish and on
    # every score write), so peer lists read it instead of checking each claim against the scores per request.
    verified = models.BooleanField(default=False, editable=False)

    panels = [FieldPanel("indicator"), FieldRowPanel([FieldPanel("level_before"), FieldPanel("level_after")])]

    class Meta(Orderable.Meta):
        verbose_name = _("indikator SPBE")
        verbose_name_plural = _("indikator SPBE")

    def clean(self):
        super().clean()
        if self.level_before and self.level_after and self.level_after < self.level_before:
            raise ValidationError({"level_after": _("Tingkat sesudah tidak boleh lebih rendah dari tingkat sebelum.")})

    def __str__(self):
        return f"{self.indicator} ({self.level_before or '?'} → {self.level_after or '?'})"


class CaseStudyAttachment(Orderable):
    """A document attached to a case study (uploads are type- and size-checked by the document form)."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("dokumen")
    )
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("caption")]
