"""The index follows every visibility change: a case study that the public may no longer see (a view restriction
on it or an ancestor, an unpublished ancestor) leaves search, its counts and facets, autocomplete, the CSV, the
feeds, the sitemap, API v2, peer evidence, listings and other pages' related panels — and comes back with the
change undone. Renames and slug changes reach its document; so do flips of its claims' "verified" flag."""

import csv
import io
from unittest import mock

from django.contrib.auth.models import Group
from django.test import override_settings

from defusedxml import ElementTree

from casestudies.models import CaseStudyIndicator, Framework, IndicatorScore, Region
from casestudies.peers import evidence_for
from casestudies.scores.services import scores_changed
from casestudies.scores.targets import Target
from search.models import SearchDocument, SearchText
from search.related import related_case_studies
from search.service import SearchRequest, search
from tests.search.scenario import SearchCorpusTestCase
from tests.utils import make_case_study

API = "/api/v1/search/"


def privacy_url(page) -> str:
    return f"/admin/pages/{page.pk}/privacy/"


class Surfaces:
    """Where a case study shows on the public site (each check reads what a visitor's request would)."""

    def surfaces(self, page) -> set[str]:
        found = set()
        title = page.title
        if page.pk in {r["id"] for r in self.client.get(API, {"q": title}).json()["results"]}:
            found.add("search")
        everything = search(SearchRequest(per_page=50), record=False)
        if page.pk in {r.id for r in everything.results}:
            found.add("count")
        facet = {f.value: f.count for f in everything.facets.get("indicator", [])}
        if facet.get(str(self.claimed), 0) == self.claimed_count:
            found.add("facets")
        autocomplete = self.client.get(f"{API}autocomplete/", {"q": title[:-1]}).json()
        if title in [t["title"] for t in autocomplete["titles"]]:
            found.add("autocomplete")
        text = b"".join(self.client.get("/data/praktik-baik.csv").streaming_content).decode("utf-8-sig")
        if title in [row["title"] for row in csv.DictReader(io.StringIO(text))]:
            found.add("csv")
        code = self.region_of[page.pk]
        for name, url in (
            ("feed", "/feeds/praktik-baik/"),
            ("indicator feed", f"/feeds/indikator/{self.claimed}/"),
            ("region feed", f"/feeds/daerah/{code}/"),
        ):
            if title in [i.findtext("title").rsplit(" (", 1)[0] for i in self.feed(url).iter("item")]:
                found.add(name)
        if page.pk in [r.document_id for r in related_case_studies(self.neighbour.pk, limit=10)]:
            found.add("related")
        if page.url_path.split("/")[-2] + "/" in self.client.get("/sitemap.xml").content.decode():
            found.add("sitemap")
        api = self.client.get("/api/v2/pages/", {"type": "casestudies.CaseStudyPage"}).json()
        if page.pk in [item["id"] for item in api["items"]]:
            found.add("api v2")
        if self.client.get(f"/api/v2/pages/{page.pk}/").status_code == 200:
            found.add("api v2 detail")
        evidence = evidence_for(Target("indicator", self.claimed, Framework.current()))
        if title in [e.title for e in evidence.get(code, [])]:
            found.add("peer evidence")
        if title in self.client.get(f"/indikator/{self.claimed}/").content.decode():
            found.add("explorer")
        if title in self.client.get("/").content.decode():
            found.add("home")
        response = self.client.get(page.url)
        if response.status_code == 200 and page.summary in response.content.decode():  # not a password form
            found.add("page")
        return found

    def feed(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return ElementTree.fromstring(response.content)


EVERYWHERE = {
    "search", "count", "facets", "autocomplete", "csv", "feed", "indicator feed", "region feed", "related",
    "sitemap", "api v2", "api v2 detail", "peer evidence", "explorer", "home", "page",
}  # fmt: skip


class ViewRestrictionTests(Surfaces, SearchCorpusTestCase):
    """A moderator restricts a case study, its region page or the regions index in the admin, then lifts it."""

    claimed, claimed_count = 42, 2  # the complaints case study and the licensing one claim indicator 42

    def setUp(self):
        self.region_of = {self.complaints.pk: "32.11", self.licensing.pk: "32.12"}
        self.neighbour = self.licensing  # shares indicator 42: complaints is in its related panel
        self.client.force_login(self.moderator)

    def restrict(self, page, **data):
        response = self.client.post(privacy_url(page), data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["step"], "set_privacy_done")

    def visitor_sees(self, page) -> set[str]:
        self.client.logout()
        try:
            return self.surfaces(page)
        finally:
            self.client.force_login(self.moderator)

    def test_the_case_study_is_everywhere_to_begin_with(self):
        self.assertEqual(self.visitor_sees(self.complaints), EVERYWHERE)

    def test_a_restriction_on_the_case_study(self):
        self.restrict(self.complaints, restriction_type="password", password="rahasia")
        self.assertEqual(self.visitor_sees(self.complaints), set())
        self.assertFalse(SearchDocument.objects.filter(pk=self.complaints.pk).exists())
        self.restrict(self.complaints, restriction_type="none")
        self.assertEqual(self.visitor_sees(self.complaints), EVERYWHERE)

    def test_a_restriction_on_its_region_page(self):
        self.restrict(self.page_a, restriction_type="login")
        self.assertEqual(self.visitor_sees(self.complaints), set())
        self.neighbour = self.population
        self.assertEqual(self.visitor_sees(self.licensing) - {"facets"}, EVERYWHERE - {"facets"}, "region B's stay")
        self.assertEqual(
            set(SearchDocument.objects.values_list("region_code", flat=True)), {"32.12"}, "region A's three are out"
        )
        self.restrict(self.page_a, restriction_type="none")
        self.assertEqual(self.visitor_sees(self.complaints), EVERYWHERE)
        self.assertEqual(SearchDocument.objects.count(), 6)

    def test_a_restriction_on_the_regions_index(self):
        group = Group.objects.create(name="Tim internal")
        self.restrict(self.regions_index, restriction_type="groups", groups=[group.pk])
        self.assertEqual(self.visitor_sees(self.complaints), set())
        self.assertFalse(SearchDocument.objects.exists())
        self.restrict(self.regions_index, restriction_type="none")
        self.assertEqual(self.visitor_sees(self.complaints), EVERYWHERE)
        self.assertEqual(SearchDocument.objects.count(), 6)

    def test_an_api_client_signed_in_sees_no_more_than_the_public(self):
        """Wagtail's own pages endpoint lists a login-restricted page to a signed-in request; ours does not."""
        self.restrict(self.complaints, restriction_type="login")
        self.assertNotIn("api v2", self.surfaces(self.complaints))

    def test_deleting_a_region_page_with_a_restricted_case_study(self):
        """The restriction goes with its page (its handler then does nothing); the documents go with the pages."""
        self.restrict(self.licensing, restriction_type="login")
        self.reload(self.page_b).delete()
        self.assertEqual(set(SearchDocument.objects.values_list("region_code", flat=True)), {"32.11"})

    def test_a_case_study_published_under_a_restricted_region_page_is_not_indexed(self):
        self.restrict(self.page_b, restriction_type="login")
        page = make_case_study(self.page_b, title="Kanal Aduan Desa", indicators=(42,))
        self.assertFalse(SearchDocument.objects.filter(pk=page.pk).exists())

    @override_settings(SEARCH_INDEX_IN_BACKGROUND=True)
    def test_in_production_the_change_is_queued_until_it_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.restrict(self.page_a, restriction_type="login")
        self.assertTrue(SearchDocument.objects.filter(pk=self.complaints.pk).exists(), "not before the commit")
        for callback in callbacks:
            callback()
        self.assertFalse(SearchDocument.objects.filter(pk=self.complaints.pk).exists())


class UnpublishedAncestorTests(Surfaces, SearchCorpusTestCase):
    """Wagtail's unpublish of a region page leaves its case studies live; here they are no longer public."""

    claimed, claimed_count = 42, 2

    def setUp(self):
        self.region_of = {self.complaints.pk: "32.11", self.licensing.pk: "32.12"}
        self.neighbour = self.licensing

    def test_unpublishing_the_region_page_and_publishing_it_again(self):
        self.reload(self.page_a).unpublish()
        self.assertTrue(self.reload(self.complaints).live, "Wagtail leaves the children live")
        self.assertEqual(self.surfaces(self.complaints), set())
        self.assertEqual(set(SearchDocument.objects.values_list("region_code", flat=True)), {"32.12"})
        self.reload(self.page_a).save_revision().publish()
        self.assertEqual(self.surfaces(self.complaints), EVERYWHERE)
        self.assertEqual(SearchDocument.objects.count(), 6)

    def test_unpublishing_the_regions_index(self):
        self.neighbour = self.complaints
        self.reload(self.regions_index).unpublish()  # a fresh instance: unpublish() saves its numchild too
        self.assertFalse(SearchDocument.objects.exists())
        self.assertEqual(self.surfaces(self.licensing), set())
        self.reload(self.regions_index).save_revision().publish()
        self.assertEqual(SearchDocument.objects.count(), 6)
        self.assertEqual(self.surfaces(self.licensing), EVERYWHERE)

    def test_a_case_study_published_under_an_unpublished_region_page_waits_for_it(self):
        self.reload(self.page_a).unpublish()
        page = make_case_study(self.page_a, title="Kanal Aduan Desa", indicators=(42,))
        self.assertFalse(SearchDocument.objects.filter(pk=page.pk).exists())
        self.reload(self.page_a).save_revision().publish()
        self.assertTrue(SearchDocument.objects.filter(pk=page.pk).exists())

    def test_moving_a_case_study_under_an_unpublished_region_page(self):
        self.reload(self.page_b).unpublish()
        self.complaints.move(self.page_b, pos="last-child")
        self.assertFalse(SearchDocument.objects.filter(pk=self.complaints.pk).exists())


class RenameTests(SearchCorpusTestCase):
    """Region names, region page slugs and the regions index's slug reach the documents under them."""

    def setUp(self):
        self.client.force_login(self.moderator)

    def texts(self, region_code="32.11"):
        return list(SearchText.objects.filter(document__region_code=region_code))

    def test_renaming_the_region_snippet(self):
        response = self.client.post(
            f"/admin/snippets/casestudies/region/edit/{self.region_a.pk}/",
            {"name": "Kabupaten Sumedang Larang", "type": "kabupaten", "province": self.region_a.province_id},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual({t.region_name for t in self.texts()}, {"Kabupaten Sumedang Larang"})
        found = self.client.get(API, {"q": "larang"}).json()
        self.assertEqual({r["id"] for r in found["results"]}, {self.mpp.pk, self.complaints.pk, self.signature.pk})
        self.assertEqual({r["region_name"] for r in found["results"]}, {"Kabupaten Sumedang Larang"})

    def test_renaming_a_province_renames_it_in_its_regions_documents(self):
        province = self.region_a.province
        province.name = "Jawa Barat Raya"
        province.save()
        self.assertEqual(set(SearchText.objects.values_list("province_name", flat=True)), {"Jawa Barat Raya"})

    def test_a_reference_data_reload_renames_too(self):
        from casestudies.reference_data import load_regions
        from casestudies.signals import regions_changed

        Region.objects.filter(pk=self.region_b.pk).update(name="Kabupaten Dermayu")  # as a bulk_update would
        regions_changed.send(sender=Region, region_ids=[self.region_b.pk])
        self.assertEqual({t.region_name for t in self.texts("32.12")}, {"Kabupaten Dermayu"})
        load_regions()  # the shipped list: its names come back, in bulk
        self.assertEqual({t.region_name for t in self.texts("32.12")}, {"Kabupaten Indramayu"})

    def test_unrelated_region_edits_reindex_nothing(self):
        from search.indexing import index_regions

        Region.objects.filter(pk=self.region_a.pk).update(is_idsl_pilot=True)
        with self.assertNumQueries(1):  # the one stale-documents read; nothing is written
            self.assertEqual(index_regions([self.region_a.pk]), 0)

    def test_publishing_the_region_page_with_a_new_slug_and_title(self):
        page = self.reload(self.page_a).get_latest_revision_as_object()
        page.title, page.slug = "Sumedang", "sumedang"
        page.save_revision().publish()
        urls = {t.url for t in self.texts()}
        self.assertEqual(len(urls), 3)
        self.assertTrue(all(url.startswith("/daerah/sumedang/") for url in urls), urls)
        self.assertEqual(self.client.get(next(iter(urls))).status_code, 200)

    def test_changing_the_regions_index_slug(self):
        page = self.reload(self.regions_index).get_latest_revision_as_object()
        page.slug = "wilayah"
        with self.captureOnCommitCallbacks(execute=True):  # Wagtail sends page_slug_changed on commit
            page.save_revision().publish()
        urls = set(SearchText.objects.values_list("url", flat=True))
        self.assertEqual(len(urls), 6)
        self.assertTrue(all(url.startswith("/wilayah/") for url in urls), urls)
        feed = ElementTree.fromstring(self.client.get("/feeds/praktik-baik/").content)
        self.assertTrue(all("/wilayah/" in item.findtext("link") for item in feed.iter("item")))


class VerifiedFlagTests(SearchCorpusTestCase):
    """Score writes that flip a claim's stored "verified" flag re-index that case study (and only those)."""

    Y1, Y2 = 2030, 2032

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        indicator = CaseStudyIndicator.objects.get(page=cls.complaints).indicator
        for year, level in ((cls.Y1, 1), (cls.Y2, 3)):
            IndicatorScore.objects.create(
                region=cls.region_a, indicator=indicator, year=year, level=level, source="uji"
            )
        page = cls.complaints.get_latest_revision_as_object()
        page.year_start, page.year_end = cls.Y1, cls.Y2
        page.save_revision().publish()
        # Levels claimed outside the editor (as an import would), so the stored flag is not re-checked yet.
        CaseStudyIndicator.objects.filter(page=cls.complaints).update(level_before=1, level_after=3)

    def verified(self) -> set[int]:
        found = self.client.get(API, {"verified": "1"}).json()["results"]
        return {r["id"] for r in found}

    def test_claims_verify_reports_the_pages_whose_flag_flipped(self):
        from casestudies.scores.claims import claims_verify

        self.assertEqual(claims_verify(region_ids=[self.region_a.pk]), {self.complaints.pk})
        self.assertEqual(claims_verify(region_ids=[self.region_a.pk]), set(), "nothing flips twice")

    def test_a_bulk_score_write(self):
        self.assertEqual(self.verified(), set())
        scores_changed(Framework.current(), region_ids=[self.region_a.pk])
        self.assertEqual(self.verified(), {self.complaints.pk})
        self.assertEqual(SearchDocument.objects.get(pk=self.complaints.pk).verified_gain, 2)
        found = self.client.get(API, {"q": "pengaduan warga"}).json()["results"]
        self.assertEqual(found[0]["indicators"][0]["verified"], True)

    def test_single_score_writes(self):
        score = IndicatorScore.objects.get(region=self.region_a, indicator__number=42, year=self.Y2)
        score.level = 4
        score.save()  # the claim (1 → 3) is re-checked: the scores rose
        self.assertEqual(self.verified(), {self.complaints.pk})
        score.level = 1
        score.save()
        self.assertEqual(self.verified(), set(), "the scores no longer moved as claimed")

    def test_only_the_flipped_case_studies_are_reindexed(self):
        from search import indexing

        with mock.patch.object(indexing, "index_pages", wraps=indexing.index_pages) as index_pages:
            scores_changed(Framework.current(), region_ids=None)  # every claim re-checked
        index_pages.assert_called_once_with([self.complaints.pk])

    def test_a_publish_indexes_the_page_once_with_its_claims_already_checked(self):
        from search import indexing

        page = self.reload(self.complaints).get_latest_revision_as_object()
        with mock.patch.object(indexing, "index_pages", wraps=indexing.index_pages) as index_pages:
            page.save_revision().publish()  # the claim (1 → 3) is checked against the scores (1 → 3)
        index_pages.assert_called_once_with([self.complaints.pk])
        self.assertEqual(self.verified(), {self.complaints.pk})
        self.assertTrue(SearchDocument.objects.get(pk=self.complaints.pk).indicator_rows.get(indicator=42).verified)

    @override_settings(SEARCH_INDEX_IN_BACKGROUND=True)
    def test_in_production_the_reindex_is_queued_until_the_write_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            scores_changed(Framework.current(), region_ids=[self.region_a.pk])
        self.assertEqual(self.verified(), set())
        for callback in callbacks:
            callback()
        self.assertEqual(self.verified(), {self.complaints.pk})
