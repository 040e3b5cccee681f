"""Freshness: publishing, unpublishing, moving or deleting a case study reaches search when the change commits.

In dev and tests the index is written inside the same transaction; in production (SEARCH_INDEX_IN_BACKGROUND) a
django-tasks job is queued when the change commits and `manage.py db_worker` runs it. Either way it reads the page
as it was saved — so tags and indicators saved with the same publish
(Wagtail writes child relations inside page.save(), before `page_published`) are indexed with it, not one
publish late (tests/search/test_freshness.py).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished, post_page_move

from casestudies.models import CaseStudyPage

from . import indexing
from .tasks import index_case_studies, index_moved_subtree


def _page_changed(sender, instance, **kwargs):
    page_id = instance.pk
    if settings.SEARCH_INDEX_IN_BACKGROUND:
        transaction.on_commit(lambda: index_case_studies.enqueue([page_id]))
    else:  # in the same transaction as the change: visible the moment it commits
        indexing.index_pages([page_id])


def _page_moved(sender, instance, **kwargs):
    page_id = instance.pk
    if settings.SEARCH_INDEX_IN_BACKGROUND:
        transaction.on_commit(lambda: index_moved_subtree.enqueue(page_id))
    else:
        indexing.index_subtree(page_id)


def register() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(_page_changed, sender=CaseStudyPage, dispatch_uid=f"search-index-{id(signal)}")
    post_delete.connect(_page_changed, sender=CaseStudyPage, dispatch_uid="search-index-delete")
    post_page_move.connect(_page_moved, dispatch_uid="search-index-move")
