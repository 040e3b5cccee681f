"""System checks: settings that would make processes disagree about what is current."""

from django.conf import settings
from django.core import checks

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
