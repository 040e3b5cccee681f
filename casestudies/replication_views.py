"""Admin: an officer records that their region applies another region's case study (instead of a duplicate)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cms.integers import MAX_PK, ascii_int

from .models import CaseStudyPage, Replication
from .replications import replication_add, replication_remove, replication_update
from .selectors import region_of_user


class ReplicationForm(forms.Form):
    start_year = forms.IntegerField(
        label=gettext_lazy("Mulai tahun"),
        min_value=2000,
        max_value=2100,
        help_text=Replication._meta.get_field("start_year").help_text,
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Replication.Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Catatan (opsional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Replication._meta.get_field("note").help_text,
    )


@require_http_methods(["GET", "POST"])
def replicate_case_study(request, page_id: int):
    case_study = get_object_or_404(CaseStudyPage.objects.live(), pk=page_id)
    region = region_of_user(request.user)
    if region is None:
        raise PermissionDenied  # only a region's officers speak for it
    existing = Replication.objects.filter(case_study=case_study, region=region).first()
    initial = {"start_year": existing.start_year, "status": existing.status, "note": existing.note} if existing else {}
    form = ReplicationForm(request.POST or None, initial=initial or {"status": Replication.Status.IN_PROGRESS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing:
                replication_update(
                    replication=existing,
                    user=request.user,
                    user_region=region,
                    start_year=data["start_year"],
                    status=data["status"],
                    note=data["note"],
                )
            else:
                replication_add(
                    case_study=case_study,
                    region=region,
                    user=request.user,
                    note=data["note"],
                    start_year=data["start_year"],
                    status=data["status"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = (
                _("Replikasi %(region)s atas “%(title)s” diperbarui.")
                if existing
                else _("%(region)s tercatat mereplikasi “%(title)s”.")
            )
            messages.success(request, done % {"region": region.name, "title": case_study.title})
            return redirect(case_study.url)
    draft = ascii_int(request.GET.get("draft"), low=1, high=MAX_PK)
    draft = CaseStudyPage.objects.filter(pk=draft, live=False).first() if draft else None
    if draft is not None and not draft.permissions_for_user(request.user).can_edit():
        draft = None  # only the officer's own drafts are named
    context = {
        "case_study": case_study,
        "origin": case_study.region,
        "region": region,
        "form": form,
        "draft": draft,
        "existing": existing,
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "casestudies/admin/replicate.html", context, status=status)


@require_POST
def remove_replication(request, replication_id: int):
    replication = get_object_or_404(Replication.objects.select_related("case_study", "region"), pk=replication_id)
    replication_remove(replication=replication, user=request.user, user_region=region_of_user(request.user))
    messages.success(request, _("Catatan replikasi dihapus."))
    return redirect(replication.case_study.url)
