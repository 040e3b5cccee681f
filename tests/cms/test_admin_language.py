"""The admin in Indonesian for officers and moderators (issue 13, part 5): the screens they use carry no English
word of Wagtail's interface, whatever language their browser asks for; Wagtail's missing Indonesian comes from
locale/id/LC_MESSAGES (tests/cms/admin_text.py reads the screens)."""

import json

from django.contrib.auth import get_user_model
from django.test import SimpleTestCase
from django.urls import reverse

from wagtail.models import TaskState
from wagtail.users.models import UserProfile

from casestudies.onboarding import region_onboard
from casestudies.questions import question_ask
from casestudies.services import moderator_create, officer_create
from tests.cms.admin_text import english_leftovers, json_texts, visible_texts
from tests.utils import PASSWORD, SiteTestCase, add_url, edit_url, make_case_study

# A browser set to English: the admin must still speak Indonesian to officers and moderators.
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


class AdminLanguageTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_case_study(cls.page_a, title="Layanan aduan terpadu", live=False)
        cls.published = make_case_study(cls.page_a, title="Satu data Sumedang")
        cls.draft.get_workflow().start(cls.draft, cls.officer_a)
        cls.question = question_ask(
            user=cls.officer_b, asking_region=cls.region_b, case_study=cls.published, text="Berapa biayanya?"
        )

    def screens_for(self, user, urls):
        """{url: visible texts} for each screen, signed in as `user` with an English browser."""
        self.client.logout()
        self.client.login(username=user.username, password=PASSWORD)
        screens = {}
        for url in urls:
            response = self.client.get(url, **ENGLISH_BROWSER)
            self.assertEqual(response.status_code, 200, url)
            body = response.content.decode()
            if response["Content-Type"].startswith("application/json"):  # a modal: its HTML inside the JSON
                body = json.loads(body).get("html", "")
            screens[url] = visible_texts(body)
        return screens

    def assertIndonesian(self, screens):
        """No English word on any screen; each leftover is named once, with the screens that show it."""
        where: dict[str, list[str]] = {}
        words: dict[str, set[str]] = {}
        for url, texts in screens.items():
            for text, english in english_leftovers(texts).items():
                where.setdefault(text, []).append(url)
                words[text] = english
        if where:
            lines = [f"  {text!r} {sorted(words[text])} on {', '.join(urls)}" for text, urls in where.items()]
            self.fail(f"{len(where)} English texts left on the admin screens:\n" + "\n".join(lines))

    def report_urls(self):
        return [
            reverse("wagtailadmin_reports:locked_pages"),
            reverse("wagtailadmin_reports:workflow"),
            reverse("wagtailadmin_reports:workflow_tasks"),
            reverse("wagtailadmin_reports:site_history"),
            reverse("wagtailadmin_reports:aging_pages"),
            reverse("wagtailadmin_reports:page_types_usage"),
        ]

    def test_an_officers_screens_are_in_indonesian(self):
        workflow_state = self.draft.current_workflow_state
        urls = [
            "/admin/",
            f"/admin/pages/{self.page_a.pk}/",
            "/admin/pages/search/?q=data",
            edit_url(self.published),
            edit_url(self.draft),
            add_url(self.page_a),
            f"/admin/pages/{self.published.pk}/history/",
            reverse("wagtailadmin_pages:workflow_history", args=[self.draft.pk]),
            reverse("wagtailadmin_pages:workflow_history_detail", args=[self.draft.pk, workflow_state.pk]),
            *self.report_urls()[1:],  # not locked pages: officers cannot unlock
            reverse("questions"),
            reverse("question_detail", args=[self.question.pk]),
            reverse("question_ask_step", args=[42, 2, 3, "32.12"]),
        ]
        self.assertIndonesian(self.screens_for(self.officer_a, urls))

    def test_a_moderators_screens_are_in_indonesian(self):
        task_state = TaskState.objects.get(revision__object_id=str(self.draft.pk), status=TaskState.STATUS_IN_PROGRESS)
        urls = [
            "/admin/",
            f"/admin/pages/{self.regions_index.pk}/",
            f"/admin/pages/{self.page_a.pk}/",
            edit_url(self.draft),
            reverse("wagtailadmin_pages:workflow_action", args=[self.draft.pk, "approve", task_state.pk]),
            reverse("wagtailadmin_pages:workflow_action", args=[self.draft.pk, "reject", task_state.pk]),
            reverse("wagtailadmin_pages:workflow_preview", args=[self.draft.pk, task_state.task_id]),
            reverse("wagtailadmin_pages:workflow_history", args=[self.draft.pk]),
            *self.report_urls(),
            reverse("content_reports"),
            reverse("search_statistics"),
            reverse("questions"),
            reverse("question_detail", args=[self.question.pk]),
        ]
        self.assertIndonesian(self.screens_for(self.moderator, urls))

    def test_the_checker_catches_wagtails_english(self):
        """The English interface, read by the same checker, is full of leftovers: the check can fail."""
        profile = UserProfile.get_for_user(self.officer_a)
        profile.preferred_language = "en"
        profile.save()
        screens = self.screens_for(self.officer_a, ["/admin/", edit_url(self.draft)])
        leftovers = {w for texts in screens.values() for words in english_leftovers(texts).values() for w in words}
        self.assertTrue({"pages", "reports", "help", "search"} <= leftovers, leftovers)


