"""Serving: a page under an unpublished page is not public (cms/visibility.py), so its URL answers 404.
Admin API: documents and images are listed per collection permission (cms/admin_api.py)."""

from django.http import Http404

from wagtail import hooks

from .admin_api import PermittedDocumentsAdminAPIViewSet, PermittedImagesAdminAPIViewSet
from .visibility import under_unpublished_page


@hooks.register("before_serve_page")
def hide_pages_under_unpublished_pages(page, request, serve_args, serve_kwargs):
    # Wagtail routes through a page that is not live to the live pages under it; the public site does not.
    if under_unpublished_page(page):
        raise Http404


# After Wagtail's own documents and images endpoints (registered at the default order), to replace them.
@hooks.register("construct_admin_api", order=100)
def permitted_media_endpoints(router):
    router.register_endpoint("documents", PermittedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", PermittedImagesAdminAPIViewSet)
