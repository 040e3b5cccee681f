"""E-mail notifications that reach people, each linking (absolute, on WAGTAILADMIN_BASE_URL) to what to act on.

| event | who | link |
|---|---|---|
| a case study submitted for moderation | the moderators (the workflow task's group) | Wagtail's: the preview and the editor |
| a case study approved / sent back | the officer who submitted it | Wagtail's: the page / the editor |
| a reader reports a case study | the moderators; the officers of its region | the report in the queue; the editor |
| another region records a replication | the officers of the case study's region | the editor and the public page |
| an officer asks a region a question | the officers of the asked region | the question, to answer it |
| the question is answered | the officer who asked (gone: their region's officers) | the question and its answer |

The moderation mails are Wagtail's own notifiers (templates in Indonesian: templates/wagtailadmin/notifications/).
Every mail leaves after the change commits, through django-tasks (immediate in dev and tests, the database queue run
by `db_worker` in production), so a slow mail server never slows a request. Wagtail sends its notifications from
inside the workflow action; `defer_wagtail_notifications` connects a deferring receiver in their place (it runs in
this app's ready(), before wagtail.admin's, and Django keeps the first receiver of a `dispatch_uid`). Recipients are
active accounts with an address, never the person who acted; a failure is logged, never raised. Readers are
anonymous: officers get the reason of a report, not the reader's message (moderators see it in the queue).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted
from wagtail.users.models import UserProfile

from django_tasks import task

from .models import ContentReport, Question, RegionPage, Replication
from .services import MODERATORS_GROUP

log = logging.getLogger(__name__)

REPORT = "report"
REPLICATION = "replication"
QUESTION_ASKED = "question_asked"
QUESTION_ANSWERED = "question_answered"


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _active_with_email(users):
    return users.filter(is_active=True).exclude(email="").distinct().order_by("pk")


def moderators():
    """The moderators group; superusers too when Wagtail's notifications include them (not here: settings)."""
    who = Q(groups__name=MODERATORS_GROUP)
    if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
        who |= Q(is_superuser=True)
    return _active_with_email(get_user_model().objects.filter(who))


def _officers(region_page):
    if region_page is None or region_page.officers_group_id is None:
        return get_user_model().objects.none()
    return _active_with_email(Group.objects.get(pk=region_page.officers_group_id).user_set.all())


def region_officers(case_study):
    """The officers of the region whose page holds this case study."""
    return _officers(RegionPage.objects.filter(path=case_study.path[: -case_study.steplen]).first())


def officers_of_region(region):
    """A region's active officers with an e-mail address (none when the region has no page or no officers)."""
    return _officers(RegionPage.objects.filter(region=region).first())


@dataclass
class Mail:
    user: object
    template: str  # templates/casestudies/email/<template>.txt and <template>_subject.txt
    context: dict


def _report_mails(report_id: int) -> list[Mail]:
    report = ContentReport.objects.select_related("page").filter(pk=report_id).first()
    if report is None:
        return []
    page = report.page
    edit_url = absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    base = {"page": page, "report": report, "edit_url": edit_url}
    queue_url = absolute(reverse("content_reports")) + f"#report-{report.pk}"
    mails = [Mail(u, "report_moderator", {**base, "message": report.message, "url": queue_url}) for u in moderators()]
    mails += [Mail(u, "report_officer", {**base, "url": edit_url}) for u in region_officers(page)]
    return mails


