"""Admin: regions, the SPBE taxonomy and curated collections as snippets; the queue of reader reports; onboarding
regions and their officers; the page chooser and the admin API scoped to what an officer may see
(casestudies/admin_visibility.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import onboarding_views, question_views, replication_views, report_views, tag_views, upload_views
from .admin_api import ScopedPagesAdminAPIViewSet
from .admin_visibility import page_scope_for
from .invitations import LOG_ACCEPT, LOG_DEACTIVATE, LOG_INVITE, LOG_REACTIVATE
from .models import (
    Aspect,
    Domain,
    FeaturedCollection,
    Indicator,
    IndicatorExplorerPage,
    Region,
    RegionsIndexPage,
)
from .questions import LOG_ANSWER, LOG_ASK, LOG_PUBLISH, LOG_WITHDRAW, VIEW_PERMISSION
from .replications import LOG_ADD as LOG_REPLICATION_ADD
from .replications import LOG_REMOVE as LOG_REPLICATION_REMOVE
from .replications import LOG_UPDATE as LOG_REPLICATION_UPDATE
from .reports import LOG_CREATE, LOG_DISMISS, LOG_EDITED, LOG_HIDE
from .selectors import region_of_user
from .site_edits import LOG_IMPORT, LOG_OVERWRITE
from .tags import LOG_MERGE as LOG_TAG_MERGE
from .tags import LOG_RENAME as LOG_TAG_RENAME
from .views import region_dashboard_view


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Daerah")
    list_display = ["code", "name", "type", "province", "is_idsl_pilot"]
    list_filter = ["type", "is_idsl_pilot"]
    # Searched in the database (icontains): a code ("32.11") is no word of the search index.
    search_backend_name = None
    search_fields = ["name", "code"]
    ordering = ["code"]
    panels = [FieldPanel("name"), FieldPanel("type"), FieldPanel("province"), FieldPanel("is_idsl_pilot")]


class DomainViewSet(SnippetViewSet):
    model = Domain
    icon = "folder-open-inverse"
    menu_label = _("Domain")
    list_display = ["number", "name_id", "weight", "framework"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class AspectViewSet(SnippetViewSet):
    model = Aspect
    icon = "folder-open-1"
    menu_label = _("Aspek")
    list_display = ["number", "name_id", "domain", "weight"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "tag"
    menu_label = _("Indikator")
    list_display = ["number", "name_id", "aspect", "weight"]
    list_filter = ["aspect"]
    # Searched in the database (icontains): SQLite's index cannot search single fields (47 rows).
    search_backend_name = None
    search_fields = ["name_id", "name_en", "official_name"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taksonomi SPBE")
    menu_icon = "list-ul"
    menu_order = 300
    items = (DomainViewSet, AspectViewSet, IndicatorViewSet, RegionViewSet)


class FeaturedCollectionViewSet(SnippetViewSet):
    model = FeaturedCollection
    icon = "pick"
    menu_label = _("Koleksi pilihan")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "show_on_home", "sort_order"]


register_snippet(TaxonomyGroup)
register_snippet(FeaturedCollectionViewSet)


# ---------------------------------------------------------------- reader reports


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("content-reports/", report_views.report_queue, name="content_reports"),
        path(
            "content-reports/<int:report_id>/<slug:action>/", report_views.report_action, name="content_report_action"
        ),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("casestudies.view_contentreport")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(_("Laporan konten"), reverse("content_reports"), icon_name="warning", order=255)


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(LOG_CREATE, _("Dilaporkan pembaca"), _("Dilaporkan oleh pembaca"))
    actions.register_action(LOG_HIDE, _("Disembunyikan karena laporan"), _("Disembunyikan karena laporan pembaca"))
    actions.register_action(LOG_EDITED, _("Laporan: sudah diperbaiki"), _("Laporan pembaca ditandai sudah diperbaiki"))
    actions.register_action(LOG_DISMISS, _("Laporan ditolak"), _("Laporan pembaca ditolak"))


# ---------------------------------------------------------------- questions between regions


@hooks.register("register_admin_urls")
def register_question_urls():
    return [
        path("pertanyaan/", question_views.question_list, name="questions"),
        path("pertanyaan/<int:question_id>/", question_views.question_detail, name="question_detail"),
        path(
            "pertanyaan/<int:question_id>/<slug:action>/",
            question_views.question_publication,
            name="question_publication",
        ),
        path(
            "pertanyaan/tanya/praktik/<int:page_id>/",
            question_views.ask_about_case_study,
            name="question_ask_case_study",
        ),
        path(
            "pertanyaan/tanya/indikator/<int:number>/langkah/<int:start>-<int:end>/<str:code>/",
            question_views.ask_about_step,
            name="question_ask_step",
        ),
    ]


class QuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION) or region_of_user(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_questions_menu_item():
    return QuestionsMenuItem(_("Tanya jawab"), reverse("questions"), icon_name="help", order=256)


@hooks.register("register_log_actions")
def register_question_log_actions(actions):
    actions.register_action(LOG_ASK, _("Pertanyaan dikirim"), _("Pertanyaan dikirim ke daerah lain"))
    actions.register_action(LOG_ANSWER, _("Pertanyaan dijawab"), _("Pertanyaan dijawab oleh daerah yang ditanya"))
    actions.register_action(LOG_PUBLISH, _("Tanya jawab diterbitkan"), _("Tanya jawab diterbitkan di praktik baik"))
    actions.register_action(LOG_WITHDRAW, _("Tanya jawab ditarik"), _("Tanya jawab ditarik dari praktik baik"))


# ---------------------------------------------------------------- onboarding regions


@hooks.register("register_admin_urls")
def register_onboarding_urls():
    return [
        path("daerah-petugas/", onboarding_views.regions_officers, name="regions_officers"),
        path("daerah-petugas/<int:user_id>/undang/", onboarding_views.officer_resend, name="officer_resend"),
        path("daerah-petugas/<int:user_id>/<slug:action>/", onboarding_views.officer_active, name="officer_active"),
    ]


class OnboardingMenuItem(MenuItem):
    def is_shown(self, request):
        return onboarding_views.can_onboard(request.user)


@hooks.register("register_admin_menu_item")
def register_onboarding_menu_item():
    return OnboardingMenuItem(_("Daerah & petugas"), reverse("regions_officers"), icon_name="group", order=256)


@hooks.register("register_log_actions")
def register_onboarding_log_actions(actions):
    actions.register_action(LOG_INVITE, _("Undangan petugas dikirim"), _("Undangan petugas daerah dikirim"))
    actions.register_action(LOG_ACCEPT, _("Undangan diterima"), _("Petugas membuat kata sandi dari undangan"))
    actions.register_action(LOG_DEACTIVATE, _("Petugas dinonaktifkan"), _("Akun petugas daerah dinonaktifkan"))
    actions.register_action(
        LOG_REACTIVATE, _("Petugas diaktifkan kembali"), _("Akun petugas daerah diaktifkan kembali")
    )


# ---------------------------------------------------------------- uploads (penilaian mandiri, praktik baik)


@hooks.register("register_admin_urls")
def register_upload_urls():
    return [
        path("penilaian-mandiri/", upload_views.self_assessment, name="self_assessment"),
        path("penilaian-mandiri/templat.xlsx", upload_views.self_assessment_template, name="self_assessment_template"),
        path("impor-praktik-baik/", upload_views.case_study_import, name="case_study_import"),
    ]


class UploadMenuItem(MenuItem):
    def is_shown(self, request):
        return upload_views.upload_scope(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_self_assessment_menu_item():
    return UploadMenuItem(_("Penilaian mandiri"), reverse("self_assessment"), icon_name="table", order=257)


@hooks.register("register_admin_menu_item")
def register_case_study_import_menu_item():
    return UploadMenuItem(_("Impor praktik baik"), reverse("case_study_import"), icon_name="upload", order=258)


@hooks.register("register_log_actions")
def register_upload_log_actions(actions):
    actions.register_action(
        upload_views.LOG_SELF_ASSESSMENT, _("Penilaian mandiri diunggah"), _("Penilaian mandiri daerah diunggah")
    )


# ---------------------------------------------------------------- free tags


@hooks.register("register_admin_urls")
def register_tag_urls():
    return [
        path("tag-bebas/", tag_views.tag_list, name="casestudy_tags"),
        path("tag-bebas/gabung/", tag_views.tag_merge, name="casestudy_tags_merge"),
    ]


class TagsMenuItem(MenuItem):
    def is_shown(self, request):
        return tag_views.can_manage_tags(request.user)


@hooks.register("register_admin_menu_item")
def register_tags_menu_item():
    return TagsMenuItem(_("Tag bebas"), reverse("casestudy_tags"), icon_name="tag", order=257)


def _tag_names(log_entry) -> dict:
    data = log_entry.data or {}
    return {"old": ", ".join(data.get("from", ())), "new": data.get("to", "")}


class TagMergedFormatter(LogFormatter):
    label = _("Tag digabung")

    def format_message(self, log_entry):
        return _("Tag %(old)s digabung ke “%(new)s”") % _tag_names(log_entry)


class TagRenamedFormatter(LogFormatter):
    label = _("Tag diubah namanya")

    def format_message(self, log_entry):
        return _("Tag %(old)s diubah namanya menjadi “%(new)s”") % _tag_names(log_entry)


@hooks.register("register_log_actions")
def register_tag_log_actions(actions):
    actions.register_action(LOG_TAG_MERGE)(TagMergedFormatter)
    actions.register_action(LOG_TAG_RENAME)(TagRenamedFormatter)


# ---------------------------------------------------------------- staleness


class HomePanel(Component):
    """An admin home panel for the signed-in user: subclasses name their template and add `panel_context`."""

    def __init__(self, request):
        self.request = request

    def panel_context(self, user) -> dict:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(self.panel_context(self.request.user))
        context["request"] = self.request
        context["csrf_token"] = parent_context.get("csrf_token")
        return context


class StaleCaseStudiesPanel(HomePanel):
    """Admin home: the officer's case studies that need a look (24 months unconfirmed, or a newer evaluation)."""

    name = "stale_case_studies"
    template_name = "casestudies/admin/stale_panel.html"
    order = 90

    def panel_context(self, user) -> dict:
        from .staleness import stale_for_user

        return {"stale": stale_for_user(user)}


