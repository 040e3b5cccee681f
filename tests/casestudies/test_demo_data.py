"""`make demo` content: enough, varied, marked as demo, loaded idempotently, with work in the moderation queue."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from wagtail.models import Page, WorkflowState
from wagtail.rich_text import RichText

from casestudies.demo_data import PENDING, load_demo
from casestudies.models import (
    CaseStudyIndicator,
    CaseStudyPage,
    FeaturedCollection,
    IndicatorScore,
    Question,
    RegionPage,
)

RESERVED_DOMAIN = re.compile(r"@([a-z0-9-]+\.)*(example|test|invalid|example\.(com|net|org))$", re.I)


class DemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = load_demo()
        cls.second = load_demo()

    def test_enough_varied_case_studies(self):
        live = CaseStudyPage.objects.live()
        self.assertGreaterEqual(live.count(), 80)
        regions = {p.get_parent().pk for p in live}
        self.assertGreaterEqual(len(regions), 25)
        claims = CaseStudyIndicator.objects.filter(page__live=True)
        self.assertEqual(claims.values("indicator__aspect__number").distinct().count(), 8)
        self.assertGreaterEqual(claims.values("indicator__number").distinct().count(), 30)
        self.assertTrue(claims.exclude(level_before=None).exists(), "some level claims")
        self.assertEqual(set(live.values_list("status", flat=True)), {"active", "scaled", "stopped"})

    def test_every_demo_page_is_marked_and_the_site_says_so(self):
        self.assertFalse(CaseStudyPage.objects.filter(is_demo=False).exists())
        response = self.client.get("/")
        self.assertContains(response, "Data contoh")

    def test_no_demo_address_names_a_real_mailbox(self):
        """Questions and notifications are e-mailed: demo contacts and accounts use reserved domains only
        (RFC 2606 / RFC 6761: .example, .test, .invalid, example.com/.net/.org)."""
        addresses = set(CaseStudyPage.objects.values_list("contact_email", flat=True))
        addresses |= set(get_user_model().objects.values_list("email", flat=True))
        addresses.discard("")
        self.assertGreaterEqual(len(addresses), 80, "the demo has contacts to check")
        real = sorted(a for a in addresses if not RESERVED_DOMAIN.search(a))
        self.assertEqual(real, [])

    def test_second_load_changes_nothing(self):
        for report in self.second["imports"].values():
            self.assertEqual((report.created, report.updated, report.published), (0, 0, 0))
        self.assertEqual(get_user_model().objects.filter(username="moderator").count(), 1)
        self.assertEqual(RegionPage.objects.filter(region__code="32.11").count(), 1)
        self.assertEqual(FeaturedCollection.objects.count(), 3)

    def test_a_published_question_and_one_waiting_for_sumedang(self):
        self.assertEqual(Question.objects.count(), 2, "loaded once")
        published = Question.objects.get(published_at__isnull=False)
        self.assertEqual((published.asking_region.code, published.region.code), ("32.12", "32.11"))
        page = self.client.get(published.case_study.url).content.decode().split('id="tanya-jawab"')[1]
        self.assertIn("Kabupaten Indramayu bertanya", page)
        self.assertIn("layanan pemulihan sertifikat", page)
        self.assertTrue(Question.objects.filter(region__code="32.11", answered_at__isnull=True).exists())

    def test_pending_pages_wait_for_a_moderator(self):
        pending = CaseStudyPage.objects.filter(external_id__in=PENDING)
        self.assertEqual(pending.count(), len(PENDING))
        for page in pending:
            self.assertFalse(page.live)
            self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_demo_accounts_can_sign_in_with_the_printed_roles(self):
        roles = dict(self.first["accounts"])
        self.assertEqual(roles["moderator"], "moderator")
        self.assertIn("Kabupaten Sumedang", roles["petugas-sumedang"])
        self.assertTrue(self.client.login(username="petugas-sumedang", password="livinglab-demo"))

    def test_home_shows_featured_collections_with_live_pages_only(self):
        collection = FeaturedCollection.objects.first()
        hidden = collection.items.first().page
        hidden.unpublish()
        response = self.client.get("/")
        self.assertContains(response, collection.title)
        self.assertNotContains(response, f">{hidden.title}<")


class DemoScoresTests(TestCase):
    """The synthetic levels tell one story with the official figures and the national index."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_every_kabupaten_kota_has_six_years_of_levels_marked_demo(self):
        from casestudies.models import IndicatorScore, Region

        local = Region.objects.exclude(type="provinsi").count()
        self.assertEqual(IndicatorScore.objects.filter(is_demo=True).count(), local * 47 * 6)
        self.assertFalse(IndicatorScore.objects.filter(is_demo=False).exists())

    def test_computed_domains_match_the_official_ones_within_the_level_steps(self):
        from decimal import Decimal

        from casestudies.models import AggregateScore

        official = {
            (a.region_id, a.year, a.number): a.value
            for a in AggregateScore.objects.filter(
                origin="official", scope="domain", region__type__in=["kabupaten", "kota"]
            )
        }
        differences = [
            abs(a.value - official[(a.region_id, a.year, a.number)])
            for a in AggregateScore.objects.filter(origin="computed", scope="domain", year__in=[2023, 2024])
            if (a.region_id, a.year, a.number) in official
        ]
        self.assertGreater(len(differences), 3500)
        close = sum(1 for d in differences if d <= Decimal("0.05"))
        self.assertGreaterEqual(close / len(differences), 0.99, "levels step by 0.06–0.1 of a domain")

    def test_national_means_follow_the_published_index(self):
        from django.db.models import Avg

        from casestudies.models import AggregateScore

        for year, published in ((2019, 2.18), (2020, 2.26), (2021, 2.24), (2022, 2.34)):
            mean = AggregateScore.objects.filter(origin="computed", scope="index", year=year).aggregate(m=Avg("value"))[
                "m"
            ]
            self.assertAlmostEqual(float(mean), published, delta=0.01, msg=str(year))


