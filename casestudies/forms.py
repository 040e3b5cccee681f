"""Admin form rules a model's clean() cannot see (inline formsets are attached after it runs)."""

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm


class CaseStudyPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("indicator_claims")
        if formset is None or not formset.is_valid():
            return cleaned
        chosen = [
            form.cleaned_data["indicator"]
            for form in formset.forms
            if form.cleaned_data.get("indicator") and not form.cleaned_data.get("DELETE")
        ]
        if not chosen:
            self.add_error(None, _("Pilih setidaknya satu indikator SPBE yang ditingkatkan."))
        elif len(chosen) != len(set(chosen)):
            self.add_error(None, _("Setiap indikator hanya boleh dipilih sekali."))
        return cleaned