class AccountLanguageTests(SiteTestCase):
    """Officers and moderators get Indonesian as their admin language, so Wagtail's e-mails to them (sent while
    another language may be active, e.g. a reader's report from the English site) and their admin stay Indonesian."""

    def test_new_officers_and_moderators_get_the_admin_in_indonesian(self):
        officer = officer_create(region=self.region_a, username="petugas-baru", email="baru@example.id")
        moderator = moderator_create(username="moderator-baru", email="modbaru@example.id")
        region_onboard(code="32.12", emails=["undangan@example.id"])
        invited = get_user_model().objects.get(username="undangan@example.id")
        for user in (officer, moderator, invited):
            self.assertEqual(UserProfile.get_for_user(user).preferred_language, "id", user.username)

    def test_a_chosen_language_is_kept(self):
        region_onboard(code="32.12", emails=["pilih@example.id"])
        profile = UserProfile.get_for_user(get_user_model().objects.get(username="pilih@example.id"))
        profile.preferred_language = "en"  # the officer chose English in their account settings
        profile.save()
        region_onboard(code="32.12", emails=["pilih@example.id"])  # onboarding again changes nothing
        profile.refresh_from_db()
        self.assertEqual(profile.preferred_language, "en")


class CheckerTests(SimpleTestCase):
    """The reader and the word check on their own: what they see, what they flag, what they let through."""

    def test_it_reads_text_shown_attributes_and_the_sidebars_json_but_not_scripts(self):
        sidebar = json.dumps(
            {"modules": [{"_type": "wagtail.sidebar.MainMenuModule", "_args": [{"label": "Reports"}]}]}
        )
        html = (
            '<p title="Toggle sidebar">Halaman</p><input type="submit" value="Search"><button value="action-publish">'
            f'<script>var x = "Delete all pages";</script><script id="wagtail-sidebar-props" type="application/json">'
            f'{sidebar}</script><div data-w-init-detail-value=\'{{"description": "Bold"}}\'></div>'
        )
        self.assertEqual(visible_texts(html), ["Toggle sidebar", "Halaman", "Search", "Reports", "Bold"])
        self.assertEqual(json_texts('{"name": "explorer", "label": "Pages"}'), ["Pages"])

    def test_it_flags_english_and_lets_indonesian_and_proper_nouns_through(self):
        flagged = english_leftovers(["Search all pages…", "Your pages and snippets in a workflow", "Reports"])
        self.assertEqual(flagged["Search all pages…"], {"search", "all", "pages"})
        self.assertEqual(len(flagged), 3)
        self.assertEqual(
            english_leftovers(
                [
                    "Cari di semua halaman…",
                    "Laporan konten",
                    "Yang baru di Wagtail 8.0",
                    "Living Lab",
                    "Open Data Sumedang",
                ]
            ),
            {},
        )
