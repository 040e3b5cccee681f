"""Onboarding a region (issue 13, part 1): by command and in the admin, with invitations that set a first password.

The test database starts as a fresh site does: `migrate` and `load_reference_data` only (tests/conftest.py).
"""

import re
from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import Collection, GroupCollectionPermission, ModelLogEntry, Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import rich_text

from casestudies.invitations import LOG_INVITE, InvitationTokenGenerator
from casestudies.models import Region, RegionPage, RegionsIndexPage
from casestudies.services import moderator_create, region_page_create, site_structure_ensure
from tests.utils import PASSWORD, add_url

User = get_user_model()
EMAIL = "siti.rahma@sumedang.example.go.id"
NEW_PASSWORD = "Rahasia-Sumedang-2026"
LINK = re.compile(r"https?://[^/\s]+(/undangan/[^/\s]+/[^/\s]+/)")


def onboard(*args: str) -> str:
    out = StringIO()
    call_command("onboard_region", *args, stdout=out)
    return out.getvalue()


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def days_later(days: int):
    """The token generator's clock `days` from now (Django's generator reads the time through `_now`)."""
    later = datetime.now() + timedelta(days=days)  # naive, as Django's generator reads it
    return mock.patch.object(InvitationTokenGenerator, "_now", return_value=later)


@override_settings(WAGTAILADMIN_BASE_URL="https://livinglab.example.go.id", LIVINGLAB_INVITATION_DAYS=7)
class OnboardRegionCommandTests(WagtailTestUtils, TestCase):
    def test_a_region_joins_from_an_empty_site_and_its_officer_sets_a_password_and_signs_in(self):
        self.assertFalse(RegionPage.objects.filter(region__code="32.11").exists())
        output = onboard("32.11", "--officer", EMAIL, "--name", "Siti Rahma")
        self.assertIn("page created", output)

        page = RegionPage.objects.get(region__code="32.11")
        self.assertEqual(page.get_parent().specific_class, RegionsIndexPage)
        user = User.objects.get(username=EMAIL)
        self.assertEqual((user.email, user.first_name), (EMAIL, "Siti Rahma"))
        self.assertFalse(user.has_usable_password(), "nothing here makes an account with a known password")
        self.assertIn(page.officers_group, user.groups.all())
        collection = Collection.objects.get(name="32.11 Kabupaten Sumedang")
        self.assertTrue(
            GroupCollectionPermission.objects.filter(
                group=page.officers_group, collection=collection, permission__codename="add_document"
            ).exists()
        )

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [EMAIL])
        self.assertIn("Kabupaten Sumedang", message.subject)
        self.assertIn("Buat kata sandi Anda", message.body)
        self.assertIn("https://livinglab.example.go.id/undangan/", message.body, "the configured public address")
        self.assertIn("7 hari", message.body)
        link = link_in(message)

        response = self.client.get(link)
        self.assertContains(response, "Buat kata sandi untuk akun " + EMAIL)
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        response = self.client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(response, "/admin/login/", fetch_redirect_response=False)
        self.assertTrue(self.client.login(username=EMAIL, password=NEW_PASSWORD), "signs in with the address")

        # The officer may add a case study under their own region and nowhere else.
        self.assertEqual(self.client.get(add_url(page)).status_code, 200)
        other = region_page_create(region=Region.objects.get(code="32.12"))
        self.assertNotEqual(self.client.get(add_url(other)).status_code, 200)

        self.client.logout()
        used = self.client.get(link)
        self.assertContains(used, "sudah dipakai")
        self.assertNotContains(used, "new_password1")
        self.assertEqual(self.client.post(link, {"new_password1": "x", "new_password2": "x"}).status_code, 200)
        self.assertTrue(User.objects.get(pk=user.pk).check_password(NEW_PASSWORD), "a used link changes nothing")

    def test_running_it_again_changes_nothing_and_resend_invites_only_who_has_no_password(self):
        onboard("32.11", "--officer", EMAIL, "--officer", "budi@sumedang.example.go.id")
        counts = (User.objects.count(), Group.objects.count(), Collection.objects.count(), Page.objects.count())
        output = onboard("32.11", "--officer", EMAIL.upper())
        self.assertIn("page exists", output)
        self.assertIn("--resend", output)
        self.assertEqual(
            (User.objects.count(), Group.objects.count(), Collection.objects.count(), Page.objects.count()), counts
        )
        self.assertEqual(len(mail.outbox), 2)

        budi = User.objects.get(username="budi@sumedang.example.go.id")
        budi.set_password(NEW_PASSWORD)
        budi.save()
        onboard("32.11", "--officer", EMAIL, "--officer", "budi@sumedang.example.go.id", "--resend")
        self.assertEqual([m.to for m in mail.outbox[2:]], [[EMAIL]])

    def test_an_officer_added_later_joins_the_same_group(self):
        onboard("32.11", "--officer", EMAIL)
        onboard("32.11", "--officer", "budi@sumedang.example.go.id")
        group = RegionPage.objects.get(region__code="32.11").officers_group
        self.assertEqual(set(group.user_set.values_list("username", flat=True)), {EMAIL, "budi@sumedang.example.go.id"})

    def test_bad_input_says_why_and_writes_nothing(self):
        cases = {
            ("99.99", "--officer", EMAIL): "Kode daerah tidak dikenal",
            ("32.11", "--officer", EMAIL, "--officer", "bukan-alamat"): "tidak sah",
            ("32.11", "--officer", EMAIL, "--name", "A", "--name", "B"): "--name",
        }
        for args, reason in cases.items():
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, reason):
                onboard(*args)
        self.assertFalse(RegionPage.objects.filter(region__code="32.11").exists())
        self.assertFalse(User.objects.filter(username=EMAIL).exists())
        self.assertEqual(mail.outbox, [])

    def test_an_officer_of_another_region_is_refused(self):
        onboard("32.12", "--officer", EMAIL)
        with self.assertRaisesMessage(CommandError, "sudah menjadi petugas Kabupaten Indramayu"):
            onboard("32.11", "--officer", EMAIL)
        self.assertFalse(RegionPage.objects.filter(region__code="32.11").exists())

    def test_a_mail_server_that_refuses_is_reported_and_resend_recovers(self):
        refused = mock.patch("casestudies.invitations.send_mail", side_effect=ConnectionRefusedError("refused"))
        with refused, self.assertRaisesMessage(CommandError, "run again with --resend"):
            onboard("32.11", "--officer", EMAIL)
        self.assertTrue(User.objects.filter(username=EMAIL).exists(), "the account was made")
        onboard("32.11", "--officer", EMAIL, "--resend")
        self.assertEqual(len(mail.outbox), 1)


