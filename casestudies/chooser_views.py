"""The admin's page chooser, scoped to what the user may see (casestudies/admin_visibility.py).

The listing itself is narrowed by the `construct_page_chooser_queryset` hook (casestudies/wagtail_hooks.py), which
Wagtail applies to the children it browses and to its search. These views add what the hook cannot reach: the page
being browsed (`choose-page/<id>/` shows it on top of its children), the chosen-pages answer
(`choose-page/chosen-multiple/?id=…`), and the titles, statuses and dates of the pages outside the officer's region,
shown as the public knows them. They are mounted over Wagtail's own routes (livinglab/urls.py, before the admin).
"""

from django.http import Http404
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.models import Page

from cms.integers import MAX_PK, ascii_int

from .admin_visibility import page_scope_for


def _presenting(columns, scope):
    """Each column shows a row's page (and a parent column the parent) as `scope` presents it."""
    for column in columns:
        cell_context = column.get_cell_context_data

        def presented_cell_context(instance, parent_context, _cell_context=cell_context):
            return _cell_context(scope.present(instance), parent_context)

        column.get_cell_context_data = presented_cell_context
        if isinstance(column, chooser.ParentPageColumn):
            get_value = column.get_value
            column.get_value = lambda instance, _get_value=get_value: scope.present(_get_value(instance))
    return columns


class ScopedBrowseView(chooser.BrowseView):
    def get(self, request, parent_page_id=None):
        if parent_page_id is not None and not page_scope_for(request).can_see(parent_page_id):
            raise Http404
        return super().get(request, parent_page_id)

    @property
    def columns(self):
        return _presenting(super().columns, page_scope_for(self.request))


class ScopedSearchView(chooser.SearchView):
    @property
    def columns(self):
        return _presenting(super().columns, page_scope_for(self.request))


class ScopedChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        scope = page_scope_for(request)
        ids = [pk for raw in request.GET.getlist("id") if (pk := ascii_int(raw, low=1, high=MAX_PK))]
        pages = scope.filter(Page.objects.filter(pk__in=ids)).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": scope.present(page).get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return self.render_chosen_response(result)


def _admin_view(view):
    return never_cache(require_admin_access(view))


# The same paths as Wagtail's (wagtail/admin/urls/__init__.py), unnamed: `reverse` keeps answering with Wagtail's
# names, and the URL it gives resolves here first.
urlpatterns = [
    path("choose-page/", _admin_view(ScopedBrowseView.as_view())),
    path("choose-page/<int:parent_page_id>/", _admin_view(ScopedBrowseView.as_view())),
    path("choose-page/search/", _admin_view(ScopedSearchView.as_view())),
    path("choose-page/chosen-multiple/", _admin_view(ScopedChosenMultipleView.as_view())),
]
