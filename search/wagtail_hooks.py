"""Admin: the synonym list (moderators edit it) and the search statistics (top and zero-result queries)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import analytics
from .models import Synonym

STATS_PERMISSION = "search.view_querystat"


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Sinonim pencarian")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]
    panels = [FieldPanel("terms"), FieldPanel("note")]


register_snippet(SynonymViewSet)


def search_statistics(request):
    if not request.user.has_perm(STATS_PERMISSION):
        raise PermissionDenied
    days = 30
    return render(
        request,
        "search/admin/statistics.html",
        {
            "days": days,
            "top_queries": analytics.top_queries(days=days),
            "zero_queries": analytics.zero_result_queries(days=days),
        },
    )


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [path("search-statistics/", search_statistics, name="search_statistics")]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STATS_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(_("Statistik pencarian"), reverse("search_statistics"), icon_name="table", order=270)


# ---------------------------------------------------------------- possible duplicates while writing


def _warn_about_duplicates(request, page):
    from wagtail.admin import messages as admin_messages

    from casestudies.models import CaseStudyPage

    from .duplicates import similar_case_studies

    page = page.specific
    if not isinstance(page, CaseStudyPage) or page.live:
        return
    similar = similar_case_studies(
        title=page.title,
        summary=page.summary,
        indicators=[c.indicator.number for c in page.indicator_claims.select_related("indicator")],
        exclude=page.pk,
    )
    for text in similar:
        admin_messages.warning(
            request,
            _(
                "Praktik baik serupa sudah ada: “%(title)s” (%(region)s). Jika daerah Anda mereplikasinya, "
                "sebutkan praktik asalnya dan hubungi petugasnya; jika sama persis, jangan ajukan duplikat."
            )
            % {"title": text.title, "region": text.region_name},
            buttons=[
                admin_messages.button(text.url, _("Lihat"), new_window=True),
                admin_messages.button(
                    f"{reverse('case_study_replicate', args=[text.document_id])}?draft={page.pk}",
                    _("Daerah saya mereplikasi ini"),
                ),
            ],
        )


@hooks.register("after_create_page")
def warn_duplicates_after_create(request, page):
    _warn_about_duplicates(request, page)


@hooks.register("after_edit_page")
def warn_duplicates_after_edit(request, page):
    _warn_about_duplicates(request, page)
