"""One data-version stamp for derived reads (peer evidence, evaluation years, averages).

Anything that changes scores or what is published calls `data_changed()`; cached reads are keyed by the
current stamp, so they are never served stale and need no per-key invalidation. Works with the local
memory cache (one process) and with Redis (`REDIS_URL`, shared by every worker).

Derived values are immutable for a given stamp, so each process also keeps the ones it has read in a small
in-process memo: a dashboard then costs one shared-cache read (the stamp) instead of unpickling every peer
table on each request. The memo is dropped as soon as the stamp changes.
"""

import threading
import uuid

from django.core.cache import cache

VERSION_KEY = "livinglab:data-version"
TIMEOUT = 60 * 60
MEMO_SIZE = 2048

_memo: dict[str, object] = {}
_memo_version: list[str] = [""]
_lock = threading.Lock()


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
    """`compute()` once per data version (shared cache), read at most once per process and version."""
    version = data_version()
    full_key = f"livinglab:{key}:{version}"
    if _memo_version[0] == version and full_key in _memo:
        return _memo[full_key]
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    with _lock:
        if _memo_version[0] != version:
            _memo.clear()
            _memo_version[0] = version
        if len(_memo) < MEMO_SIZE:
            _memo[full_key] = value
    return value