class WorkspacePanel(HomePanel):
    """Admin home, first: the officer's region workspace, and the moderator's tasks (casestudies.workspace)."""

    name = "region_workspace"
    template_name = "casestudies/admin/workspace_panel.html"
    order = 10

    def panel_context(self, user) -> dict:
        from .workspace import moderator_workspace, officer_workspace

        return {"workspace": officer_workspace(user), "moderation": moderator_workspace(user)}


@hooks.register("construct_homepage_panels")
def add_stale_panel(request, panels):
    panels.insert(0, WorkspacePanel(request))
    panels.append(StaleCaseStudiesPanel(request))


@hooks.register("register_admin_urls")
def register_confirm_url():
    return [path("case-studies/<int:page_id>/confirm/", report_views.confirm_case_study, name="case_study_confirm")]


@hooks.register("register_admin_urls")
def register_replication_urls():
    return [
        path(
            "case-studies/<int:page_id>/replicate/", replication_views.replicate_case_study, name="case_study_replicate"
        ),
        path(
            "replications/<int:replication_id>/remove/",
            replication_views.remove_replication,
            name="replication_remove",
        ),
    ]


@hooks.register("register_log_actions")
def register_replication_log_actions(actions):
    actions.register_action(LOG_REPLICATION_ADD, _("Replikasi dicatat"), _("Daerah dicatat mereplikasi praktik ini"))
    actions.register_action(LOG_REPLICATION_REMOVE, _("Replikasi dihapus"), _("Catatan replikasi daerah dihapus"))
    actions.register_action(
        LOG_REPLICATION_UPDATE, _("Replikasi diperbarui"), _("Status atau tahun mulai replikasi diperbarui")
    )


