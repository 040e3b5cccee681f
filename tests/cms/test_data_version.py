"""The shared data-version stamp as its callers meet it: a change is stamped for other processes only when it
commits, the writer sees its own change at once, and settings that would keep a stamp per process are refused.
(Two real processes: tests/processes.)"""

from django.db import connection, transaction
from django.test import TestCase, override_settings

from cms.checks import data_version_store_is_shared
from cms.data_version import STORES, cached, data_changed, data_version

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class DatabaseStampTests(TestCase):
    def committed(self) -> str:
        return STORES["database"].read()

    def test_a_change_is_stamped_when_it_commits(self):
        before = self.committed()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            data_changed()
            self.assertEqual(self.committed(), before)  # other processes: not yet
            self.assertNotEqual(data_version(), before)  # this thread: its own change at once
            self.assertTrue(data_version().startswith(before + "."))
        self.assertNotEqual(self.committed(), before)
        self.assertEqual(data_version(), self.committed())

    def test_a_rolled_back_change_is_never_stamped(self):
        before = self.committed()
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    data_changed()
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
        self.assertEqual(self.committed(), before)

    def test_cached_values_are_read_again_after_a_change(self):
        calls = []

        def compute():
            calls.append(1)
            return len(calls)

        self.assertEqual((cached("test-value", compute), cached("test-value", compute)), (1, 1))
        with self.captureOnCommitCallbacks(execute=True):
            data_changed()
        self.assertEqual(cached("test-value", compute), 2)

    def test_a_missing_row_is_made_again(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM casestudies_dataversion")
        self.assertEqual(self.committed(), "d0")
        STORES["database"].bump()
        self.assertEqual(self.committed(), "d1")
        STORES["database"].bump()
        self.assertEqual(self.committed(), "d2")


class StoreCheckTests(TestCase):
    def test_the_database_store_needs_nothing_else(self):
        with override_settings(LIVINGLAB_DATA_VERSION_STORE="database", CACHES=LOCMEM):
            self.assertEqual(data_version_store_is_shared(), [])

    def test_a_cache_store_must_be_shared(self):
        with override_settings(LIVINGLAB_DATA_VERSION_STORE="cache", CACHES=LOCMEM):
            self.assertEqual([e.id for e in data_version_store_is_shared()], ["livinglab.E002"])

    def test_an_unknown_store_is_refused(self):
        with override_settings(LIVINGLAB_DATA_VERSION_STORE="memory"):
            self.assertEqual([e.id for e in data_version_store_is_shared()], ["livinglab.E001"])
