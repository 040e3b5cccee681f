from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = _("Praktik baik SPBE")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register

        register()
