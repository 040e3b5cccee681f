"""Absolute links are on the public address (WAGTAILADMIN_BASE_URL), never on the request's host or the Site
record's default `http://localhost`: sitemap, feeds, CSV and JSON exports, OpenGraph, moderation e-mails. The
sitemap lists the routable pages' routes too (region score dashboards, SPBE domain/aspect/indicator pages and learning-path steps), and
only public content."""

import csv
import io
import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from wagtail.models import PageViewRestriction, Site, TaskState

from defusedxml import ElementTree

from casestudies.models import (
    AggregateScore,
    Aspect,
    CaseStudyPage,
    Domain,
    Framework,
    Indicator,
    IndicatorExplorerPage,
    Scope,
)
from cms.checks import default_site_on_public_address
from cms.models import StandardPage
from tests.utils import PASSWORD, SiteTestCase, add_url, make_case_study

PUBLIC = "https://livinglab.example.go.id"
INTERNAL_HOST = "10.0.0.11:8000"  # what a proxy might forward; the test client's default is "testserver"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
URL = re.compile(r"https?://[^\s\"'<>]+")
HREF = re.compile(r'href="([^"]+)"')


@override_settings(WAGTAILADMIN_BASE_URL=PUBLIC, WAGTAILAPI_BASE_URL=PUBLIC)
class PublicAddressTestCase(SiteTestCase):
    """The Site record keeps the fresh database's `localhost:80`; requests come with another host."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Sistem Pengaduan Warga", indicators=(42,))
        cls.draft = make_case_study(cls.page_a, title="Draf Rahasia", indicators=(42,), live=False)

    def get(self, url, **headers):
        response = self.client.get(url, headers={"host": INTERNAL_HOST, **headers})
        self.assertEqual(response.status_code, 200, url)
        return response

    def assertAllPublic(self, urls):
        urls = list(urls)
        self.assertTrue(urls)
        for url in urls:
            self.assertTrue(url.startswith(PUBLIC + "/"), url)


class SitemapTests(PublicAddressTestCase):
    def locations(self, **headers) -> list[str]:
        root = ElementTree.fromstring(self.get("/sitemap.xml", **headers).content)
        return [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]

    def test_every_location_is_on_the_public_address(self):
        # Even with the Site record on another address (load_reference_data sets it; an operator may change it).
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
        locations = self.locations()
        self.assertAllPublic(locations)
        self.assertEqual(len(locations), len(set(locations)), "no location twice")

    def test_pages_in_the_default_language_whatever_the_reader_prefers(self):
        locations = self.locations(accept_language="en")
        self.assertIn(PUBLIC + "/", locations)
        self.assertIn(PUBLIC + "/daerah/", locations)
        self.assertIn(PUBLIC + self.page_a.url, locations)
        self.assertIn(PUBLIC + self.case_study.url, locations)
        self.assertFalse([loc for loc in locations if loc.startswith(PUBLIC + "/en/")])

    def test_region_score_dashboards_of_every_region_with_scores(self):
        framework = Framework.current()
        expected = {
            f"{PUBLIC}/daerah/skor/{code.replace('.', '-')}/"
            for code in AggregateScore.objects.filter(
                framework=framework, scope__in=[Scope.INDEX, Scope.ASPECT]
            ).values_list("region__code", flat=True)
        }
        dashboards = {loc for loc in self.locations() if "/daerah/skor/" in loc}
        self.assertEqual(dashboards, expected)
        self.assertGreater(len(dashboards), 500, "the official 2023–2024 results of every regional government")
        self.assertIn(f"{PUBLIC}/daerah/skor/32-11/", dashboards)
        self.assertEqual(self.get("/daerah/skor/32-11/").status_code, 200)

    def test_the_spbe_tree_domain_aspect_and_indicator_pages(self):
        framework = Framework.current()
        locations = set(self.locations())
        self.assertIn(f"{PUBLIC}/indikator/", locations)
        routes = {
            "indikator/domain": Domain.objects.filter(framework=framework).count(),
            "indikator/aspek": Aspect.objects.filter(framework=framework).count(),
            "indikator": Indicator.objects.filter(framework=framework).count(),
        }
        for prefix, count in routes.items():
            found = {loc for loc in locations if re.fullmatch(rf"{PUBLIC}/{prefix}/\d+/", loc)}
            self.assertEqual(len(found), count, prefix)
        self.assertEqual((routes["indikator/domain"], routes["indikator/aspek"], routes["indikator"]), (4, 8, 47))
        self.assertIn(f"{PUBLIC}/indikator/42/", locations)
        self.assertEqual(self.get("/indikator/42/").status_code, 200)
        steps = {loc for loc in locations if re.fullmatch(rf"{PUBLIC}/indikator/\d+/langkah/\d-\d/", loc)}
        self.assertEqual(len(steps), 47 * 4, "the four learning-path steps of every indicator")
        self.assertIn(f"{PUBLIC}/indikator/42/langkah/4-5/", steps)
        self.assertEqual(self.get("/indikator/42/langkah/4-5/").status_code, 200)

    def test_only_public_content(self):
        private = self.home.add_child(instance=StandardPage(title="Catatan internal", slug="internal"))
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(page=self.page_b, restriction_type=PageViewRestriction.LOGIN)
        hidden = make_case_study(self.page_b, title="Di balik login", indicators=(43,))
        locations = self.locations()
        self.assertNotIn(PUBLIC + self.draft.url, locations)
        self.assertNotIn(PUBLIC + private.url, locations)
        self.assertNotIn(PUBLIC + self.page_b.url, locations)
        self.assertNotIn(PUBLIC + hidden.url, locations)
        self.assertIn(PUBLIC + self.page_a.url, locations)

    def test_a_private_explorer_takes_its_routes_along(self):
        explorer = IndicatorExplorerPage.objects.get()
        PageViewRestriction.objects.create(page=explorer, restriction_type=PageViewRestriction.LOGIN)
        self.assertFalse([loc for loc in self.locations() if "/indikator/" in loc])


class FeedTests(PublicAddressTestCase):
    def test_rss_channel_self_and_item_links(self):
        channel = ElementTree.fromstring(self.get("/feeds/indikator/42/").content).find("channel")
        self.assertEqual(channel.findtext("link"), f"{PUBLIC}/cari/?indicator=42")
        self.assertEqual(channel.find(f"{ATOM_NS}link").get("href"), f"{PUBLIC}/feeds/indikator/42/")
        self.assertEqual([i.findtext("link") for i in channel.iter("item")], [PUBLIC + self.case_study.url])

    def test_atom_links_and_ids(self):
        feed = ElementTree.fromstring(self.get("/feeds/praktik-baik/atom/").content)
        self.assertEqual(feed.findtext(f"{ATOM_NS}id"), PUBLIC + "/")
        self.assertAllPublic(link.get("href") for link in feed.iter(f"{ATOM_NS}link"))
        self.assertIn(PUBLIC + "/feeds/praktik-baik/atom/", [link.get("href") for link in feed.iter(f"{ATOM_NS}link")])

    def test_region_feed(self):
        channel = ElementTree.fromstring(self.get("/feeds/daerah/32.11/").content).find("channel")
        self.assertEqual(channel.findtext("link"), f"{PUBLIC}/cari/?region=32.11")
        self.assertAllPublic(i.findtext("link") for i in channel.iter("item"))


class ExportTests(PublicAddressTestCase):
    def test_the_csv_of_every_case_study(self):
        response = self.get("/data/praktik-baik.csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual([r["url"] for r in rows], [PUBLIC + self.case_study.url])

    def test_the_search_csv(self):
        response = self.get("/api/v1/search/?q=pengaduan&format=csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual([r["url"] for r in rows], [PUBLIC + self.case_study.url])

    def test_the_pages_api(self):
        item = self.get("/api/v2/pages/?type=casestudies.CaseStudyPage").json()["items"][0]
        self.assertTrue(item["meta"]["detail_url"].startswith(PUBLIC + "/api/v2/pages/"), item["meta"])


class OpenGraphTests(PublicAddressTestCase):
    def test_og_url_is_the_page_on_the_public_address(self):
        for path in (self.case_study.url, "/cari/?q=pengaduan", "/en/"):
            with self.subTest(path):
                self.assertContains(self.get(path), f'<meta property="og:url" content="{PUBLIC}{path}">')


class ModerationEmailTests(PublicAddressTestCase):
    """Wagtail's notifications link the admin on WAGTAILADMIN_BASE_URL and the page on the Site record, which
    `check --deploy` (cms.W001) requires to be the public address; the deployment sets it (load_reference_data)."""

    def test_the_site_check_wants_the_site_on_the_public_address(self):
        Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
        warnings = default_site_on_public_address(None)
        self.assertEqual([w.id for w in warnings], ["cms.W001"])
        self.assertIn("http://localhost", warnings[0].msg)
        Site.objects.filter(is_default_site=True).update(hostname="livinglab.example.go.id", port=443)
        self.assertEqual(default_site_on_public_address(None), [])

    def test_every_link_of_the_submission_and_approval_mails(self):
        Site.objects.filter(is_default_site=True).update(hostname="livinglab.example.go.id", port=443)
        self.assertEqual(default_site_on_public_address(None), [])
        self.client.login(username=self.officer_a.username, password=PASSWORD)
        data = self.case_study_form(self.page_a, **{"action-submit": "1"})
        with self.captureOnCommitCallbacks(execute=True):  # the mails leave once the change commits
            response = self.client.post(add_url(self.page_a), data, headers={"host": INTERNAL_HOST})
        self.assertEqual(response.status_code, 302)
        self.client.login(username=self.moderator.username, password=PASSWORD)
        page = CaseStudyPage.objects.get(slug="e-office-dan-tte")
        task_state = TaskState.objects.get(revision__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"comment": "Terima kasih."}, headers={"host": INTERNAL_HOST})
        page.refresh_from_db()
        self.assertTrue(page.live)

        self.assertTrue(mail.outbox)
        # Plain-text bodies: every URL; HTML alternatives: every link (not the doctype's and namespace's URLs).
        links = [link for m in mail.outbox for link in URL.findall(m.body)]
        links += [
            link for m in mail.outbox for html, _t in getattr(m, "alternatives", []) for link in HREF.findall(html)
        ]
        self.assertAllPublic(links)
        self.assertIn(PUBLIC + page.url, links, "the approval mail links the published page")
        self.assertTrue([link for link in links if link.startswith(PUBLIC + "/admin/")])
