"""What officers and moderators do to a case study shows in search at once (dev and tests index inline);
in production the same indexing runs as a django-tasks job when the change commits."""

from django.test import override_settings

from casestudies.models import CaseStudyIndicator, Indicator
from search.backends.base import Filters
from search.models import SearchDocument
from search.service import SearchRequest, search
from tests.utils import SiteTestCase, make_case_study


def ids(q="", **filters):
    return {r.id for r in search(SearchRequest(q=q, filters=Filters(**filters), per_page=50), record=False).results}


class FreshnessTests(SiteTestCase):
    def test_publish_unpublish_delete(self):
        page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        self.assertIn(page.pk, ids("aduan"))
        page.unpublish()
        self.assertNotIn(page.pk, ids("aduan"))
        page.save_revision().publish()
        self.assertIn(page.pk, ids("aduan"))
        page.delete()
        self.assertEqual(ids("aduan"), set())
        self.assertFalse(SearchDocument.objects.exists())

    def test_drafts_show_only_when_published(self):
        page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        page.title = "Kanal Pengaduan Baru"
        page.save_revision()
        self.assertEqual(ids("baru"), set())
        page.get_latest_revision().publish()
        self.assertEqual(ids("baru"), {page.pk})

    def test_tag_changes_are_indexed_by_the_same_publish(self):
        """The known pitfall: tags saved with a publish must not reach the index one publish late."""
        page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        page.tags.add("whatsapp")
        page.save_revision().publish()
        self.assertEqual(ids(tags=("whatsapp",)), {page.pk})
        self.assertEqual(ids("whatsapp"), {page.pk})
        page.tags.remove("whatsapp")
        page.tags.add("sp4n")
        page.save_revision().publish()
        self.assertEqual(ids(tags=("whatsapp",)), set())
        self.assertEqual(ids(tags=("sp4n",)), {page.pk})

    def test_indicator_changes_are_indexed_by_the_same_publish(self):
        page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        page.indicator_claims = [
            CaseStudyIndicator(indicator=Indicator.objects.get(number=43, framework__is_current=True))
        ]
        page.save_revision().publish()
        self.assertEqual(ids(indicators=(43,)), {page.pk})
        self.assertEqual(ids(indicators=(42,)), set())
        self.assertEqual(ids("indikator 43"), {page.pk})

    def test_moving_to_another_region(self):
        page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        page.move(self.page_b, pos="last-child")
        self.assertEqual(ids(regions=("32.12",)), {page.pk})
        self.assertEqual(ids(regions=("32.11",)), set())
        self.assertIn("/kanal-aduan-terpadu/", SearchDocument.objects.get().text.url)

    @override_settings(SEARCH_INDEX_IN_BACKGROUND=True)
    def test_in_production_indexing_is_queued_when_the_change_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            page = make_case_study(self.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        self.assertEqual(ids("aduan"), set())  # not before the commit
        self.assertTrue(callbacks)
        for callback in callbacks:
            callback()  # the commit: the task is enqueued (immediate backend in tests: it runs)
        self.assertEqual(ids("aduan"), {page.pk})
