"""search.backends.get_search_backend: the engines by name, the configured one by default."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import SimpleTestCase, override_settings

from search.backends import get_search_backend
from search.backends.database.postgres import PostgresBackend
from search.backends.database.sqlite import SQLiteBackend
from search.backends.elasticsearch.backend import ElasticsearchBackend
from search.engines import engines_to_write


class GetSearchBackendTests(SimpleTestCase):
    def test_database_follows_the_connection_vendor(self):
        expected = PostgresBackend if connection.vendor == "postgresql" else SQLiteBackend
        self.assertIsInstance(get_search_backend("database"), expected)

    def test_elasticsearch(self):
        self.assertIsInstance(get_search_backend("elasticsearch"), ElasticsearchBackend)

    @override_settings(SEARCH_BACKEND="elasticsearch")
    def test_the_setting_names_the_default(self):
        self.assertIsInstance(get_search_backend(), ElasticsearchBackend)
        self.assertEqual([engine.name for engine in engines_to_write()], ["database", "elasticsearch"])

    @override_settings(SEARCH_BACKEND="database")
    def test_the_database_alone_is_written_when_it_is_the_engine(self):
        self.assertEqual([engine.name for engine in engines_to_write()], ["database"])

    @override_settings(SEARCH_BACKEND="elastic")
    def test_an_unknown_name_is_a_configuration_error(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "No search engine is called 'elastic'"):
            get_search_backend()
        with self.assertRaisesMessage(ImproperlyConfigured, "'database', 'elasticsearch'"):
            get_search_backend("solr")
