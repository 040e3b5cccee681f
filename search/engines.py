"""Which engine answers: the configured one, or the database when the configured one is unreachable."""

import logging

from .backends import get_search_backend
from .backends.base import SearchBackend

log = logging.getLogger(__name__)


def configured_backend() -> SearchBackend:
    return get_search_backend()


def engines_to_write() -> list[SearchBackend]:
    """Every engine a document change goes to: the database always (it is the fallback and the display store),
    and the configured engine when it is an external one."""
    engines = [get_search_backend("database")]
    configured = configured_backend()
    if configured.external:
        engines.append(configured)
    return engines


def health() -> dict:
    """{"search": "ok" | "degraded", "engine": name}: degraded when the configured engine does not answer."""
    engine = configured_backend()
    ok = engine.ping()
    if not ok:
        log.warning("Search engine %s is unreachable: answering from the database", engine.name)
    return {"search": "ok" if ok else "degraded", "engine": engine.name}
