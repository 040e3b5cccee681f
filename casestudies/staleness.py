"""Staleness: a case study needs its owners' attention when nobody has confirmed it for 24 months, or when a newer
SPBE evaluation of its region has been imported since it was last confirmed (its claims may no longer hold).

"Confirmed" is `last_verified` (set when an officer marks it still accurate), else its last publication."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import AggregateScore, CaseStudyPage, IndicatorScore, RegionPage

STALE_AFTER_DAYS = 730  # 24 months


@dataclass
class Staleness:
    page: CaseStudyPage
    since: datetime.date  # last confirmation
    too_old: bool
    newer_evaluation: int | None  # the evaluation year imported after the last confirmation

    @property
    def is_stale(self) -> bool:
        return self.too_old or self.newer_evaluation is not None


def confirmed_on(page: CaseStudyPage) -> datetime.date | None:
    if page.last_verified:
        return page.last_verified
    moment = page.last_published_at or page.first_published_at
    return timezone.localdate(moment) if moment else None


def _latest_years(region_ids) -> dict[int, int]:
    years: dict[int, int] = {}
    for model in (IndicatorScore, AggregateScore):
        for region_id, year in (
            model.objects.filter(region_id__in=region_ids).values_list("region_id").annotate(Max("year"))
        ):
            years[region_id] = max(year, years.get(region_id, 0))
    return years


def staleness_of(pages, *, today: datetime.date | None = None) -> list[Staleness]:
    """For live case studies: how stale each is (two queries whatever the number of pages)."""
    today = today or timezone.localdate()
    pages = list(pages)
    regions = RegionPage.regions_of(pages)
    latest = _latest_years({region.pk for region in regions.values()})
    out = []
    for page in pages:
        since = confirmed_on(page)
        if since is None:
            continue
        region = regions.get(page.pk)
        year = latest.get(region.pk) if region else None
        # An evaluation of year Y is published during Y+1: newer than the confirmation if Y ≥ that year.
        newer = year if year is not None and year >= since.year else None
        out.append(Staleness(page, since, (today - since).days > STALE_AFTER_DAYS, newer))
    return out


def stale_for_user(user, *, limit: int = 20) -> list[Staleness]:
    """The live case studies this user can edit that need attention (for the admin home panel)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    pages = CaseStudyPage.objects.live().filter(pk__in=editable.values("pk")).order_by("last_published_at")
    return [s for s in staleness_of(pages) if s.is_stale][:limit]


@transaction.atomic
def case_study_confirm(*, page: CaseStudyPage, user) -> None:
    """An officer confirms the case study is still accurate (no new revision; logged)."""
    from wagtail.log_actions import log

    page.last_verified = timezone.localdate()
    page.save(update_fields=["last_verified"], clean=False)
    log(instance=page, action="livinglab.case_study.confirm", user=user)
