"""Background indexing through django-tasks: immediate in dev and tests (settings TASKS), a database-backed queue
in production (django-tasks-db; run `manage.py db_worker`). Each task reads the tree as committed when it runs."""

from django_tasks import task

from . import indexing


@task()
def index_case_studies(page_ids: list[int]) -> int:
    return indexing.index_pages(page_ids)


@task()
def index_moved_subtree(page_id: int) -> int:
    """Kept under its first name for jobs already queued; the same as index_subtree."""
    return indexing.index_subtree(page_id)


@task()
def index_subtree(page_id: int) -> int:
    return indexing.index_subtree(page_id)


@task()
def sync_subtree(page_id: int) -> int:
    return indexing.sync_subtree(page_id)


@task()
def index_section(page_id: int) -> int:
    return indexing.index_section(page_id)


@task()
def index_regions(region_ids: list[int]) -> int:
    return indexing.index_regions(region_ids)
