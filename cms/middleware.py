"""The Content-Security-Policy middleware: django-csp's, aware of Wagtail's editor preview.

Wagtail renders a page's preview by running a simulated request for the page's own URL through the middleware
(`make_preview_request`), and the editor shows the result in a same-origin frame. That response gets the public
policy, so the preview shows what readers get, with one difference: the admin may frame it (`frame-ancestors
'self'` instead of `'none'`), as Wagtail lets it through X-Frame-Options by answering SAMEORIGIN.
"""

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

from .api import LANGUAGES, error_response, nul_parameters
from .data_version import request_scope


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


class DataVersionMiddleware:
    """One data version per request: every part of a page answers from the same stamp (cms.data_version)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in a query parameter answers 400 before any view runs: no text column takes one
    (PostgreSQL refuses them: `/?provinsi=%00` and `/cari/?for_region=%00` were 500s there), nor does search. Under
    /api/ in the APIs' JSON shape, per parameter and in the language of `?lang=` (cms/api.py); elsewhere the 400
    page with the reason, in the language of the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = nul_parameters(request.GET)
        if not bad:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            lang = request.GET.get("lang", "id")
            with translation.override(lang if lang in LANGUAGES else "id"):
                reason = _("tidak boleh berisi karakter NUL")
                return error_response(400, _("Parameter tidak valid."), dict.fromkeys(bad, reason))
        reason = _("Parameter %(names)s berisi karakter NUL, yang tidak diterima.") % {"names": ", ".join(bad)}
        return render(request, "400.html", {"reason": reason.replace("\x00", "")}, status=400)
