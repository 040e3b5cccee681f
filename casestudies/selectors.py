"""Reads: querysets and page contexts for the case-study library (no writes here)."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length, Substr

from cms.page_urls import relative_url, site_roots
from cms.visibility import publicly_visible

from .models import (
    Aspect,
    CaseStudyIndicator,
    CaseStudyPage,
    Domain,
    FeaturedCollection,
    FeaturedCollectionItem,
    Framework,
    Indicator,
    Question,
    Region,
    RegionPage,
    Replication,
)
from .replication_outcomes import outcomes_of


def with_region(queryset):
    """Annotate each case study with its region's name and code (its parent page), in the same query."""
    parent = RegionPage.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - 4))
    return queryset.annotate(
        region_name=Subquery(parent.values("region__name")[:1]),
        region_code=Subquery(parent.values("region__code")[:1]),
    )


def case_studies_public():
    """The case studies the public sees: published, and neither view-restricted nor under an unpublished page
    (itself or any ancestor: cms/visibility.py). Every public listing, count, feed and the search index start here."""
    return publicly_visible(CaseStudyPage.objects.all())


def region_pages_public():
    """The region pages the public sees (as case_studies_public)."""
    return publicly_visible(RegionPage.objects.all())


def case_studies_live():
    """Public case studies (case_studies_public) with what a card shows, in a fixed number of queries."""
    return with_region(case_studies_public()).prefetch_related(
        Prefetch(
            "indicator_claims",
            queryset=CaseStudyIndicator.objects.select_related("indicator").order_by("sort_order"),
        ),
        "tags",
    )


def case_studies_for_indicators(indicators):
    ids = [i.pk for i in indicators]
    return case_studies_live().filter(indicator_claims__indicator_id__in=ids).distinct().order_by("-first_published_at")


def region_pages_with_counts(*, index_page):
    """Public region pages under the index, with their number of public case studies, grouped by province."""
    live_ids = case_studies_public().values_list("pk", flat=True)
    pages = list(region_pages_public().child_of(index_page).select_related("region__province").order_by("title"))
    counts = defaultdict(int)
    for region in RegionPage.regions_of(CaseStudyPage.objects.filter(pk__in=live_ids).only("path")).values():
        counts[region.pk] += 1
    for page in pages:
        page.case_study_count = counts.get(page.region_id, 0)
    return pages


def framework_tree(framework: Framework):
    """Domains with their aspects and indicators, each indicator annotated with its public case-study count."""
    live = case_studies_public().values("pk")
    indicators = Indicator.objects.filter(framework=framework).annotate(
        case_study_count=Count("case_study_claims__page", filter=Q(case_study_claims__page__in=live), distinct=True)
    )
    aspects = Aspect.objects.filter(framework=framework).prefetch_related(Prefetch("indicators", queryset=indicators))
    return Domain.objects.filter(framework=framework).prefetch_related(Prefetch("aspects", queryset=aspects))


def home_page_context() -> dict:
    live = case_studies_live()
    collections = FeaturedCollection.objects.filter(show_on_home=True).prefetch_related(
        Prefetch(
            "items",
            queryset=FeaturedCollectionItem.objects.filter(page__in=case_studies_public().values("pk"))
            .select_related("page")
            .order_by("sort_order"),
        )
    )
    framework = Framework.current()
    return {
        "featured_collections": collections,
        "newest_case_studies": live.order_by("-first_published_at")[:6],
        "case_study_count": case_studies_public().count(),
        "region_count": region_pages_public().count(),
        "domains": Domain.objects.filter(framework=framework).prefetch_related("aspects") if framework else [],
    }


def region_of_user(user) -> Region | None:
    """An officer's own region (the region page whose officers' group they are in)."""
    if not getattr(user, "is_authenticated", False):
        return None
    page = RegionPage.objects.filter(officers_group__user=user).select_related("region").first()
    return page.region if page else None


def replications_of(case_study: CaseStudyPage) -> list[Replication]:
    """The regions that apply a case study, with their region pages' URLs where public."""
    replications = list(Replication.objects.filter(case_study=case_study).select_related("region"))
    paths = dict(
        region_pages_public()
        .filter(region__in=[r.region_id for r in replications])
        .values_list("region_id", "url_path")
    )
    roots = site_roots() if paths else []
    outcomes = outcomes_of(replications)
    for replication in replications:
        path = paths.get(replication.region_id)
        replication.region_url = relative_url(path, roots) if path else None
        replication.changes = outcomes.get(replication.pk, [])
    return replications


def questions_published_on(case_study: CaseStudyPage) -> list[Question]:
    """The questions and answers a moderator published on a case study, oldest first (a conversation)."""
    return list(
        Question.objects.filter(case_study=case_study, published_at__isnull=False)
        .select_related("region", "asking_region")
        .order_by("published_at")
    )


def regions_that_can_answer() -> set[int]:
    """The regions with at least one active officer with an e-mail address: the ones a question can be sent to
    (casestudies.questions refuses the others)."""
    return set(
        RegionPage.objects.filter(officers_group__user__is_active=True)
        .exclude(officers_group__user__email="")
        .values_list("region_id", flat=True)
    )
