from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = _("Praktik baik SPBE")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .notifications import defer_wagtail_notifications
        from .signal_handlers import register

        register()
        defer_wagtail_notifications()  # before wagtail.admin's ready() connects its own (INSTALLED_APPS order)
