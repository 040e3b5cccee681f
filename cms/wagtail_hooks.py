"""Serving: a page under an unpublished page is not public (cms/visibility.py), so its URL answers 404."""

from django.http import Http404

from wagtail import hooks

from .visibility import under_unpublished_page


@hooks.register("before_serve_page")
def hide_pages_under_unpublished_pages(page, request, serve_args, serve_kwargs):
    # Wagtail routes through a page that is not live to the live pages under it; the public site does not.
    if under_unpublished_page(page):
        raise Http404
