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
    _remember(version, full_key, value)
    return value


def prime(items_by_key: dict[str, object], compute_many) -> None:
    """Fill several keys at once: `compute_many(items)` → {item: value} for the items whose keys are missing.

    For reads that are cheaper together than one by one (the dashboard's evidence of four targets).
    """
    version = data_version()
    full_keys = {f"livinglab:{key}:{version}": item for key, item in items_by_key.items()}
    known = set(_memo) if _memo_version[0] == version else set()
    found = cache.get_many([k for k in full_keys if k not in known])
    missing = [k for k in full_keys if k not in known and k not in found]
    if not missing:
        return
    values = compute_many([full_keys[k] for k in missing])
    cache.set_many({k: values[full_keys[k]] for k in missing}, TIMEOUT)
    for k in missing:
        _remember(version, k, values[full_keys[k]])


def _remember(version: str, full_key: str, value) -> None:
    with _lock:
        if _memo_version[0] != version:
            _memo.clear()
            _memo_version[0] = version
        if len(_memo) < MEMO_SIZE:
            _memo[full_key] = value
