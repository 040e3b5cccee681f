"""One data version per request: every part of a page answers from the same stamp (casestudies.cache)."""

from .cache import request_scope


class DataVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
