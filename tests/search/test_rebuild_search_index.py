"""`manage.py rebuild_search_index`: the database index always, Elasticsearch when it is the engine."""

from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import override_settings

from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.models import SearchDocument
from tests.search.scenario import SearchCorpusTestCase


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class RebuildSearchIndexTests(SearchCorpusTestCase):
    @override_settings(SEARCH_BACKEND="database")
    def test_database_only(self):
        SearchDocument.objects.all().delete()
        with mock.patch.object(ElasticsearchBackend, "rebuild") as rebuild:
            out, _ = run()
        self.assertIn("database: 6 case studies indexed", out)
        self.assertEqual(SearchDocument.objects.count(), 6)
        rebuild.assert_not_called()

    @override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://user:secret@127.0.0.1:9")
    def test_unreachable_elasticsearch_is_a_clear_error_after_the_database_rebuild(self):
        SearchDocument.objects.all().delete()
        with self.assertRaises(CommandError) as raised:
            run()
        message = str(raised.exception)
        self.assertIn("Elasticsearch does not answer at http://127.0.0.1:9", message)
        self.assertNotIn("secret", message)
        self.assertEqual(SearchDocument.objects.count(), 6)

    @override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9")
    def test_elasticsearch_gets_every_document_in_batches(self):
        received = {}

        def rebuild(batches, total, progress=None):
            received["batches"] = [[d.page_id for d in batch] for batch in batches]
            received["total"] = total
            return sum(len(batch) for batch in received["batches"])

        with (
            mock.patch.object(ElasticsearchBackend, "ping", return_value=True),
            mock.patch.object(ElasticsearchBackend, "rebuild", side_effect=rebuild),
        ):
            out, _ = run("--chunk-size", "4")
        self.assertEqual([len(batch) for batch in received["batches"]], [4, 2])
        ids = {self.mpp.pk, self.complaints.pk, self.signature.pk, self.population.pk, self.licensing.pk}
        self.assertEqual({i for batch in received["batches"] for i in batch}, ids | {self.datacentre.pk})
        self.assertEqual(received["total"], 6)
        self.assertIn("elasticsearch: 6 case studies indexed", out)

    def test_chunk_size_must_be_positive(self):
        with self.assertRaises(CommandError):
            run("--chunk-size", "0")
