"""Deployment checks (`manage.py check --deploy`): the default Wagtail Site answers on the public address.

Wagtail builds some absolute links from the Site record, not from settings: "view the page" in the moderation
e-mails and `html_url` in the pages API (`page.full_url`). A fresh database's site is `http://localhost`; the
public address is `WAGTAILADMIN_BASE_URL` (cms/public_urls.py), and the two must agree.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(parts.scheme)


@checks.register("sites", deploy=True)
def default_site_on_public_address(app_configs, **kwargs):
    from wagtail.models import Site

    from cms.public_urls import public_base_url

    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet, or not reachable: nothing to compare (said, not silently passed)
        return [
            checks.Info(
                "The default Wagtail site could not be read, so its address was not compared with "
                "WAGTAILADMIN_BASE_URL.",
                hint="Run this check again after `manage.py migrate` and `manage.py load_reference_data`.",
                id="cms.I001",
            )
        ]
    if site is None or _origin(site.root_url) == _origin(public_base_url()):
        return []
    return [
        checks.Warning(
            f"The default Wagtail site is {site.root_url}, but WAGTAILADMIN_BASE_URL is {public_base_url()}: "
            "page links in moderation e-mails and the pages API would point to the site's address.",
            hint="`manage.py load_reference_data` sets the site's hostname and port from WAGTAILADMIN_BASE_URL "
            "(or edit it in the admin under Settings → Sites).",
            id="cms.W001",
        )
    ]


# Settings that would make processes disagree about what is current (cms.data_version).
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def data_version_store_is_shared(app_configs=None, **kwargs):
    store = settings.LIVINGLAB_DATA_VERSION_STORE
    if store not in ("database", "cache"):
        return [checks.Error(f"DATA_VERSION_STORE must be 'database' or 'cache', not {store!r}.", id="livinglab.E001")]
    if store == "cache" and settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            checks.Error(
                "DATA_VERSION_STORE=cache needs a cache every process shares (REDIS_URL); "
                "with a process-local cache each worker would keep its own stamp and answer stale.",
                id="livinglab.E002",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def rate_limit_store_is_shared(app_configs=None, **kwargs):
    """Limits on repetition count where every process counts (cms.rate_limits)."""
    store = settings.LIVINGLAB_RATE_LIMIT_STORE
    if store not in ("database", "cache"):
        return [checks.Error(f"RATE_LIMIT_STORE must be 'database' or 'cache', not {store!r}.", id="livinglab.E003")]
    if store == "cache" and settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            checks.Error(
                "RATE_LIMIT_STORE=cache needs a cache every process shares (REDIS_URL); with a process-local "
                "cache each worker would count on its own and allow every limit once per worker.",
                id="livinglab.E004",
            )
        ]
    return []
