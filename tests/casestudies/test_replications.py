"""'Add your region as a replicator': officers record that their region applies another region's case study."""

from django.core.exceptions import PermissionDenied, ValidationError

from wagtail.models import PageLogEntry

from casestudies.models import Framework, Indicator, IndicatorScore, Origin, Replication
from casestudies.peers import evidence_for
from casestudies.replication_outcomes import LevelChange, change_since, is_successful, outcomes_of
from casestudies.replications import LOG_ADD, LOG_REMOVE, LOG_UPDATE, replication_add, replication_update
from casestudies.scores.targets import Target
from tests.utils import PASSWORD, SiteTestCase, make_case_study


class ReplicationTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Mal Pelayanan Publik Digital", indicators=(42,))
        cls.url = f"/admin/case-studies/{cls.case_study.pk}/replicate/"

    def test_the_service_records_a_region_once_never_its_own_and_logs_it(self):
        replication = replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, note="<b>Sejak</b> 2024"
        )
        self.assertEqual(replication.note, "Sejak 2024", "plain text only")
        entry = PageLogEntry.objects.get(page=self.case_study, action=LOG_ADD)
        self.assertEqual((entry.user, entry.data), (self.officer_b, {"region": "32.12", "status": "in_progress"}))
        with self.assertRaisesMessage(ValidationError, "sudah tercatat"):
            replication_add(case_study=self.case_study, region=self.region_b, user=self.officer_b)
        with self.assertRaisesMessage(ValidationError, "daerah Anda sendiri"):
            replication_add(case_study=self.case_study, region=self.region_a, user=self.officer_a)
        draft = make_case_study(self.page_a, title="Belum terbit", live=False)
        with self.assertRaisesMessage(ValidationError, "belum terbit"):
            replication_add(case_study=draft, region=self.region_b, user=self.officer_b)
        self.assertEqual(Replication.objects.count(), 1)

    def test_an_officer_confirms_and_the_case_study_lists_the_region(self):
        self.client.login(username="officer_b", password=PASSWORD)
        page = self.client.get(self.case_study.url).content.decode()
        self.assertIn(f'href="{self.url}"', page, "another region's officer is offered the action")
        form = self.client.get(self.url)
        self.assertContains(form, "Mal Pelayanan Publik Digital")
        self.assertContains(form, "Kabupaten Indramayu akan tercantum")
        response = self.client.post(
            self.url, {"start_year": "2024", "status": "in_progress", "note": "Diterapkan di 3 kecamatan sejak 2024."}
        )
        self.assertRedirects(response, self.case_study.url, fetch_redirect_response=False)
        page = self.client.get(self.case_study.url).content.decode()
        replicators = page.split('id="replikasi"')[1].split("</section>")[0]
        self.assertIn("Kabupaten Indramayu", replicators)
        self.assertIn("Diterapkan di 3 kecamatan sejak 2024.", replicators)
        self.assertIn("sejak 2024 · berjalan", replicators)
        self.assertNotIn("Daerah saya juga menerapkan praktik ini", page, "offered only once")
        self.assertIn("Perbarui status replikasi daerah saya", page, "then its status can be updated")

    def test_bad_requests_are_refused_with_a_reason_and_write_nothing(self):
        self.client.login(username="officer_a", password=PASSWORD)
        response = self.client.post(self.url, {"start_year": "2024", "status": "done", "note": ""})
        self.assertContains(response, "Ini praktik baik daerah Anda sendiri", status_code=400)
        self.client.login(username="officer_b", password=PASSWORD)
        valid = {"start_year": "2024", "status": "in_progress"}
        self.assertContains(self.client.post(self.url, {**valid, "note": "x" * 501}), "500", status_code=400)
        for bad in ({"start_year": "1999"}, {"start_year": "²⁰²⁴"}, {"start_year": ""}, {"status": "jalan"}):
            with self.subTest(bad=bad):
                self.assertEqual(self.client.post(self.url, {**valid, **bad}).status_code, 400)
        other_draft = make_case_study(self.page_a, title="Draf rahasia Sumedang", live=False)
        self.assertNotContains(self.client.get(f"{self.url}?draft={other_draft.pk}"), "Draf rahasia Sumedang")
        own_draft = make_case_study(self.page_b, title="Draf Indramayu", live=False)
        self.assertContains(self.client.get(f"{self.url}?draft={own_draft.pk}"), "Draf Anda “Draf Indramayu”")
        self.client.login(username="moderator", password=PASSWORD)
        # A moderator speaks for no region: Wagtail's admin answers a refusal with a redirect home and a message.
        self.assertRedirects(self.client.get(self.url), "/admin/", fetch_redirect_response=False)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302, "to the admin login")
        self.assertFalse(Replication.objects.exists())

    def test_the_region_or_a_moderator_can_take_it_back(self):
        replication = replication_add(case_study=self.case_study, region=self.region_b, user=self.officer_b)
        remove = f"/admin/replications/{replication.pk}/remove/"
        self.client.login(username="officer_a", password=PASSWORD)
        self.assertRedirects(self.client.post(remove), "/admin/", fetch_redirect_response=False)  # refused
        self.assertTrue(Replication.objects.exists(), "another region's officer may not")
        self.client.login(username="moderator", password=PASSWORD)
        self.assertRedirects(self.client.post(remove), self.case_study.url, fetch_redirect_response=False)
        self.assertFalse(Replication.objects.exists())
        self.assertTrue(PageLogEntry.objects.filter(page=self.case_study, action=LOG_REMOVE).exists())


