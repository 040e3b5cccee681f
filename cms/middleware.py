"""The Content-Security-Policy middleware: django-csp's, aware of Wagtail's editor preview.

Wagtail renders a page's preview by running a simulated request for the page's own URL through the middleware
(`make_preview_request`), and the editor shows the result in a same-origin frame. That response gets the public
policy, so the preview shows what readers get, with one difference: the admin may frame it (`frame-ancestors
'self'` instead of `'none'`), as Wagtail lets it through X-Frame-Options by answering SAMEORIGIN.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

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
