"""Bulk score writes: inside `bulk_score_write()` the per-row score signals (casestudies.signal_handlers) stand
aside, because the bulk writer renews what depends on the scores once, itself (scores.services.scores_changed)."""

from contextlib import contextmanager
from contextvars import ContextVar

_bulk = ContextVar("livinglab_bulk_score_write", default=False)


@contextmanager
def bulk_score_write():
    """Within it, row signals of score writes are ignored: the bulk writer calls scores_changed() itself."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def in_bulk_score_write() -> bool:
    return _bulk.get()
