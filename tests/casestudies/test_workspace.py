"""The admin home's "Ruang kerja daerah" (issue 13, part 2): an officer's region at a glance; a moderator's tasks."""

from casestudies.models import ContentReport, Indicator, IndicatorScore, Region
from casestudies.replications import replication_add
from casestudies.reports import report_create
from casestudies.scores.services import scores_recalculate
from tests.utils import PASSWORD, SiteTestCase, make_case_study


def levels(region, year, level_of):
    IndicatorScore.objects.bulk_create(
        IndicatorScore(region=region, indicator=i, year=year, level=level_of(i), source="uji", is_demo=True)
        for i in Indicator.objects.filter(framework__is_current=True)
    )


class WorkspaceTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        framework = Indicator.objects.first().framework
        # Sumedang (A): weakest on aspect 8's indicators. Indramayu (B) rose there from 2023 to 2024.
        weak = set(Indicator.objects.filter(aspect__number=8).values_list("number", flat=True))
        levels(cls.region_a, 2023, lambda i: 1 if i.number in weak else 4)
        levels(cls.region_a, 2024, lambda i: 1 if i.number in weak else 4)
        levels(cls.region_b, 2023, lambda i: 1 if i.number in weak else 3)
        levels(cls.region_b, 2024, lambda i: 4 if i.number in weak else 3)
        scores_recalculate(framework=framework, region_ids=[cls.region_a.pk, cls.region_b.pk])
        cls.draft = make_case_study(cls.page_a, title="Draf layanan aduan terpadu", live=False)
        cls.published = make_case_study(cls.page_a, title="Satu data Sumedang")
        report_create(page=cls.published, reason=ContentReport.Reason.values[0], message="Angka biaya keliru")
        replication_add(
            case_study=cls.published, region=Region.objects.get(code="32.05"), user=cls.moderator, note="sejak 2024"
        )

    def admin_home(self, username):
        self.client.login(username=username, password=PASSWORD)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_an_officer_sees_their_regions_index_weak_aspects_with_peers_and_next_steps(self):
        html = self.admin_home("officer_a")
        self.assertIn("Ruang kerja daerah", html)
        self.assertIn("Kabupaten Sumedang", html)
        self.assertIn("Indeks SPBE 2024: <strong>4,51</strong> (Memuaskan)", html, "the official 2024 index")
        self.assertIn("data resmi KemenPANRB", html)
        weak = html.split('id="workspace-weak-aspects"', 1)[1].split("</ul>", 1)[0]
        self.assertIn("Kabupaten Indramayu", weak, "the peer that rose on the weakest aspect")
        self.assertIn("/daerah/skor/32-12/", weak, "linked to its dashboard")
        self.assertIn('id="workspace-next-steps"', html)
        self.assertIn("/daerah/skor/32-11/?indikator=", html)

    def test_an_officer_sees_their_drafts_with_their_state_reports_and_replications(self):
        html = self.admin_home("officer_a")
        drafts = html.split('id="workspace-drafts"', 1)[1].split("</table>", 1)[0]
        self.assertIn("Draf layanan aduan terpadu", drafts)
        self.assertIn("draf, belum diajukan", drafts)
        self.assertNotIn("Satu data Sumedang", drafts, "published without pending changes: not a draft")
        reports = html.split('id="workspace-reports"', 1)[1].split("</ul>", 1)[0]
        self.assertIn("Satu data Sumedang", reports)
        self.assertIn("Kabupaten Garut: Satu data Sumedang", html)

        workflow = self.draft.get_workflow()
        workflow.start(self.draft, self.officer_a)
        self.assertIn("menunggu tinjauan moderator", self.admin_home("officer_a"))

    def test_another_regions_officer_sees_none_of_it(self):
        html = self.admin_home("officer_b")
        self.assertIn("Kabupaten Indramayu", html)
        self.assertNotIn("Draf layanan aduan terpadu", html)
        self.assertNotIn('id="workspace-reports"', html)
        self.assertNotIn("Tugas moderator", html)

    def test_a_moderator_sees_reports_submissions_and_regions_with_nothing_published(self):
        html = self.admin_home("moderator")
        self.assertNotIn('id="region-workspace"', html)
        self.assertIn("Tugas moderator", html)
        self.assertIn("1 laporan pembaca terbuka", html)
        silent = html.split('id="regions-without-case-studies"', 1)[1].split("</p>", 1)[0]
        self.assertIn("Kabupaten Indramayu", silent)
        self.assertNotIn("Kabupaten Sumedang", silent)
