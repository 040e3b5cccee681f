"""Regions see only their own: what an officer of region B (Indramayu) sees of region A (Sumedang) in the admin's
page chooser, the admin API and the media listings, and that an officer cannot re-point their region page.

Region A holds a never-published draft and a published case study with a pending draft title; region B holds its
own draft. Officer B must never see A's draft or A's pending title; a moderator and the administrator see all.
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from casestudies.models import Region, RegionPage
from tests.utils import PASSWORD, SiteTestCase, edit_url, make_case_study

SECRET_DRAFT = "Rahasia draf Sumedang"
PUBLISHED = "Terbit Sumedang"
PENDING = "Judul tertunda Sumedang"
OWN_DRAFT = "Draf Indramayu sendiri"


class RegionScopeTestCase(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secret = make_case_study(cls.page_a, title=SECRET_DRAFT, live=False)
        cls.published = make_case_study(cls.page_a, title=PUBLISHED)
        pending = cls.published.get_latest_revision_as_object()
        pending.title = PENDING
        pending.save_revision(user=cls.officer_a)
        cls.own = make_case_study(cls.page_b, title=OWN_DRAFT, live=False)

    def login(self, username):
        self.client.logout()
        self.client.login(username=username, password=PASSWORD)

    def chooser_html(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        if response["Content-Type"].startswith("application/json"):
            return response.json()["html"]
        return response.content.decode()


class PageChooserTests(RegionScopeTestCase):
    def test_browsing_another_region_lists_only_what_is_public_with_its_published_title(self):
        self.login("officer_b")
        for page_type in ("", "&page_type=casestudies.casestudypage"):
            with self.subTest(page_type=page_type):
                html = self.chooser_html(f"/admin/choose-page/{self.page_a.pk}/?{page_type}")
                self.assertIn(PUBLISHED, html)
                self.assertNotIn(SECRET_DRAFT, html)
                self.assertNotIn(PENDING, html)

    def test_another_regions_draft_cannot_be_browsed_by_its_id(self):
        self.login("officer_b")
        response = self.client.get(f"/admin/choose-page/{self.secret.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(SECRET_DRAFT, response.content.decode())

    def test_a_published_page_of_another_region_is_browsed_with_its_published_title(self):
        self.login("officer_b")
        html = self.chooser_html(f"/admin/choose-page/{self.published.pk}/")
        self.assertIn(PUBLISHED, html)
        self.assertNotIn(PENDING, html)

    def test_search_finds_no_draft_and_no_pending_title_of_another_region(self):
        self.login("officer_b")
        for query in ("rahasia", "sumedang", "terbit", "tertunda"):
            for page_type in ("", "&page_type=casestudies.casestudypage"):
                with self.subTest(query=query, page_type=page_type):
                    html = self.chooser_html(f"/admin/choose-page/search/?q={query}{page_type}")
                    self.assertNotIn(SECRET_DRAFT, html)
                    self.assertNotIn(PENDING, html)
        self.assertIn(PUBLISHED, self.chooser_html("/admin/choose-page/search/?q=terbit"))

    def test_chosen_pages_answer_only_with_what_the_officer_may_see(self):
        self.login("officer_b")
        url = reverse("wagtailadmin_choose_page_chosen_multiple")
        response = self.client.get(url, {"id": [self.secret.pk, self.published.pk, "x", "²"]})
        self.assertEqual(response.status_code, 200)
        result = response.json()["result"]
        self.assertEqual([(item["id"], item["adminTitle"]) for item in result], [(self.published.pk, PUBLISHED)])

    def test_an_officer_sees_their_own_drafts(self):
        self.login("officer_b")
        self.assertIn(OWN_DRAFT, self.chooser_html(f"/admin/choose-page/{self.page_b.pk}/"))
        self.assertIn(OWN_DRAFT, self.chooser_html("/admin/choose-page/search/?q=indramayu"))
        self.assertIn(OWN_DRAFT, self.chooser_html(f"/admin/choose-page/{self.own.pk}/"))

    def test_moderators_and_administrators_see_every_page(self):
        for username in ("moderator", "admin"):
            with self.subTest(username=username):
                self.login(username)
                html = self.chooser_html(f"/admin/choose-page/{self.page_a.pk}/")
                self.assertIn(SECRET_DRAFT, html)
                self.assertIn(PENDING, html)
                self.assertIn(SECRET_DRAFT, self.chooser_html("/admin/choose-page/search/?q=rahasia"))

    def test_the_chooser_still_needs_a_login(self):
        self.client.logout()
        for url in ("/admin/choose-page/", f"/admin/choose-page/{self.page_a.pk}/", "/admin/choose-page/search/?q=a"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 302)


class AdminPagesApiTests(RegionScopeTestCase):
    def listed(self, **params):
        response = self.client.get("/admin/api/main/pages/", {"limit": 20, **params})
        self.assertEqual(response.status_code, 200)
        return {item["id"]: item["admin_display_title"] for item in response.json()["items"]}

    def test_an_officer_lists_no_draft_or_pending_title_of_another_region(self):
        self.login("officer_b")
        for params in (
            {},
            {"search": "sumedang"},
            {"child_of": self.page_a.pk},  # not a page officer B may explore: 400, and nothing listed
            {"descendant_of": self.regions_index.pk},
            {"child_of": self.page_b.pk},
        ):
            with self.subTest(params=params):
                response = self.client.get("/admin/api/main/pages/", {"limit": 20, **params})
                self.assertIn(response.status_code, (200, 400))
                self.assertNotIn(SECRET_DRAFT, response.content.decode())
                self.assertNotIn(PENDING, response.content.decode())
        self.assertEqual(self.client.get(f"/admin/api/main/pages/{self.secret.pk}/").status_code, 404)
        self.assertIn(OWN_DRAFT, self.listed(child_of=self.page_b.pk).values())

    def test_a_moderator_lists_every_page(self):
        self.login("moderator")
        titles = self.listed(child_of=self.page_a.pk).values()
        self.assertIn(SECRET_DRAFT, titles)
        self.assertIn(PENDING, titles)


class MediaListingTests(RegionScopeTestCase):
    """Documents and images are listed per collection permission: the listings, the choosers and the admin API."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for letter, page in (("a", cls.page_a), ("b", cls.page_b)):
            collection = page.officers_group.collection_permissions.first().collection
            Document.objects.create(
                title=f"dokumen-{letter}", file=ContentFile(b"%PDF-1.7\n", name=f"dokumen-{letter}.pdf"),
                collection=collection,
            )  # fmt: skip
            Image.objects.create(
                title=f"gambar-{letter}", file=get_test_image_file(filename=f"gambar-{letter}.png"),
                collection=collection,
            )  # fmt: skip

    def api_titles(self, endpoint, **params):
        response = self.client.get(f"/admin/api/main/{endpoint}/", params)
        self.assertEqual(response.status_code, 200)
        return {item["title"] for item in response.json()["items"]}

    def test_the_admin_api_lists_an_officer_only_their_regions_files(self):
        self.login("officer_b")
        for endpoint, prefix in (("documents", "dokumen"), ("images", "gambar")):
            with self.subTest(endpoint=endpoint):
                self.assertEqual(self.api_titles(endpoint), {f"{prefix}-b"})
                self.assertEqual(self.api_titles(endpoint, search=prefix), {f"{prefix}-b"})
                other = (Document if endpoint == "documents" else Image).objects.get(title=f"{prefix}-a")
                self.assertEqual(self.client.get(f"/admin/api/main/{endpoint}/{other.pk}/").status_code, 404)

    def test_moderators_list_every_regions_files(self):
        for username in ("moderator", "admin"):
            with self.subTest(username=username):
                self.login(username)
                self.assertEqual(self.api_titles("documents"), {"dokumen-a", "dokumen-b"})
                self.assertEqual(self.api_titles("images"), {"gambar-a", "gambar-b"})

    def test_listings_and_choosers_show_an_officer_only_their_regions_files(self):
        self.login("officer_b")
        for url, prefix in (
            ("/admin/documents/", "dokumen"),
            ("/admin/documents/chooser/", "dokumen"),
            ("/admin/documents/chooser/results/?q=dokumen", "dokumen"),
            ("/admin/images/", "gambar"),
            ("/admin/images/chooser/", "gambar"),
            ("/admin/images/chooser/results/?q=gambar", "gambar"),
        ):
            with self.subTest(url=url):
                html = self.chooser_html(url)
                self.assertIn(f"{prefix}-b", html)
                self.assertNotIn(f"{prefix}-a", html)


