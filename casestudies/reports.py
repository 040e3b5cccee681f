"""Services for reader reports (writes): create, hide the page (or the reported question and answer), mark
edited, dismiss — each in the audit log."""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from cms.sanitize import plain_text

from .models import CaseStudyPage, ContentReport, Question
from .notifications import REPORT, notify
from .questions import question_withdraw

LOG_CREATE = "livinglab.report.create"
LOG_HIDE = "livinglab.report.hide"
LOG_EDITED = "livinglab.report.edited"
LOG_DISMISS = "livinglab.report.dismiss"


@transaction.atomic
def report_create(
    *, page: CaseStudyPage, reason: str, message: str = "", question: Question | None = None
) -> ContentReport:
    """A reader's report on a case study, or on one question and answer published on it."""
    report = ContentReport.objects.create(
        page=page, question=question, reason=reason, message=plain_text(message)[:1000]
    )
    data = {"report": report.pk, "reason": reason} | ({"question": question.pk} if question else {})
    log(instance=page, action=LOG_CREATE, data=data)
    notify(REPORT, report.pk)  # the moderators and the region's officers, once committed
    return report


def _close(report: ContentReport, *, status: str, user) -> None:
    report.status = status
    report.handled_by = user
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])


@transaction.atomic
def report_hide(*, report: ContentReport, user) -> None:
    """Unpublish the case study (it leaves the site and search at once) and close every open report on it; for a
    report on a question and answer, take that off the page and close the open reports on it."""
    page = report.page
    if report.question_id is not None:
        question_withdraw(question=report.question, user=user, reason="report")
        for open_report in ContentReport.objects.filter(question=report.question, status=ContentReport.Status.OPEN):
            _close(open_report, status=ContentReport.Status.HIDDEN, user=user)
            log(
                instance=page,
                action=LOG_HIDE,
                user=user,
                data={"report": open_report.pk, "question": report.question_id},
            )
        return
    if page.live:
        page.unpublish(user=user, log_action=True)
    for open_report in ContentReport.objects.filter(page=page, status=ContentReport.Status.OPEN):
        _close(open_report, status=ContentReport.Status.HIDDEN, user=user)
        log(instance=page, action=LOG_HIDE, user=user, data={"report": open_report.pk})


@transaction.atomic
def report_mark_edited(*, report: ContentReport, user) -> None:
    _close(report, status=ContentReport.Status.EDITED, user=user)
    log(instance=report.page, action=LOG_EDITED, user=user, data={"report": report.pk})


@transaction.atomic
def report_dismiss(*, report: ContentReport, user) -> None:
    _close(report, status=ContentReport.Status.DISMISSED, user=user)
    log(instance=report.page, action=LOG_DISMISS, user=user, data={"report": report.pk})
