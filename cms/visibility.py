"""Which pages the public sees: live pages outside every view-restricted section and every unpublished section.

Wagtail's `live().public()` checks a page's own `live` flag and the view restrictions (password, login, groups) on
the page and its ancestors, but not whether the ancestors are live: unpublishing a region page leaves its case
studies live, and Wagtail would still serve them at their URLs. Here a page under an unpublished page is not public
either: it is left out of every listing, feed, count, the sitemap, API v2 and the search index, and its URL answers
404 (cms/wagtail_hooks.py).

The hidden sections are read in two small queries (restrictions; unpublished pages of the types that may have
pages under them, found through the content-type index: never the case studies, whose drafts are many) and
excluded as path prefixes, as Wagtail's `public()` does.
"""

import operator
from functools import cache, reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import Page, PageViewRestriction, get_page_models


@cache
def _parent_models() -> tuple[type[Page], ...]:
    """The page types that may have pages under them (the others allow no subpages, so never hide any)."""
    return tuple(model for model in get_page_models() if model.allowed_subpage_models())


def hidden_sections() -> list[str]:
    """Paths of the sections the public cannot see, outermost only: each hides itself and every page under it."""
    types = ContentType.objects.get_for_models(*_parent_models(), for_concrete_models=False).values()
    paths = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    paths.update(Page.objects.filter(content_type__in=types, live=False, depth__gt=1).values_list("path", flat=True))
    outermost: list[str] = []
    for path in sorted(paths):  # a section sorts right before the sections inside it
        if not outermost or not path.startswith(outermost[-1]):
            outermost.append(path)
    return outermost


def publicly_visible(queryset):
    """Narrow a page queryset to the pages the public sees (`live()`, and no hidden section above or at them)."""
    queryset = queryset.live()
    sections = hidden_sections()
    if not sections:
        return queryset
    return queryset.exclude(reduce(operator.or_, (Q(path__startswith=path) for path in sections)))


def under_unpublished_page(page: Page) -> bool:
    """Whether an ancestor of the page (below the tree's root) is not live (one query on the path index)."""
    ancestors = [page.path[:end] for end in range(2 * page.steplen, len(page.path), page.steplen)]
    return bool(ancestors) and Page.objects.filter(path__in=ancestors, live=False).exists()
