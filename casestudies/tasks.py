"""Background work for scores (django-tasks: immediate in dev and tests, the database queue in production)."""

from django_tasks import task

from .models import Framework
from .scores.summaries import summaries_refresh


@task()
def refresh_score_summaries(framework_id: int) -> tuple[int, int]:
    return summaries_refresh(Framework.objects.get(pk=framework_id))