class RegionCodeTests(SiteTestCase):
    """A region page's region is changed by moderators only; an officer sees it read-only."""

    def test_an_officer_sees_the_region_read_only(self):
        self.client.login(username="officer_a", password=PASSWORD)
        html = self.client.get(edit_url(self.page_a)).content.decode()
        self.assertNotIn('name="region"', html)
        self.assertIn(self.region_a.name, html)

    def test_an_officer_cannot_re_point_their_region_page_even_by_a_crafted_post(self):
        elsewhere = Region.objects.exclude(pk__in=[self.region_a.pk, self.region_b.pk]).first()
        self.client.login(username="admin", password=PASSWORD)
        data = self.admin_form_data(edit_url(self.page_a), region=str(elsewhere.pk))
        self.client.login(username="officer_a", password=PASSWORD)
        for action in ({}, {"action-submit": "1"}):
            with self.subTest(action=action):
                payload = data.copy()
                payload.update(action)
                self.client.post(edit_url(self.page_a), payload)
                page = RegionPage.objects.get(pk=self.page_a.pk)
                self.assertEqual(page.region_id, self.region_a.pk)
                self.assertEqual(page.get_latest_revision_as_object().region_id, self.region_a.pk)

    def test_a_moderator_may_change_the_region(self):
        elsewhere = Region.objects.exclude(pk__in=[self.region_a.pk, self.region_b.pk]).first()
        self.client.login(username="moderator", password=PASSWORD)
        data = self.admin_form_data(edit_url(self.page_a), region=str(elsewhere.pk))
        self.client.post(edit_url(self.page_a), data)
        revision = RegionPage.objects.get(pk=self.page_a.pk).get_latest_revision_as_object()
        self.assertEqual(revision.region_id, elsewhere.pk)
