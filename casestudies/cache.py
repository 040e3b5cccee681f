"""One data-version stamp for derived reads (peer evidence, evaluation years).

Anything that changes scores or what is published calls `data_changed()`; cached reads are keyed by the
current stamp, so they are never served stale and need no per-key invalidation. Works with the local
memory cache (one process) and with Redis (`REDIS_URL`, shared by every worker).
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "livinglab:data-version"
TIMEOUT = 60 * 60


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def data_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached(key: str, compute):
    """`compute()` once per data version."""
    full_key = f"livinglab:{key}:{data_version()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
