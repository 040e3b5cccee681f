"""Renewing the data version when what every page's header shows changes (cms/context_processors.py): the site
settings and the sites. Apps that add to the header renew it for their own models (casestudies/signal_handlers.py)."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import Site

from cms.data_version import data_changed

from .models import SiteSettings


def _changed(sender=None, **kwargs):
    data_changed()


def _settings_saved(sender=None, instance=None, created=False, **kwargs):
    # The first read of a site's settings creates their row with the defaults (Wagtail's get_or_create): what
    # pages show does not change, so that read (inside a cached build) does not renew the data version.
    if created and instance.demo_banner == SiteSettings._meta.get_field("demo_banner").default:
        return
    data_changed()


def register() -> None:
    post_save.connect(_settings_saved, sender=SiteSettings, dispatch_uid="livinglab-chrome-settings-saved")
    post_delete.connect(_changed, sender=SiteSettings, dispatch_uid="livinglab-chrome-settings-deleted")
    for signal in (post_save, post_delete):
        signal.connect(_changed, sender=Site, dispatch_uid=f"livinglab-chrome-Site-{id(signal)}")
