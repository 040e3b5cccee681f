"""What an officer sees of the page tree in the admin's page chooser and admin API (reads only).

An officer sees the pages of their own region (drafts included), the pages the public sees (cms/visibility.py),
and the pages above their region page (to browse down to it). Moderators and superusers see every page. A page
outside the officer's region is shown as the public knows it: its published title, no pending draft, no draft
date (`PageScope.present`), so neither a never-published page nor a draft title of another region is ever listed.
"""

import operator
from functools import reduce

from django.db.models import Q

from wagtail.models import Page

from cms.visibility import hidden_sections

from .models import RegionPage
from .services import MODERATORS_GROUP


def _under_any(paths) -> Q:
    return reduce(operator.or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))


class PageScope:
    """The pages one user may see listed in the admin; built once per request."""

    def __init__(self, user):
        self.sees_all = bool(
            getattr(user, "is_superuser", False)
            or (getattr(user, "is_authenticated", False) and user.groups.filter(name=MODERATORS_GROUP).exists())
        )
        self.own_sections: tuple[str, ...] = ()
        if not self.sees_all and getattr(user, "is_authenticated", False):
            self.own_sections = tuple(
                RegionPage.objects.filter(officers_group__user=user).values_list("path", flat=True)
            )

    def visible(self) -> Q:
        """The condition on pages: own region, public, or above the own region page."""
        hidden = hidden_sections()
        public = Q(live=True)
        if hidden:
            public &= ~_under_any(hidden)
        steplen = Page.steplen
        above = {section[:end] for section in self.own_sections for end in range(steplen, len(section), steplen)}
        return _under_any(self.own_sections) | public | Q(path__in=sorted(above))

    def filter(self, queryset):
        """Narrow a page queryset to what this user may see listed."""
        if self.sees_all:
            return queryset
        return queryset.filter(self.visible())

    def can_see(self, page_id) -> bool:
        return self.filter(Page.objects.filter(pk=page_id)).exists()

    def owns(self, page) -> bool:
        return self.sees_all or any(page.path.startswith(section) for section in self.own_sections)

    def present(self, page):
        """The page as this user may see it: outside their region, only what the public knows of it (in place)."""
        if page is not None and not self.owns(page) and not getattr(page, "_presented_as_public", False):
            page.draft_title = page.title
            page.has_unpublished_changes = False
            page.latest_revision_created_at = page.last_published_at
            page._presented_as_public = True
        return page


def page_scope_for(request) -> PageScope:
    """The request's PageScope (built at most once per request)."""
    scope = getattr(request, "_livinglab_page_scope", None)
    if scope is None:
        scope = PageScope(request.user)
        request._livinglab_page_scope = scope
    return scope
