"""What changes peer evidence or scores bumps the data version: publishing, unpublishing, moving or deleting a
case study, and any single-row write of a score (bulk writes bump it in their services)."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import data_changed
from .models import AggregateScore, CaseStudyPage, IndicatorScore


def _changed(sender=None, **kwargs):
    data_changed()


def register() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(_changed, sender=CaseStudyPage, dispatch_uid=f"livinglab-data-version-{id(signal)}")
    post_page_move.connect(_changed, dispatch_uid="livinglab-data-version-move")
    for model in (AggregateScore, IndicatorScore):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"livinglab-data-version-{model.__name__}-{id(signal)}")