@hooks.register("register_log_actions")
def register_confirm_log_action(actions):
    actions.register_action(
        "livinglab.case_study.confirm", _("Dikonfirmasi masih akurat"), _("Dikonfirmasi masih akurat oleh petugas")
    )


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action(LOG_IMPORT, _("Diimpor dari berkas"), _("Diperbarui dari berkas impor"))
    actions.register_action(
        LOG_OVERWRITE,
        _("Suntingan ditimpa impor"),
        _("Suntingan di situs ditimpa oleh impor berkas (--overwrite)"),
    )


@hooks.register("site_chrome")
def site_chrome_links():
    """The header's indicator explorer and regions links (cms.context_processors.site_nav caches them)."""
    explorer = IndicatorExplorerPage.objects.live().only("url_path").first()
    regions = RegionsIndexPage.objects.live().only("url_path").first()
    return {
        "explorer_url": explorer.url if explorer else None,  # URLs carry the language prefix (/en/…)
        "regions_url": regions.url if regions else None,
    }


# After Wagtail's view restrictions and cms's unpublished-ancestor check (order 0): a response ends the chain.
@hooks.register("before_serve_page", order=100)
def serve_region_dashboard(page, request, serve_args, serve_kwargs):
    """`<regions index>/skor/<kode>/` (RegionsIndexPage.dashboard's route): the region's score dashboard."""
    if not isinstance(page, RegionsIndexPage) or not serve_args:
        return None
    view, _args, kwargs = serve_args
    if getattr(view, "__func__", None) is not RegionsIndexPage.dashboard:
        return None
    # Wagtail's page URLs allow no dots, so "32.11" is written "32-11" in the URL.
    return region_dashboard_view(request, page, kwargs["code"].replace("-", "."))


# ---------------------------------------------------------------- what an officer sees of other regions


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """The chooser's browse and search list an officer their own region, what is public and the pages above."""
    return page_scope_for(request).filter(pages)


# Wagtail registers its own pages endpoint before the hooks run: this one replaces it.
@hooks.register("construct_admin_api", order=100)
def scoped_pages_endpoint(router):
    router.register_endpoint("pages", ScopedPagesAdminAPIViewSet)
