"""The admin API's documents and images (`/admin/api/main/documents/`, `/images/`), listed per collection permission.

Wagtail's own endpoints leave out only collections with a view restriction, so every officer could list every
region's files with their download URLs. Here a user lists what the admin's listings and choosers would show them:
the files they may choose, change or delete (by collection permission, or as their uploader). Registered over
Wagtail's endpoints in cms/wagtail_hooks.py.
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

LISTING_ACTIONS = ("choose", "change", "delete")


def permitted(queryset, user):
    """The collection members of `queryset` that `user` may choose, change or delete."""
    policy = policy_registry.get_by_type(queryset.model)
    return queryset.filter(id__in=policy.instances_user_has_any_permission_for(user, LISTING_ACTIONS).values("id"))


class PermittedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return permitted(super().get_queryset(), self.request.user)


class PermittedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return permitted(super().get_queryset(), self.request.user)
