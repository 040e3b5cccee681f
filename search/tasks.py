"""Background indexing through django-tasks: immediate in dev and tests (settings TASKS), a database-backed queue
in production (django-tasks-db; run `manage.py db_worker`)."""

from django_tasks import task

from . import indexing


@task()
def index_case_studies(page_ids: list[int]) -> int:
    return indexing.index_pages(page_ids)


@task()
def index_moved_subtree(page_id: int) -> int:
    return indexing.index_subtree(page_id)
