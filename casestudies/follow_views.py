"""Follow or stop following an indicator or a region (the weekly digest: casestudies.digests). A POST from the
indicator page or the region's score dashboard; signed-in users with an e-mail address only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Framework, Indicator, Region
from .models.regions import REGION_CODE
from .services import follow_set


class FollowForm(forms.Form):
    indicator = forms.RegexField(required=False, regex=r"^[0-9]{1,3}$")  # ASCII digits (int() also takes '٣')
    region = forms.RegexField(required=False, regex=rf"^{REGION_CODE.pattern}$", max_length=13)
    follow = forms.BooleanField(required=False)  # absent: stop following
    next = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if bool(data.get("indicator")) == bool(data.get("region")):
            raise forms.ValidationError(_("Pilih satu indikator atau satu daerah."))
        return data


@require_POST
def follow(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    if not request.user.is_authenticated:
        return redirect_to_login(back, login_url=reverse("wagtailadmin_login"))
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors.get("__all__", [])) or _("Permintaan tidak dikenal."))
    data = form.cleaned_data
    if data["indicator"]:
        thing = Indicator.objects.filter(framework=Framework.current(), number=int(data["indicator"])).first()
        kwargs = {"indicator": thing}
    else:
        thing = Region.objects.filter(code=data["region"]).first()
        kwargs = {"region": thing}
    if thing is None:
        return HttpResponseBadRequest(_("Indikator atau daerah tidak dikenal."))
    if not request.user.email:
        messages.error(request, _("Akun Anda belum punya alamat e-mail untuk ringkasan mingguan."))
        return redirect(back)
    follow_set(user=request.user, following=data["follow"], **kwargs)
    label = thing.name if data["region"] else f"{_('Indikator')} {thing.number}"
    done = (
        _("Anda mengikuti %(thing)s: yang baru dikirim dalam ringkasan mingguan.")
        if data["follow"]
        else _("Anda berhenti mengikuti %(thing)s.")
    )
    messages.success(request, done % {"thing": label})
    return redirect(back)