@override_settings(LIVINGLAB_INVITATION_DAYS=7)
class InvitationLinkTests(TestCase):
    def setUp(self):
        onboard("32.11", "--officer", EMAIL)
        self.link = link_in(mail.outbox[0])
        self.user = User.objects.get(username=EMAIL)

    def test_an_expired_link_says_so_and_sends_a_new_one_to_the_accounts_address(self):
        with days_later(8):
            response = self.client.get(self.link)
            self.assertContains(response, "kedaluwarsa")
            self.assertNotContains(response, "new_password1")
            self.client.post(self.link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
            self.assertFalse(User.objects.get(pk=self.user.pk).has_usable_password(), "an expired link sets nothing")
        self.assertEqual(len(mail.outbox), 1, "the new-password POST above on an expired link was not a resend")
        ModelLogEntry.objects.filter(action=LOG_INVITE).update(timestamp=timezone.now() - timedelta(days=8))
        with days_later(8):
            response = self.client.post(self.link, follow=True)
            self.assertContains(response, "Tautan baru telah dikirim")
            self.client.post(self.link)  # again at once: no second mail
        self.assertEqual([m.to for m in mail.outbox], [[EMAIL], [EMAIL]])
        fresh = link_in(mail.outbox[1])
        self.assertContains(self.client.get(fresh), "Buat kata sandi")

    def test_within_its_days_the_link_works(self):
        with days_later(6):
            self.assertContains(self.client.get(self.link), "Buat kata sandi")

    def test_garbled_and_foreign_links_are_unknown(self):
        uid = self.link.split("/")[2]
        for link in (
            "/undangan/xx/yy/",
            f"/undangan/{uid}/1-abc/",
            f"/undangan/{uid}/zzzzzzzzzzzzzzzzzzz-abc/",
            f"/undangan/{uid}/{default_token_generator.make_token(self.user)}/",  # a password-reset token
        ):
            with self.subTest(link=link):
                response = self.client.get(link)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "tidak dikenal", status_code=404)

    def test_a_weak_password_is_refused_with_the_reason(self):
        response = self.client.post(self.link, {"new_password1": "12345678", "new_password2": "12345678"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "error-summary", status_code=400)
        self.assertFalse(User.objects.get(pk=self.user.pk).has_usable_password())

    def test_a_deactivated_officers_link_is_dead(self):
        self.user.is_active = False
        self.user.save()
        self.assertEqual(self.client.get(self.link).status_code, 404)


class RegionPageAnyRouteTests(WagtailTestUtils, TestCase):
    def test_a_region_page_added_in_the_admin_gets_its_group_and_collection(self):
        regions_index = site_structure_ensure()["regions_index"]
        User.objects.create_superuser("admin", "admin@example.id", PASSWORD)
        self.client.login(username="admin", password=PASSWORD)
        region = Region.objects.get(code="32.12")
        response = self.client.post(
            f"/admin/pages/add/casestudies/regionpage/{regions_index.pk}/",
            {"title": region.name, "slug": "3212-indramayu", "region": region.pk, "intro": rich_text(""),
             "action-publish": "publish"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content[:2000])
        page = RegionPage.objects.get(region=region)
        self.assertEqual(page.officers_group.name, "Petugas 32.12 Kabupaten Indramayu")
        self.assertTrue(page.officers_group.permissions.filter(codename="access_admin").exists())
        self.assertTrue(Collection.objects.filter(name="32.12 Kabupaten Indramayu").exists())

    def test_a_region_page_added_in_code_too(self):
        regions_index = site_structure_ensure()["regions_index"]
        region = Region.objects.get(code="32.13")
        regions_index.add_child(instance=RegionPage(title=region.name, slug="3213", region=region))
        self.assertIsNotNone(RegionPage.objects.get(region=region).officers_group)


class RegionsOfficersAdminTests(WagtailTestUtils, TestCase):
    url = "/admin/daerah-petugas/"

    @classmethod
    def setUpTestData(cls):
        cls.moderator = moderator_create(username="moderator", email="mod@example.id", password=PASSWORD)
        onboard("32.12", "--officer", "officer.b@indramayu.example.go.id")
        cls.officer_b = User.objects.get(username="officer.b@indramayu.example.go.id")
        cls.officer_b.set_password(PASSWORD)
        cls.officer_b.save()

    def test_a_moderator_onboards_a_region_from_the_form(self):
        self.client.login(username="moderator", password=PASSWORD)
        response = self.client.post(
            self.url, {"code": "32.11", "emails": f"Siti Rahma <{EMAIL}>\n\nbudi@sumedang.example.go.id"}, follow=True
        )
        self.assertContains(response, f"{EMAIL} — undangan terkirim")
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["budi@sumedang.example.go.id", EMAIL])
        self.assertEqual(User.objects.get(username=EMAIL).first_name, "Siti Rahma")
        listing = self.client.get(self.url)
        self.assertContains(listing, "Kabupaten Sumedang")
        self.assertContains(listing, "menunggu undangan diterima")

    def test_bad_form_input_re_shows_with_the_reason(self):
        self.client.login(username="moderator", password=PASSWORD)
        response = self.client.post(self.url, {"code": "99.99", "emails": EMAIL})
        self.assertContains(response, "Kode daerah tidak dikenal", status_code=400)
        self.assertContains(response, EMAIL, status_code=400)
        self.assertFalse(User.objects.filter(username=EMAIL).exists())

    def test_resend_and_deactivate(self):
        onboard("32.11", "--officer", EMAIL)
        user = User.objects.get(username=EMAIL)
        self.client.login(username="moderator", password=PASSWORD)
        self.client.post(f"{self.url}{user.pk}/undang/")
        self.assertEqual(len(mail.outbox), 2)
        self.client.post(f"{self.url}{self.officer_b.pk}/deactivate/")
        self.assertFalse(User.objects.get(pk=self.officer_b.pk).is_active)
        self.client.logout()
        self.assertFalse(self.client.login(username=self.officer_b.username, password=PASSWORD))
        self.assertTrue(ModelLogEntry.objects.filter(action="livinglab.officer.deactivate").exists())

    def test_officers_and_anonymous_are_kept_out_and_moderators_are_not_managed_here(self):
        denied = "/admin/"  # Wagtail answers a PermissionDenied in its admin with a redirect home and a message
        self.client.login(username=self.officer_b.username, password=PASSWORD)
        self.assertRedirects(self.client.get(self.url), denied, fetch_redirect_response=False)
        self.assertRedirects(self.client.post(self.url, {"code": "32.11", "emails": EMAIL}), denied,
                             fetch_redirect_response=False)  # fmt: skip
        self.client.post(f"{self.url}{self.officer_b.pk}/deactivate/")
        self.assertTrue(User.objects.get(pk=self.officer_b.pk).is_active)
        self.assertFalse(User.objects.filter(username=EMAIL).exists())
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"/admin/login/?next={self.url}", fetch_redirect_response=False)
        self.client.login(username="moderator", password=PASSWORD)
        self.client.post(f"{self.url}{self.moderator.pk}/deactivate/")
        self.assertTrue(User.objects.get(pk=self.moderator.pk).is_active)