class ReplicationOutcomeTests(SiteTestCase):
    """Issue 14, part 4: a replication's start year and status, the replicating region's change on the case study's
    indicators afterwards, and replications counted as evidence in the peer link."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Satu pintu pengaduan", indicators=(42, 43))
        cls.url = f"/admin/case-studies/{cls.case_study.pk}/replicate/"
        framework = Framework.current()
        levels = {(42, 2021): 2, (42, 2023): 3, (42, 2024): 4, (43, 2022): 3, (43, 2024): 3}
        IndicatorScore.objects.bulk_create(
            IndicatorScore(
                region=cls.region_b,
                indicator=Indicator.objects.get(framework=framework, number=number),
                year=year,
                level=level,
                source="uji",
            )
            for (number, year), level in levels.items()
        )

    def test_the_change_since_the_start_year(self):
        series = {2021: 2, 2023: 3, 2024: 4}
        self.assertEqual(change_since(series, 2022, 42), LevelChange(42, 2, 4, 2021, 2024), "latest after")
        self.assertEqual(change_since(series, 2023, 42), LevelChange(42, 3, 4, 2023, 2024), "the start year is before")
        self.assertIsNone(change_since(series, 2024, 42), "no evaluation after the start yet")
        self.assertIsNone(change_since(series, 2020, 42), "no evaluation up to the start")

    def test_the_case_study_shows_the_replicating_regions_change(self):
        replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, start_year=2022, status="done"
        )
        page = self.client.get(self.case_study.url).content.decode()
        replicators = page.split('id="replikasi"')[1].split("</section>")[0]
        self.assertIn("sejak 2022 · selesai", replicators)
        self.assertIn("I-42 2→4", replicators)
        self.assertIn("I-43 3→3", replicators)
        self.assertEqual(replicators.count("chip-indicator"), 1, "only the rise is marked")

    def test_an_officer_updates_the_status_and_it_is_logged(self):
        replication = replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, start_year=2022, status="planned"
        )
        self.client.login(username="officer_b", password=PASSWORD)
        form = self.client.get(self.url)
        self.assertContains(form, "Simpan status replikasi")
        self.assertContains(form, 'value="2022"')
        response = self.client.post(self.url, {"start_year": "2023", "status": "stopped", "note": "Anggaran habis."})
        self.assertRedirects(response, self.case_study.url, fetch_redirect_response=False)
        replication.refresh_from_db()
        self.assertEqual(
            (replication.start_year, replication.status, replication.note), (2023, "stopped", "Anggaran habis.")
        )
        entry = PageLogEntry.objects.get(page=self.case_study, action=LOG_UPDATE)
        self.assertEqual(entry.data, {"region": "32.12", "status": "stopped", "start_year": 2023})
        self.assertEqual(Replication.objects.count(), 1)
        with self.assertRaises(PermissionDenied):
            replication_update(
                replication=replication, user=self.officer_a, user_region=self.region_a,
                start_year=2023, status="done", note="",
            )  # fmt: skip

    def test_successful_means_under_way_or_done_and_a_rise(self):
        replication = replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, start_year=2022, status="done"
        )
        changes = outcomes_of([replication])[replication.pk]
        self.assertTrue(is_successful(replication, changes))
        replication.status = "stopped"
        self.assertFalse(is_successful(replication, changes))
        replication.status, replication.start_year = "in_progress", 2023
        self.assertTrue(is_successful(replication, outcomes_of([replication])[replication.pk]))  # 42: 3→4
        replication.start_year = 2024
        self.assertEqual(outcomes_of([replication])[replication.pk], [], "nothing after 2024 yet")
        IndicatorScore.objects.create(
            region=self.region_b, indicator=Indicator.objects.get(framework=Framework.current(), number=42),
            year=2025, level=5, source="uji", origin=Origin.SELF_ASSESSED,
        )  # fmt: skip
        self.assertEqual(outcomes_of([replication])[replication.pk], [], "a self-assessment proves no outcome")

    def test_the_peer_link_counts_replications_under_way_or_done(self):
        target = Target("indicator", 42, Framework.current())
        evidence = evidence_for(target)["32.11"][0]
        self.assertEqual(evidence.replications, 0)
        replication = replication_add(
            case_study=self.case_study, region=self.region_b, user=self.officer_b, start_year=2022, status="planned"
        )
        self.assertEqual(evidence_for(target)["32.11"][0].replications, 0, "planned is not replicating yet")
        replication_update(
            replication=replication, user=self.officer_b, user_region=self.region_b,
            start_year=2022, status="in_progress", note="",
        )  # fmt: skip
        self.assertEqual(evidence_for(target)["32.11"][0].replications, 1)
