"""`manage.py rebuild_search_index`: the whole search index from the live case studies.

The database engine's tables are always rebuilt (results are displayed from them, whatever the engine); the
configured engine's index too when it is an external one (Elasticsearch). Elasticsearch is rebuilt into a new
index and switched over at the end, so searches keep working while this runs and a failure leaves the previous
index in place.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import BulkIndexError
from tqdm import tqdm

from search import indexing
from search.documents import build_documents, pages_to_index
from search.engines import configured_backend


def document_batches(chunk_size: int):
    """The documents, analysed `chunk_size` pages at a time (keyset pagination: each batch is a short query,
    and memory stays bounded whatever the number of case studies)."""
    pages = pages_to_index()
    last = 0
    while batch := list(pages.filter(pk__gt=last)[:chunk_size]):
        last = batch[-1].pk
        yield build_documents(batch)


def server(url: str) -> str:
    """Where the server is, for messages, without any credentials the URL may carry."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}" if parts.hostname else repr(url)
    except ValueError:
        return repr(url)


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the live case studies: the database engine's always, and the configured "
        "engine's when it is Elasticsearch (SEARCH_BACKEND; into a new index, switched over when complete)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size", type=int, default=200, help="Case studies analysed per batch for Elasticsearch (200)."
        )

    def bar(self, name: str, total: int) -> tqdm:
        """A progress bar on standard error (hidden when it is not a terminal), advanced by `update(n)`."""
        return tqdm(total=total, desc=name, unit="case study", file=self.stderr._out, disable=None)

    def handle(self, *args, chunk_size: int, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        total = pages_to_index().count()

        with self.bar("database", total) as bar:
            count = indexing.reindex_all(progress=bar.update)
        self.stdout.write(f"database: {count} case studies indexed")
        backend = configured_backend()
        if not backend.external:
            return

        where = server(settings.ELASTICSEARCH_URL)
        if not backend.ping():
            raise CommandError(
                f"Elasticsearch does not answer at {where} (ELASTICSEARCH_URL). The database index was rebuilt; "
                f"the Elasticsearch index {backend.alias!r} is unchanged. Start the server or fix the setting, "
                "then run this command again."
            )
        try:
            with self.bar("elasticsearch", total) as bar:
                loaded = backend.rebuild(document_batches(chunk_size), total, progress=bar.update)
        except (ApiError, TransportError, BulkIndexError, RuntimeError) as exc:
            raise CommandError(
                f"Rebuilding the Elasticsearch index at {where} failed: {exc}. {backend.alias!r} still serves "
                "the previous index."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"elasticsearch: {loaded} case studies indexed into {backend.alias!r}"))
