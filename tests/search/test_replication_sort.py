"""The "replications" sort (issue 14, part 4): case studies with the most successful replications first — a region
that replicates it under way or done and rose on its indicators since the start — kept fresh as replications and
scores change."""

from casestudies.models import Framework, Indicator, IndicatorScore
from casestudies.replications import replication_add, replication_remove, replication_update
from casestudies.scores.services import scores_changed
from tests.search.scenario import SearchCorpusTestCase

SEARCH = "/api/v1/search/"


class ReplicationSortTests(SearchCorpusTestCase):
    def setUp(self):
        self.framework = Framework.current()

    def levels(self, region, number, levels: dict[int, int]):
        indicator = Indicator.objects.get(framework=self.framework, number=number)
        for year, level in levels.items():
            IndicatorScore.objects.update_or_create(
                region=region, indicator=indicator, year=year, defaults={"level": level, "source": "uji"}
            )
        scores_changed(self.framework, region_ids=[region.pk])

    def ranked(self, **params) -> list[tuple[str, int]]:
        response = self.client.get(SEARCH, {"sort": "replications", **params})
        self.assertEqual(response.status_code, 200, response.content[:300])
        return [(r["title"], r["successful_replications"]) for r in response.json()["results"]]

    def test_successful_replications_come_first_and_stay_fresh(self):
        replication = replication_add(
            case_study=self.complaints, region=self.region_b, user=self.officer_b, start_year=2022, status="done"
        )
        self.assertEqual(self.ranked()[0][1], 0, "no scores after the start yet: nothing successful")
        self.levels(self.region_b, 42, {2021: 2, 2023: 3})  # the scores arrive: Indramayu rose on I-42
        self.assertEqual(self.ranked()[0], ("Sistem Pengaduan Warga", 1))
        self.assertEqual({n for _t, n in self.ranked()[1:]}, {0})
        replication_update(
            replication=replication, user=self.officer_b, user_region=self.region_b,
            start_year=2022, status="stopped", note="",
        )  # fmt: skip
        self.assertEqual(dict(self.ranked())["Sistem Pengaduan Warga"], 0, "a stopped replication is no success")
        replication_update(
            replication=replication, user=self.officer_b, user_region=self.region_b,
            start_year=2022, status="in_progress", note="",
        )  # fmt: skip
        self.assertEqual(self.ranked()[0], ("Sistem Pengaduan Warga", 1))
        self.levels(self.region_b, 42, {2023: 2})  # a corrected evaluation: no rise after all
        self.assertEqual(dict(self.ranked())["Sistem Pengaduan Warga"], 0)
        self.levels(self.region_b, 42, {2023: 4})
        replication_remove(replication=replication, user=self.officer_b, user_region=self.region_b)
        self.assertEqual(dict(self.ranked())["Sistem Pengaduan Warga"], 0, "removed")

    def test_the_search_page_offers_the_sort_and_shows_the_count(self):
        replication_add(
            case_study=self.complaints, region=self.region_b, user=self.officer_b, start_year=2022, status="done"
        )
        self.levels(self.region_b, 42, {2021: 2, 2023: 3})
        response = self.client.get("/cari/", {"sort": "replications"})
        self.assertContains(response, '<option value="replications" selected>')
        body = response.content.decode()
        self.assertIn("1 daerah berhasil mereplikasi", body)
        self.assertLess(body.index("Sistem Pengaduan Warga"), body.index("Mal Pelayanan Publik Digital"))
