"""Keeping derived data current.

What changes peer evidence or scores renews the data version: publishing, unpublishing, moving or deleting a case
study, saving the explorer or the regions page (their links are in every page's header), and any single-row write
of a score (bulk writes do it in their services, with the summaries).

A case study published, unpublished or deleted takes one path, in this order (`_case_study_changed`):
1. its level claims are checked against its region's scores (publish only; the stored "verified" flag),
2. the data version is renewed (stamped for every process when the transaction commits),
3. `casestudies.signals.case_studies_changed` is sent once with its id: search indexes it (search.signal_handlers),
   reading the stored flag — so the index never holds a flag the page does not.
A region page saved without an officers group gets one, with its media collection (`_region_page_saved`).
Moving a case study re-checks its claims (flags that flip are announced the same way). A single-row score write
re-checks the region's claims (announced likewise), drops the precomputed summaries (readers compute live
meanwhile) and rebuilds them in the background once committed.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.data_version import data_changed

from .models import (
    AggregateScore,
    Aspect,
    CaseStudyPage,
    Domain,
    Framework,
    Indicator,
    IndicatorExplorerPage,
    IndicatorScore,
    RegionPage,
    RegionsIndexPage,
)
from .scores.bulk import in_bulk_score_write
from .scores.claims import claims_verify
from .scores.summary_state import summaries_drop
from .services import region_access_ensure
from .signals import case_studies_changed


def _changed(sender=None, **kwargs):
    data_changed()


def _case_study_changed(sender=None, instance=None, signal=None, **kwargs):
    if signal is page_published:
        claims_verify(page_ids=[instance.pk], announce=False)
    data_changed()
    case_studies_changed.send(sender=CaseStudyPage, page_ids={instance.pk})


def _page_moved(sender=None, instance=None, **kwargs):
    if isinstance(instance.specific_deferred, CaseStudyPage):
        claims_verify(page_ids=[instance.pk])
    data_changed()


def _score_written(sender=None, instance=None, **kwargs):
    from .tasks import refresh_score_summaries

    if in_bulk_score_write():
        return
    framework_id = instance.framework_id if sender is AggregateScore else instance.indicator.framework_id
    summaries_drop(framework_id)
    if sender is IndicatorScore:
        claims_verify(region_ids=[instance.region_id])
    data_changed()
    transaction.on_commit(lambda: refresh_score_summaries.enqueue(framework_id))


def _region_page_saved(sender=None, instance=None, raw=False, **kwargs):
    """A region page made by any route (the admin's add, an import, the shell) gets its officers group and media
    collection, as `region_page_create` gives them."""
    if not raw and instance.officers_group_id is None:
        region_access_ensure(page=instance)


def register() -> None:
    post_save.connect(_region_page_saved, sender=RegionPage, dispatch_uid="livinglab-region-page-access")
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(_case_study_changed, sender=CaseStudyPage, dispatch_uid=f"livinglab-case-study-{id(signal)}")
    post_page_move.connect(_page_moved, dispatch_uid="livinglab-claims-moved")
    for model in (Framework, Domain, Aspect, Indicator):  # cached per data version (scores.targets)
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"livinglab-taxonomy-{model.__name__}-{id(signal)}")
    # The header links (casestudies.wagtail_hooks.site_chrome_links); publishing and unpublishing save the page too,
    # and moves renew the version for every page already.
    for model in (IndicatorExplorerPage, RegionsIndexPage):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"livinglab-chrome-{model.__name__}-{id(signal)}")
    for model in (AggregateScore, IndicatorScore):
        for signal in (post_save, post_delete):
            signal.connect(_score_written, sender=model, dispatch_uid=f"livinglab-scores-{model.__name__}-{id(signal)}")
