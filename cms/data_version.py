"""One data-version stamp for derived reads (peer evidence, evaluation years, averages, the search tables),
shared by every process.

Anything that changes scores or what is published calls `data_changed()`; cached reads are keyed by the
current stamp, so they are never served stale and need no per-key invalidation.

Production is several processes (gunicorn workers, `db_worker`, management commands, several machines), so the
stamp lives where all of them read it: a row of the database by default (`DataVersion`), Redis when `REDIS_URL`
is set (`LIVINGLAB_DATA_VERSION_STORE`). A change is stamped when its transaction commits — never before, or
another process could cache what it read before the commit under the new stamp. Until then the writing thread
alone sees a private stamp (the committed one plus a token), so its own reads inside the transaction are fresh
and are never written to the shared cache.

Within one request the stamp is read once (`request_scope`, opened by `DataVersionMiddleware`): every part of a
page (results, counts, facets, peers) answers from the same version. Outside requests (commands, the worker) it
is read on every use.

Derived values are immutable for a given stamp, so each process also keeps the ones it has read in a small
in-process memo, dropped as soon as the stamp changes.
"""

import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "livinglab:data-version"
TIMEOUT = 60 * 60
MEMO_SIZE = 2048

_memo: dict[str, object] = {}
_memo_version: list[str] = [""]
_lock = threading.Lock()

_scope: ContextVar[dict | None] = ContextVar("livinglab_data_version_scope", default=None)
_pending: ContextVar[tuple | None] = ContextVar("livinglab_data_version_pending", default=None)


class DatabaseStamp:
    """The counter of the `DataVersion` row: one primary-key read per request.

    The row's model is `casestudies.models.DataVersion` (its migration made the table and the row); this module
    reads and writes the table by name, so the ground floor imports nothing from the apps above it."""

    name = "database"

    def read(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT counter FROM casestudies_dataversion WHERE id = 1")
            row = cursor.fetchone()
        return f"d{row[0] if row else 0}"

    def bump(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE casestudies_dataversion SET counter = counter + 1 WHERE id = 1")
            if not cursor.rowcount:  # a database migrated without the row: make it (once, whoever comes first)
                cursor.execute(
                    "INSERT INTO casestudies_dataversion (id, counter) VALUES (1, 1) ON CONFLICT (id) DO NOTHING"
                )


class CacheStamp:
    """A random token in the shared cache (Redis): renewed on change, made anew if the cache lost it."""

    name = "cache"

    def read(self) -> str:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY, "")
        return f"c{version}"

    def bump(self) -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)


STORES = {store.name: store for store in (DatabaseStamp(), CacheStamp())}


def _store():
    return STORES[settings.LIVINGLAB_DATA_VERSION_STORE]


@contextmanager
def request_scope():
    """Read the committed stamp at most once inside this block (one request)."""
    token = _scope.set({"stamp": None})
    try:
        yield
    finally:
        _scope.reset(token)


def _committed_stamp() -> str:
    scope = _scope.get()
    if scope is None:
        return _store().read()
    if scope["stamp"] is None:
        scope["stamp"] = _store().read()
    return scope["stamp"]


def _pending_token() -> str | None:
    """This thread's token for changes not committed yet, while its transaction lasts."""
    pending = _pending.get()
    if pending is None:
        return None
    if not connection.in_atomic_block:  # committed (the callback cleared it) or rolled back
        _pending.set(None)
        return None
    return pending[0]


def data_version() -> str:
    stamp = _committed_stamp()
    pending = _pending_token()
    return f"{stamp}.{pending}" if pending else stamp


def data_changed() -> None:
    """What derived reads depend on has changed: stamp it for every process when the transaction commits."""
    if not connection.in_atomic_block:
        _publish()
        return
    pending = _pending.get()
    callback = pending[1] if pending else None
    if callback is None or not any(entry[1] is callback for entry in connection.run_on_commit):
        callback = _make_publish()  # a new one also when a rolled-back savepoint dropped the earlier callback
        transaction.on_commit(callback)
    _pending.set((uuid.uuid4().hex, callback))


def _make_publish():
    def publish():
        _publish()

    return publish


def _publish() -> None:
    _store().bump()
    _pending.set(None)
    scope = _scope.get()
    if scope is not None:
        scope["stamp"] = None  # the rest of this request reads the new stamp


def forget_process_memory() -> None:
    """Drop this process's memo (tests: the database rolls back between tests, a memo would not)."""
    with _lock:
        _memo.clear()
        _memo_version[0] = ""


def cached(key: str, compute):
    """`compute()` once per data version (shared cache), read at most once per process and version."""
    version = data_version()
    full_key = f"livinglab:{key}:{version}"
    if _memo_version[0] == version and full_key in _memo:
        return _memo[full_key]
    if "." in version:  # uncommitted changes of this thread: never into the shared cache
        value = compute()
    else:
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
    shared = "." not in version
    full_keys = {f"livinglab:{key}:{version}": item for key, item in items_by_key.items()}
    known = set(_memo) if _memo_version[0] == version else set()
    wanted = [k for k in full_keys if k not in known]
    found = cache.get_many(wanted) if shared and wanted else {}
    missing = [k for k in wanted if k not in found]
    if not missing:
        return
    values = compute_many([full_keys[k] for k in missing])
    if shared:
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
