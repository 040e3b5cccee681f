"""Which engine answers: the configured one, or the database when the configured one is unreachable."""

import logging

from django.conf import settings

from .backends.base import SearchBackend
from .backends.database import database_backend

log = logging.getLogger(__name__)


def configured_backend() -> SearchBackend:
    if settings.SEARCH_BACKEND == "elasticsearch":
        from .backends.elasticsearch.backend import ElasticsearchBackend

        return ElasticsearchBackend()
    return database_backend()


def engines_to_write() -> list[SearchBackend]:
    """Every engine a document change goes to: the database always (it is the fallback and the display store)."""
    engines = [database_backend()]
    if settings.SEARCH_BACKEND == "elasticsearch":
        engines.append(configured_backend())
    return engines


def health() -> dict:
    """{"search": "ok" | "degraded", "engine": name}: degraded when the configured engine does not answer."""
    engine = configured_backend()
    ok = engine.ping()
    if not ok:
        log.warning("Search engine %s is unreachable: answering from the database", engine.name)
    return {"search": "ok" if ok else "degraded", "engine": engine.name}
