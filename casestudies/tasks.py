"""Background work (django-tasks: immediate in dev and tests, the database queue in production, run by `db_worker`):
score summaries, and the notification e-mails (casestudies.notifications), sent once the change committed."""

from django_tasks import task

from .models import Framework
from .scores.summaries import summaries_refresh


@task()
def refresh_score_summaries(framework_id: int) -> tuple[int, int]:
    return summaries_refresh(Framework.objects.get(pk=framework_id))


@task()
def send_notification(kind: str, object_id: int) -> int:
    from .notifications import notification_send

    return notification_send(kind=kind, object_id=object_id)


@task()
def send_wagtail_notification(name: str, instance_id: int, user_id: int | None) -> bool:
    from .notifications import wagtail_notification_send

    return wagtail_notification_send(name=name, instance_id=instance_id, user_id=user_id)
