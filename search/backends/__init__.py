"""The search engines, one package each, found by name (like django-modelsearch's `get_search_backend`).

settings.SEARCH_BACKEND names the configured engine; each engine's module exports `SearchBackend`, a class or
factory whose call gives the engine (a base.SearchBackend). The engine's modules are imported on first use only:
the Elasticsearch client is not loaded where the database answers.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .base import SearchBackend

BACKENDS = {
    "database": "search.backends.database",  # SQLite FTS5 or PostgreSQL full text, by the connection's vendor
    "elasticsearch": "search.backends.elasticsearch",  # needs ELASTICSEARCH_URL
}


def get_search_backend(name: str | None = None) -> "SearchBackend":
    """The engine called `name`, by default the configured one (settings.SEARCH_BACKEND)."""
    if name is None:
        name = settings.SEARCH_BACKEND
    try:
        module = BACKENDS[name]
    except (KeyError, TypeError):
        choices = ", ".join(repr(known) for known in BACKENDS)
        raise ImproperlyConfigured(
            f"No search engine is called {name!r} (settings.SEARCH_BACKEND, or the name asked for): "
            f"use one of {choices}."
        ) from None
    return import_module(module).SearchBackend()
