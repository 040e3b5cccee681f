"""Keeping the search index current: (re)index case studies by page id, remove them, rebuild everything.

The database engine is written in the same transaction as the change that caused it (tests and dev see it at
once); an external engine (Elasticsearch) failing to take a write is logged and never breaks a publish.
"""

import logging

from django.db import transaction

from wagtail.models import Page

from casestudies.cache import data_changed
from cms.page_urls import relative_url, site_roots

from .documents import build_documents, pages_to_index
from .engines import engines_to_write

log = logging.getLogger(__name__)
CHUNK = 500


def _changed() -> None:
    """Bump the data version now (this process) and again when the transaction commits, so that no other process
    keeps a document table built from rows it read before the commit (search/backends/document_table.py)."""
    data_changed()
    transaction.on_commit(data_changed)


def _write(documents, removed_ids) -> None:
    roots = site_roots()
    for document in documents:
        document.values["url"] = relative_url(document.values["url"], roots)
    for engine in engines_to_write():
        try:
            if removed_ids:
                engine.delete(list(removed_ids))
            if documents:
                engine.index(documents)
        except Exception:  # an external engine down must not lose the publish; the database engine never is
            if engine.name == "database":
                raise
            log.warning("Search engine %s did not take %d documents", engine.name, len(documents), exc_info=True)


@transaction.atomic
def index_pages(page_ids) -> int:
    """(Re)index these case studies: live ones are written, the others removed. Returns the number written."""
    page_ids = set(page_ids)
    if not page_ids:
        return 0
    documents = build_documents(pages_to_index().filter(pk__in=page_ids))
    written = {d.page_id for d in documents}
    _write(documents, page_ids - written)
    _changed()
    return len(documents)


def index_subtree(page_id: int) -> int:
    """After a move: every case study at or under this page."""
    from casestudies.models import CaseStudyPage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return index_pages(CaseStudyPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


def reindex_all(*, progress=None) -> int:
    """Rebuild the database engine's index from the live case studies, in chunks (progress(n) after each)."""
    from .backends.database import database_backend

    engine = database_backend()
    ids = list(pages_to_index().values_list("pk", flat=True))
    roots = site_roots()
    with transaction.atomic():
        engine.clear()
        for start in range(0, len(ids), CHUNK):
            documents = build_documents(pages_to_index().filter(pk__in=ids[start : start + CHUNK]))
            for document in documents:
                document.values["url"] = relative_url(document.values["url"], roots)
            engine.index(documents, replace=False)
            if progress:
                progress(len(documents))
    engine.after_rebuild()
    _changed()
    return len(ids)
