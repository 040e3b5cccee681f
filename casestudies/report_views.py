"""Readers report a case study (public form); moderators act on reports in the admin (see wagtail_hooks); officers
confirm a stale case study is still accurate."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cms.rate_limits import rate_limit

from .models import CaseStudyPage, ContentReport, Question
from .reports import report_create, report_dismiss, report_hide, report_mark_edited
from .selectors import case_studies_public


class ContentReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan"), choices=ContentReport.Reason.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=gettext_lazy("Keterangan (opsional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Jangan tulis data pribadi. Maksimal 1.000 karakter."),
    )


def _report(request, page: CaseStudyPage, question: Question | None = None):
    form = ContentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        message = _("Laporan untuk praktik baik ini dari alamat Anda sudah banyak; moderator akan memeriksanya.")
        if refused := rate_limit(request, "report", key=str(page.pk), message=message):
            return refused
        data = form.cleaned_data
        report_create(page=page, question=question, reason=data["reason"], message=data["message"])
        messages.success(request, _("Terima kasih. Moderator akan memeriksa laporan Anda."))
        return redirect(page.url + ("#tanya-jawab" if question else ""))
    status = 400 if request.method == "POST" else 200
    context = {"case_study": page, "question": question, "form": form}
    return TemplateResponse(request, "casestudies/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_page(request, page_id: int):
    return _report(request, get_object_or_404(case_studies_public(), pk=page_id))


@require_http_methods(["GET", "POST"])
def report_question(request, question_id: int):
    """A reader reports a question and answer published on a case study (only published ones exist here)."""
    question = get_object_or_404(
        Question.objects.filter(published_at__isnull=False, case_study__in=case_studies_public()), pk=question_id
    )
    return _report(request, question.case_study.specific, question)


ACTIONS = {"hide": report_hide, "edited": report_mark_edited, "dismiss": report_dismiss}


@require_POST
def report_action(request, report_id: int, action: str):
    """Admin: a moderator hides the case study, marks the report handled by an edit, or dismisses it."""
    report = get_object_or_404(ContentReport.objects.select_related("page"), pk=report_id)
    if action not in ACTIONS or not request.user.has_perm("casestudies.change_contentreport"):
        raise PermissionDenied
    # A question and answer is withdrawn by its moderators' permission (checked by question_withdraw).
    if (
        action == "hide"
        and report.question_id is None
        and not report.page.permissions_for_user(request.user).can_unpublish()
    ):
        raise PermissionDenied
    ACTIONS[action](report=report, user=request.user)
    messages.success(request, _("Laporan ditangani."))
    return redirect("content_reports")


def report_queue(request):
    if not request.user.has_perm("casestudies.view_contentreport"):
        raise PermissionDenied
    reports = ContentReport.objects.select_related("page", "handled_by", "question")
    return TemplateResponse(
        request,
        "casestudies/admin/report_queue.html",
        {
            "open_reports": reports.filter(status=ContentReport.Status.OPEN).order_by("-created_at"),
            "handled_reports": reports.exclude(status=ContentReport.Status.OPEN).order_by("-handled_at")[:50],
        },
    )


@require_POST
def confirm_case_study(request, page_id: int):
    """Admin: an officer (or moderator) confirms a case study is still accurate."""
    from .staleness import case_study_confirm

    page = get_object_or_404(CaseStudyPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    case_study_confirm(page=page, user=request.user)
    messages.success(request, _("Terima kasih: “%(title)s” ditandai masih akurat.") % {"title": page.title})
    return redirect("wagtailadmin_home")
