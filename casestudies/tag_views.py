"""Admin: the moderators' free-tag screen ("Tag bebas"): tags with their counts, near-duplicates suggested for
merging, and merge or rename with a confirm step (casestudies.tags)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from wagtail.admin.auth import permission_denied

from taggit.models import Tag

from .tags import NAME_MAX, near_duplicates, tag_usage, tags_merge, tags_merge_plan


def can_manage_tags(user) -> bool:
    return user.is_active and user.has_perm("taggit.change_tag")


PK_MAX = 2**31 - 1  # taggit's Tag id is an AutoField (32-bit on PostgreSQL; SQLite refuses anything past 64)


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Tag ids; anything that is not one (a word, a number no id can be) is refused before it reaches the database."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) > PK_MAX:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)


class TagMergeForm(forms.Form):
    """The tags to merge (or the one to rename) and the name they take."""

    tags = TagChoiceField(
        label=gettext_lazy("Tag"),
        queryset=Tag.objects.all(),
        error_messages={
            "required": gettext_lazy("Pilih setidaknya satu tag."),
            "invalid_choice": gettext_lazy("Tag yang dipilih sudah tidak ada. Muat ulang halaman."),
            "invalid_pk_value": gettext_lazy("Tag yang dipilih tidak dikenal."),
            "invalid_list": gettext_lazy("Pilih setidaknya satu tag."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Nama tag tujuan"),
        max_length=NAME_MAX,
        error_messages={"required": gettext_lazy("Tulis nama tag.")},
        help_text=gettext_lazy("Tag yang sudah ada dengan nama ini dipakai; jika belum ada, tag baru dibuat."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["plan"] = tags_merge_plan(sources=list(cleaned["tags"]), name=cleaned["name"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return cleaned


def _listing(request, form: TagMergeForm | None = None, status: int = 200):
    usages = tag_usage()
    form = form or TagMergeForm()
    selected = {int(v) for v in form.data.getlist("tags") if v.isdigit()} if form.is_bound else set()
    context = {"usages": usages, "duplicates": near_duplicates(usages), "form": form, "selected": selected}
    return TemplateResponse(request, "casestudies/admin/tags.html", context, status=status)


@require_http_methods(["GET"])
def tag_list(request):
    if not can_manage_tags(request.user):
        return permission_denied(request)
    return _listing(request)


@require_http_methods(["GET", "POST"])
def tag_merge(request):
    """GET ?tags=…&name=… or POST without `confirm`: the confirm step (what will change); POST with `confirm`: do it.
    Bad input shows the listing again with the form's message; nothing is written."""
    if not can_manage_tags(request.user):
        return permission_denied(request)
    form = TagMergeForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _listing(request, form, status=400)
    plan = form.cleaned_data["plan"]
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            result = tags_merge(
                sources=list(form.cleaned_data["tags"]), name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as error:  # the tags changed between the confirm step and now
            form.add_error(None, error)
            return _listing(request, form, status=400)
        messages.success(
            request,
            _("Tag “%(name)s” kini dipakai %(pages)d praktik baik; %(removed)d tag lama dihapus.")
            % {"name": result.target.name, "pages": len(result.page_ids), "removed": len(result.removed)},
        )
        return redirect("casestudy_tags")
    context = {"plan": plan, "form": form, "tags": form.cleaned_data["tags"]}
    return TemplateResponse(request, "casestudies/admin/tag_merge_confirm.html", context)
