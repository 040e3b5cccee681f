"""The embedded engine: the database's own full-text index (SQLite FTS5, PostgreSQL tsvector) does the matching
and the ranking; filters, facets and the order are worked out over the matched ids in memory (base.py).

`SearchBackend` (search.backends.get_search_backend("database")) is the engine of the default connection's vendor.
"""

from django.db import connection

from .base import DatabaseBackend
from .postgres import PostgresBackend
from .sqlite import SQLiteBackend


def database_backend() -> DatabaseBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()


SearchBackend = database_backend
