"""Freshness: every change of what the public may see of a case study, or of what its document carries, reaches
search when the change commits.

| change | signal | indexing |
|---|---|---|
| a case study published, unpublished, deleted (after its claims are verified: casestudies.signal_handlers) | `case_studies_changed` | `index_pages` |
| a region page published or unpublished (title, slug, region, visibility) | `page_published`, `page_unpublished` | `index_section` → `index_subtree` |
| any other page with pages under it published or unpublished | `page_published`, `page_unpublished` | `index_section` → `sync_subtree` |
| a view restriction added, changed or removed (on a case study or any ancestor) | `post_save`, `post_delete` of `PageViewRestriction` | `sync_subtree` |
| a page moved | `post_page_move` | `index_subtree` |
| an ancestor's slug changed | `page_slug_changed` (Wagtail sends it on commit) | `index_subtree` |
| a region renamed or re-typed (snippet, reference-data reload) | `post_save` of `Region`, `regions_changed` | `index_regions` |
| a claim's "verified" flag flipped (a move, score writes) | `case_studies_changed` | `index_pages` |

In dev and tests the index is written inside the same transaction; in production (SEARCH_INDEX_IN_BACKGROUND) a
django-tasks job is queued when the change commits and `manage.py db_worker` runs it. Either way it reads the page
as it was saved — so tags and indicators saved with the same publish
(Wagtail writes child relations inside page.save(), before `page_published`) are indexed with it, not one
publish late (tests/search/test_freshness.py).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from casestudies.models import CaseStudyPage, Region
from casestudies.signals import case_studies_changed, regions_changed

from . import tasks


def _run(task, *args) -> None:
    if settings.SEARCH_INDEX_IN_BACKGROUND:
        transaction.on_commit(lambda: task.enqueue(*args))
    else:  # in the same transaction as the change: visible the moment it commits
        task.call(*args)


def _section_changed(sender, instance, **kwargs):
    if not issubclass(sender, CaseStudyPage):  # case studies have their own handler
        _run(tasks.index_section, instance.pk)


def _restriction_changed(sender, instance, origin=None, **kwargs):
    if origin is not None and not issubclass(origin.model if isinstance(origin, QuerySet) else type(origin), sender):
        return  # deleted with its page: the case studies under it go too (each removes its own document after)
    _run(tasks.sync_subtree, instance.page_id)


def _page_moved(sender, instance, **kwargs):
    _run(tasks.index_moved_subtree, instance.pk)


def _slug_changed(sender, instance, **kwargs):
    if not issubclass(sender, CaseStudyPage):  # a case study's own slug change is indexed by its publish
        _run(tasks.index_subtree, instance.pk)


def _region_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        _run(tasks.index_regions, [instance.pk])


def _regions_changed(sender, region_ids, **kwargs):
    _run(tasks.index_regions, list(region_ids))


def _case_studies_changed(sender, page_ids, **kwargs):
    _run(tasks.index_case_studies, sorted(page_ids))


def register() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(_section_changed, dispatch_uid=f"search-index-section-{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search-privacy-{id(signal)}")
    post_page_move.connect(_page_moved, dispatch_uid="search-index-move")
    page_slug_changed.connect(_slug_changed, dispatch_uid="search-index-slug")
    post_save.connect(_region_saved, sender=Region, dispatch_uid="search-index-region")
    regions_changed.connect(_regions_changed, dispatch_uid="search-index-regions")
    case_studies_changed.connect(_case_studies_changed, dispatch_uid="search-index-case-studies")
