"""The indicator explorer: Domain → Aspect → Indicator, each with its case studies."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .taxonomy import STEP_STARTS, Aspect, Domain, Framework, Indicator, is_step


class IndicatorExplorerPage(RoutablePageMixin, Page):
    """Browse the SPBE framework and the case studies tagged with each indicator.

    The routes give the framework node (`claimed_indicators`: the indicators whose case studies the node lists);
    the tree's counts, the case studies and the climbers are read by the templates (casestudies_tags)."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    content_panels = [*Page.content_panels, "intro"]

    class Meta:
        verbose_name = _("penjelajah indikator")

    def _framework(self) -> Framework:
        framework = Framework.current()
        if framework is None:
            raise Http404(_("Data referensi SPBE belum dimuat."))
        return framework

    def _render(self, request, template, **context):
        context = {**self.get_context(request), "framework": context.pop("framework", None), **context}
        return TemplateResponse(request, template, context)

    def get_sitemap_urls(self, request=None):
        """The tree, then every domain, aspect and indicator page of the current framework, and the four steps of
        every indicator's learning path."""
        urls = super().get_sitemap_urls(request)
        framework = Framework.current()
        if framework is None:
            return urls
        base = self.get_full_url(request)
        routes = [
            *(("domain", n) for n in Domain.objects.filter(framework=framework).values_list("number", flat=True)),
            *(("aspect", n) for n in Aspect.objects.filter(framework=framework).values_list("number", flat=True)),
            *(("indicator", n) for n in Indicator.objects.filter(framework=framework).values_list("number", flat=True)),
        ]
        for name, number in routes:
            urls.append({"location": base + self.reverse_subpage(name, args=[number])})
        for number in [number for name, number in routes if name == "indicator"]:  # the learning-path steps
            for start in STEP_STARTS:
                urls.append(
                    {"location": base + self.reverse_subpage("indicator-step", args=[number, start, start + 1])}
                )
        return urls

    @path("")
    def tree(self, request):
        framework = self._framework()
        return self._render(request, "casestudies/indicator_explorer_page.html", framework=framework)

    @path("domain/<int:number>/")
    def domain(self, request, number):
        framework = self._framework()
        domain = get_object_or_404(Domain, framework=framework, number=number)
        return self._render(
            request,
            "casestudies/explorer_detail.html",
            framework=framework,
            level="domain",
            node=domain,
            aspects=domain.aspects.all(),
            claimed_indicators=Indicator.objects.filter(aspect__domain=domain),
        )

    @path("aspek/<int:number>/")
    def aspect(self, request, number):
        framework = self._framework()
        aspect = get_object_or_404(Aspect.objects.select_related("domain"), framework=framework, number=number)
        return self._render(
            request,
            "casestudies/explorer_detail.html",
            framework=framework,
            level="aspect",
            node=aspect,
            indicators=aspect.indicators.all(),
            claimed_indicators=aspect.indicators.all(),
        )

    def _indicator(self, framework, number) -> Indicator:
        return get_object_or_404(
            Indicator.objects.select_related("aspect__domain", "scale"), framework=framework, number=number
        )

    @path("<int:number>/langkah/<int:start>-<int:end>/", name="indicator-step")
    def indicator_step(self, request, number, start, end):
        """One step of the indicator's learning path (casestudies.learning_paths), e.g. `42/langkah/2-3/`."""
        framework = self._framework()
        indicator = self._indicator(framework, number)
        if not is_step(start, end):
            raise Http404(_("Langkah tidak dikenal: dari tingkat 1–4 ke tingkat berikutnya."))
        return self._render(
            request,
            "casestudies/indicator_step.html",
            framework=framework,
            node=indicator,
            start=start,
            end=end,
            scale_levels=indicator.scale.levels.all() if indicator.scale else [],
        )

    @path("<int:number>/")
    def indicator(self, request, number):
        framework = self._framework()
        indicator = self._indicator(framework, number)
        return self._render(
            request,
            "casestudies/explorer_detail.html",
            framework=framework,
            level="indicator",
            node=indicator,
            criteria=indicator.criteria.all(),
            scale_levels=indicator.scale.levels.all() if indicator.scale else [],
            claimed_indicators=[indicator],
        )
