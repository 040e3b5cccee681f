"""Publishing, unpublishing, moving or deleting a case study changes peer evidence: bump the data version."""

from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import data_changed
from .models import CaseStudyPage


def _changed(sender=None, **kwargs):
    data_changed()


def register() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(_changed, sender=CaseStudyPage, dispatch_uid=f"livinglab-data-version-{id(signal)}")
    post_page_move.connect(_changed, dispatch_uid="livinglab-data-version-move")
