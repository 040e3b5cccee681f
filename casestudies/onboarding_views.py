"""Onboarding in the browser: the invitation link (public) and the moderators' "Daerah & petugas" admin view."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from .invitations import LOG_ACCEPT, LOG_INVITE, LinkState, invitation_tokens, user_from_link
from .onboarding import (
    OnboardingError,
    officer_invite,
    officer_region_page,
    officer_set_active,
    onboarded_regions,
    region_onboard,
)

RESEND_PAUSE = timedelta(minutes=10)  # an expired link asks for a new one at most this often


def can_onboard(user) -> bool:
    return user.is_active and user.has_perm("casestudies.change_region")


def _recently_invited(user) -> bool:
    return ModelLogEntry.objects.filter(
        content_type__app_label=user._meta.app_label,
        content_type__model=user._meta.model_name,
        object_id=str(user.pk),
        action=LOG_INVITE,
        timestamp__gte=timezone.now() - RESEND_PAUSE,
    ).exists()


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64: str, token: str):
    """The link in the invitation: set a first password (valid), or say the link was used or has expired and offer
    a new one (sent to the account's own address, never to one typed here)."""
    user = user_from_link(uidb64)
    state = invitation_tokens.link_state(user, token)
    region_page = officer_region_page(user) if user else None
    form = None
    if state is LinkState.VALID:
        form = SetPasswordForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            log(instance=user, action=LOG_ACCEPT, user=user)
            messages.success(
                request, _("Kata sandi tersimpan. Masuklah dengan alamat e-mail %(email)s.") % {"email": user.email}
            )
            return redirect("wagtailadmin_login")
    elif state is LinkState.EXPIRED and request.method == "POST" and region_page is not None:
        if _recently_invited(user):
            messages.info(request, _("Tautan baru sudah dikirim beberapa menit lalu. Periksa kotak masuk Anda."))
        else:
            sent, note = officer_invite(user=user, region=region_page.region)
            if sent:
                messages.success(request, _("Tautan baru telah dikirim ke alamat e-mail Anda."))
            else:
                messages.error(request, note)
    status = {LinkState.INVALID: 404, LinkState.VALID: 400 if request.method == "POST" else 200}.get(state, 200)
    response = TemplateResponse(
        request,
        "casestudies/invitation.html",
        {"state": state.value, "form": form, "invited": user if state is not LinkState.INVALID else None,
         "region": region_page.region if region_page else None},
        status=status,
    )  # fmt: skip
    response["Referrer-Policy"] = "same-origin"  # the token is in the URL: never sent to another site
    return response


class OnboardForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode daerah (Kemendagri)"), max_length=13)
    emails = forms.CharField(
        label=gettext_lazy("E-mail petugas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Satu alamat per baris; boleh ditulis “Nama Lengkap <alamat@contoh.go.id>”."),
        max_length=5000,
    )
    resend = forms.BooleanField(label=gettext_lazy("Kirim ulang undangan yang belum diterima"), required=False)

    def officers(self) -> tuple[list[str], list[str]]:
        """(emails, names) from the lines of the text area."""
        emails, names = [], []
        for line in self.cleaned_data["emails"].splitlines():
            line = line.strip()
            if not line:
                continue
            if "<" in line and line.endswith(">"):
                name, email = line[:-1].split("<", 1)
                emails.append(email.strip())
                names.append(name.strip().strip('"'))
            else:
                emails.append(line)
                names.append("")
        return emails, names


def regions_officers(request):
    """Admin, moderators: every onboarded region with its officers; onboard a region."""
    if not can_onboard(request.user):
        raise PermissionDenied
    form = OnboardForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            emails, names = form.officers()
            try:
                report = region_onboard(
                    code=form.cleaned_data["code"],
                    emails=emails,
                    names=names,
                    resend=form.cleaned_data["resend"],
                    invited_by=request.user,
                )
            except OnboardingError as error:
                form.add_error(None, str(error))
            else:
                for outcome in report.officers:
                    messages.success(request, f"{report.region.name}: {outcome.email} — {outcome.note}")
                if not report.officers:
                    messages.success(request, _("%(region)s siap.") % {"region": report.region.name})
                return redirect("regions_officers")
        status = 400
    return TemplateResponse(
        request,
        "casestudies/admin/regions_officers.html",
        {"form": form, "region_pages": onboarded_regions()},
        status=status,
    )


def _officer(request, user_id: int):
    if not can_onboard(request.user):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id)
    region_page = officer_region_page(user)
    if region_page is None or user.is_superuser:
        raise PermissionDenied  # this view manages regional officers only
    return user, region_page


@require_POST
def officer_resend(request, user_id: int):
    user, region_page = _officer(request, user_id)
    sent, note = officer_invite(user=user, region=region_page.region, invited_by=request.user)
    (messages.success if sent else messages.error)(request, f"{user.email}: {note}")
    return redirect("regions_officers")


@require_POST
def officer_active(request, user_id: int, action: str):
    user, _region_page = _officer(request, user_id)
    if action not in ("deactivate", "reactivate"):
        raise PermissionDenied
    officer_set_active(user=user, active=action == "reactivate", by=request.user)
    note = _("diaktifkan kembali") if action == "reactivate" else _("dinonaktifkan")
    messages.success(request, f"{user.email}: {note}")
    return redirect("regions_officers")