def _replication_mails(replication_id: int) -> list[Mail]:
    replication = Replication.objects.select_related("case_study", "region").filter(pk=replication_id).first()
    if replication is None:  # taken back before the mail left
        return []
    page = replication.case_study
    context = {
        "page": page,
        "region": replication.region,
        "note": replication.note,
        "replication": replication,
        "url": absolute(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        "public_url": page.full_url,
    }
    return [
        Mail(u, "replication_officer", context) for u in region_officers(page).exclude(pk=replication.added_by_id or 0)
    ]


def _question(question_id: int) -> Question | None:
    related = ("region", "asking_region", "case_study", "indicator", "asked_by")
    return Question.objects.select_related(*related).filter(pk=question_id).first()


def _question_asked_mails(question_id: int) -> list[Mail]:
    question = _question(question_id)
    if question is None:
        return []
    context = {"question": question, "url": absolute(reverse("question_detail", args=[question.pk]))}
    return [Mail(u, "question_asked", context) for u in officers_of_region(question.region)]


def _question_answered_mails(question_id: int) -> list[Mail]:
    question = _question(question_id)
    if question is None or not question.is_answered:
        return []
    asker = question.asked_by
    if asker is not None and asker.is_active and asker.email:
        recipients = [asker]
    else:  # the asker's account is gone or closed: their colleagues
        recipients = list(officers_of_region(question.asking_region))
    context = {"question": question, "url": absolute(reverse("question_detail", args=[question.pk]))}
    return [Mail(u, "question_answered", context) for u in recipients]


BUILDERS = {
    REPORT: _report_mails,
    REPLICATION: _replication_mails,
    QUESTION_ASKED: _question_asked_mails,
    QUESTION_ANSWERED: _question_answered_mails,
}


def _language(user) -> str:
    return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE


def mail_send(mail: Mail) -> None:
    """Render a mail in its recipient's language and send it now (raises what the mail backend raises)."""
    context = {**mail.context, "user": mail.user, "site_url": absolute("")}
    with translation.override(_language(mail.user)):
        subject = render_to_string(f"casestudies/email/{mail.template}_subject.txt", context).strip()
        body = render_to_string(f"casestudies/email/{mail.template}.txt", context)
    EmailMultiAlternatives(subject, body, None, [mail.user.email], headers={"Auto-Submitted": "auto-generated"}).send()


def notification_send(*, kind: str, object_id: int) -> int:
    """Send the mails of one event now; returns how many left. Each failure is logged and the others still go."""
    try:
        mails = BUILDERS[kind](object_id)
    except Exception:
        log.exception("Notification %s %s: recipients not found", kind, object_id)
        return 0
    sent = 0
    for mail in mails:
        try:
            mail_send(mail)
            sent += 1
        except Exception:
            log.exception("Notification %s %s to user %s was not sent", kind, object_id, mail.user.pk)
    return sent


def _enqueue(task, *args) -> None:
    try:
        task.enqueue(*args)
    except Exception:
        log.exception("Notification task %s%r was not queued", task.name, args)


@task()
def send_notification(kind: str, object_id: int) -> int:
    return notification_send(kind=kind, object_id=object_id)


def notify(kind: str, object_id: int) -> None:
    """Send the mails of this event once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: _enqueue(send_notification, kind, object_id), robust=True)


# ---------------------------------------------------------------- Wagtail's moderation notifications, deferred

# name: (signal, sender, Wagtail's dispatch_uid, Wagtail's notifier in wagtail.admin.signal_handlers)
WAGTAIL_NOTIFIERS = {
    "task_submitted": (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        "task_submission_email_notifier",
    ),
    "workflow_submitted": (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        "workflow_submission_email_notifier",
    ),
    "workflow_rejected": (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        "workflow_rejection_email_notifier",
    ),
    "workflow_approved": (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        "workflow_approval_email_notifier",
    ),
}


def wagtail_notification_send(*, name: str, instance_id: int, user_id: int | None) -> bool:
    """Run Wagtail's notifier `name` for the task or workflow state, as the signal would have (now committed)."""
    from wagtail.admin import signal_handlers

    _signal, model, _uid, notifier_name = WAGTAIL_NOTIFIERS[name]
    try:
        instance = model.objects.filter(pk=instance_id).first()
        if instance is None:
            return False
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        return bool(getattr(signal_handlers, notifier_name)(instance=instance, user=user))
    except Exception:
        log.exception("Moderation notification %s for %s was not sent", name, instance_id)
        return False


@task()
def send_wagtail_notification(name: str, instance_id: int, user_id: int | None) -> bool:
    return wagtail_notification_send(name=name, instance_id=instance_id, user_id=user_id)


def _deferring_receiver(name: str):
    def receiver(sender, instance=None, user=None, **kwargs):
        args = (name, instance.pk, getattr(user, "pk", None))
        transaction.on_commit(lambda: _enqueue(send_wagtail_notification, *args), robust=True)

    return receiver


def defer_wagtail_notifications() -> None:
    """Take the place of Wagtail's moderation e-mail receivers (see the module docstring)."""
    for name, (signal, sender, dispatch_uid, _notifier) in WAGTAIL_NOTIFIERS.items():
        signal.connect(_deferring_receiver(name), sender=sender, dispatch_uid=dispatch_uid, weak=False)