class DemoLoaderKeepsTheSiteTests(TestCase):
    """Run again in development, the loader adds what is missing and reverts nothing edited on the site."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_an_edited_title_and_body_survive_a_second_load(self):
        page = CaseStudyPage.objects.live().first()
        page.title = "Judul yang diperbaiki moderator"
        page.body = [("paragraph", RichText("<p>Blok baru dari moderator.</p>"))]
        page.save_revision().publish()
        levels = IndicatorScore.objects.filter(is_demo=True).count()
        first_level = IndicatorScore.objects.filter(is_demo=True).order_by("pk").first()

        result = load_demo()

        page.refresh_from_db()
        self.assertEqual(page.title, "Judul yang diperbaiki moderator")
        self.assertIn("Blok baru dari moderator.", str(page.body[0].value))
        self.assertFalse(page.has_unpublished_changes)
        self.assertEqual(sum(r.kept for r in result["imports"].values()), CaseStudyPage.objects.count())
        self.assertEqual(result["score_rows"], 0, "demo levels already there are kept, not regenerated")
        self.assertEqual(IndicatorScore.objects.filter(is_demo=True).count(), levels)
        self.assertTrue(IndicatorScore.objects.filter(pk=first_level.pk).exists())


class DemoRefusedInProductionTests(TestCase):
    @override_settings(LIVINGLAB_DEMO_DATA_ALLOWED=False)
    def test_the_command_refuses_and_writes_nothing(self):
        users, pages = get_user_model().objects.count(), Page.objects.count()
        with self.assertRaisesMessage(CommandError, "refuses to run under production settings"):
            call_command("load_demo_data", stdout=StringIO(), stderr=StringIO())
        self.assertEqual(get_user_model().objects.count(), users)
        self.assertEqual(Page.objects.count(), pages)
        self.assertFalse(get_user_model().objects.filter(username="admin").exists())
        self.assertFalse(IndicatorScore.objects.filter(is_demo=True).exists())
