"""The admin home's "Ruang kerja daerah": what an officer's region needs next, and what a moderator must act on.

Reads only (selectors). The officer's view is built from the region dashboard's context (the same latest index,
weakest aspects with their peers, and "what to learn next"), plus the officer's own drafts with their workflow
state, the questions other regions asked and are waiting for an answer, and the replications and open reader
reports of the region's case studies. Stale case studies have their
own panel (casestudies.staleness).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from wagtail.models import Page, TaskState, WorkflowState

from .dashboard.context import region_dashboard
from .models import (
    CaseStudyPage,
    ContentReport,
    Framework,
    IndicatorExplorerPage,
    Question,
    RegionPage,
    RegionsIndexPage,
    Replication,
)
from .selectors import region_of_user

LIMIT = 10


@dataclass
class Draft:
    page: Page
    state: str  # in Indonesian (English under /en/… is not needed: the admin follows the user's language)
    needs_action: bool  # sent back by a moderator, or never submitted


def _workflow_label(page) -> tuple[str, bool]:
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return _("menunggu tinjauan moderator"), False
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("dikembalikan untuk diperbaiki"), True
    return (_("tayang, ada perubahan belum diajukan") if page.live else _("draf, belum diajukan")), True


@dataclass
class OfficerWorkspace:
    region: object
    region_page: RegionPage
    dashboard_base: str | None  # + a region's url_code + "/" = its public dashboard
    explorer_url: str | None = None  # + an indicator's number + "/langkah/a-b/" = a step of its learning path
    latest: object = None  # scores.selectors.YearProfile of the latest year with scores
    weak_aspects: list = field(default_factory=list)
    next_steps: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    replications: list = field(default_factory=list)
    open_reports: list = field(default_factory=list)
    questions_open: list = field(default_factory=list)  # asked by other regions, not answered yet

    @property
    def dashboard_url(self) -> str | None:
        return f"{self.dashboard_base}{self.region.url_code}/" if self.dashboard_base else None


def dashboard_base_url() -> str | None:
    """The public regions index's URL + 'skor/' (a region's dashboard is that + its code), or None."""
    index = RegionsIndexPage.objects.live().first()
    return f"{index.url}skor/" if index and index.url else None


def officer_workspace(user) -> OfficerWorkspace | None:
    """The workspace of an officer's region, or None for someone who is no region's officer."""
    region = region_of_user(user)
    if region is None:
        return None
    region_page = RegionPage.objects.get(region=region)
    base = dashboard_base_url()
    explorer = IndicatorExplorerPage.objects.live().first()
    workspace = OfficerWorkspace(
        region=region, region_page=region_page, dashboard_base=base, explorer_url=explorer.url if explorer else None
    )
    framework = Framework.current()
    if framework is not None:
        dashboard = region_dashboard(region, framework)
        workspace.latest = dashboard["latest"]
        workspace.weak_aspects = dashboard["weak_aspects"]
        workspace.next_steps = dashboard["next_steps"][:3]
    case_studies = CaseStudyPage.objects.descendant_of(region_page)
    # Drafts: never published, or with changes not yet published; newest first, with their workflow state.
    workspace.drafts = [
        Draft(page, *_workflow_label(page))
        # Through Page: Wagtail's workflow-state prefetch matches the base content type, so on a CaseStudyPage
        # queryset it would find none.
        for page in Page.objects.descendant_of(region_page)
        .type(CaseStudyPage)
        .filter(has_unpublished_changes=True)
        .prefetch_workflow_states()
        .order_by("-latest_revision_created_at")[:LIMIT]
    ]
    workspace.replications = list(
        Replication.objects.filter(case_study__in=case_studies)
        .select_related("region", "case_study")
        .order_by("-pk")[:LIMIT]
    )
    workspace.questions_open = list(
        Question.objects.filter(region=region, answered_at__isnull=True)
        .select_related("asking_region", "case_study", "indicator")
        .order_by("created_at")[:LIMIT]
    )
    workspace.open_reports = list(
        ContentReport.objects.filter(page__in=case_studies, status=ContentReport.Status.OPEN)
        .select_related("page")
        .order_by("-created_at")[:LIMIT]
    )
    return workspace


@dataclass
class ModeratorWorkspace:
    open_reports: int
    awaiting_review: int
    regions_without_case_studies: list
    questions_to_publish: int = 0  # answered questions about case studies, not published


def moderator_workspace(user) -> ModeratorWorkspace | None:
    """For moderators: open reader reports, submissions waiting, and onboarded regions with nothing published."""
    if not user.has_perm("casestudies.change_contentreport"):
        return None
    published = CaseStudyPage.objects.live().filter(path__startswith=OuterRef("path"))
    silent = (
        RegionPage.objects.annotate(has_published=Exists(published))
        .filter(has_published=False)
        .select_related("region")
        .order_by("region__code")
    )
    return ModeratorWorkspace(
        open_reports=ContentReport.objects.filter(status=ContentReport.Status.OPEN).count(),
        awaiting_review=TaskState.objects.reviewable_by(user).count(),
        regions_without_case_studies=list(silent),
        questions_to_publish=Question.objects.filter(
            answered_at__isnull=False, case_study__isnull=False, published_at__isnull=True
        ).count(),
    )
