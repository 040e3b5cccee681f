"""The admin API's pages (`/admin/api/main/pages/`), scoped as the page chooser is (casestudies/admin_visibility.py).

Wagtail's endpoint lists the pages a user may explore; here also never more than their own region, what is public
and the pages above their region page, and a page outside their region is serialised as the public knows it.
Registered over Wagtail's endpoint in casestudies/wagtail_hooks.py.
"""

import copy

from wagtail.admin.api.serializers import AdminPageSerializer
from wagtail.admin.api.views import PagesAdminAPIViewSet

from .admin_visibility import page_scope_for


class ScopedAdminPageSerializer(AdminPageSerializer):
    def to_representation(self, instance):
        scope = page_scope_for(self.context["request"])
        if not scope.owns(instance):
            instance = scope.present(copy.copy(instance))  # a copy: the view may still act on the instance
        return super().to_representation(instance)


class ScopedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    base_serializer_class = ScopedAdminPageSerializer

    def get_base_queryset(self):
        return page_scope_for(self.request).filter(super().get_base_queryset())
