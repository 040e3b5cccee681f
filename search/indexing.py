"""Keeping the search index current: (re)index case studies by page id, by subtree, by region; rebuild everything.

Every change of what the public may see of a case study, or of what its document carries, comes through here
(search/signal_handlers.py lists the triggers; docs/search.md, "Freshness").

The database engine is written in the same transaction as the change that caused it (tests and dev see it at
once); an external engine (Elasticsearch) failing to take a write is logged and never breaks a publish.
"""

import logging

from django.db import transaction
from django.db.models import Q

from wagtail.models import Page

from cms.data_version import data_changed
from cms.page_urls import relative_url, site_roots

from .documents import build_documents, pages_to_index, province_of
from .engines import engines_to_write
from .models import SearchDocument

log = logging.getLogger(__name__)
CHUNK = 500


def _changed() -> None:
    """Renew the data version when this transaction commits (cms.data_version: until then only this thread reads
    the new state), so that no process keeps a document table built from rows it read before the commit."""
    data_changed()


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
            if not engine.external:
                raise
            log.warning("Search engine %s did not take %d documents", engine.name, len(documents), exc_info=True)


@transaction.atomic
def index_pages(page_ids) -> int:
    """(Re)index these case studies: public ones are written, the others removed. Returns the number written."""
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return 0
    written = 0
    for start in range(0, len(page_ids), CHUNK):  # a region's subtree or the whole site: bounded IN lists
        chunk = page_ids[start : start + CHUNK]
        documents = build_documents(pages_to_index().filter(pk__in=chunk))
        _write(documents, set(chunk) - {d.page_id for d in documents})
        written += len(documents)
    _changed()
    return written


def _case_studies_under(page_id: int):
    """Every case study at or under this page (None when the page is gone)."""
    from casestudies.models import CaseStudyPage

    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    return None if path is None else CaseStudyPage.objects.filter(path__startswith=path)


def index_subtree(page_id: int) -> int:
    """Rebuild every case study at or under this page: after a move or a slug change (their URLs), or a region
    page published (its region is in each document)."""
    pages = _case_studies_under(page_id)
    if pages is None:
        return 0
    written = index_pages(pages.values_list("pk", flat=True))
    _changed()
    return written


def sync_subtree(page_id: int) -> int:
    """After who may see a section changed (a view restriction added or removed, an ancestor unpublished or
    published again): index the case studies under it that became public, remove those that no longer are.
    Documents that stay are left as they are, so publishing the home page costs a few queries, not a reindex."""
    from casestudies.selectors import case_studies_public

    pages = _case_studies_under(page_id)
    if pages is None:
        return 0
    public = set(case_studies_public().filter(pk__in=pages.values("pk")).values_list("pk", flat=True))
    indexed = set(SearchDocument.objects.filter(page__in=pages.values("pk")).values_list("page_id", flat=True))
    written = index_pages(public ^ indexed)
    _changed()  # peer evidence and listings read visibility too, whatever the index held
    return written


def index_section(page_id: int) -> int:
    """A page with pages under it was published or unpublished. A region page's own fields (its region, its slug)
    are in every document under it, so those are rebuilt; above it only who may see them can have changed (slug
    changes arrive apart, through `page_slug_changed`)."""
    from casestudies.models import RegionPage

    if RegionPage.objects.filter(pk=page_id).exists():
        return index_subtree(page_id)
    return sync_subtree(page_id)


REGION_FIELDS = (
    "page_id", "region_code", "region_type", "province_code", "text__region_name", "text__province_name",
    "region__code", "region__name", "region__type", "region__province", "region__province__code",
    "region__province__name",
)  # fmt: skip


def stale_region_documents(region_ids) -> set[int]:
    """Indexed case studies of these regions, or of regions in these provinces, whose region or province (code,
    name, type) no longer reads as the Region rows do (one query)."""
    region_ids = list(region_ids)
    rows = (
        SearchDocument.objects.filter(Q(region_id__in=region_ids) | Q(region__province_id__in=region_ids))
        .select_related("text", "region__province")
        .only(*REGION_FIELDS)
    )
    stale = set()
    for document in rows.iterator(chunk_size=2000):
        region = document.region
        province = province_of(region)
        stored = (document.region_code, document.region_type, document.text.region_name)
        stored += (document.province_code, document.text.province_name)
        wanted = (region.code, region.type, region.name)
        wanted += (province.code, province.name) if province else ("", "")
        if stored != wanted:
            stale.add(document.page_id)
    return stale


def index_regions(region_ids) -> int:
    """After regions were renamed or re-typed (the snippet, or a reference-data reload): rebuild the documents
    that carry their old names."""
    stale = stale_region_documents(region_ids)
    return index_pages(stale) if stale else 0


def reindex_all(*, progress=None) -> int:
    """Rebuild the database engine's index from the public case studies, in chunks (progress(n) after each)."""
    from .backends import get_search_backend

    ids = list(pages_to_index().values_list("pk", flat=True))
    roots = site_roots()

    def batches():
        for start in range(0, len(ids), CHUNK):
            documents = build_documents(pages_to_index().filter(pk__in=ids[start : start + CHUNK]))
            for document in documents:
                document.values["url"] = relative_url(document.values["url"], roots)
            yield documents

    get_search_backend("database").rebuild(batches(), len(ids), progress=progress)
    _changed()
    return len(ids)
