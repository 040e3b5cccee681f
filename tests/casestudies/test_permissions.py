"""The permission matrix, through the real admin views: who may view a draft, edit, create, submit, publish, approve.

Actors: anonymous, officer of region A, officer of region B, moderator, administrator.
The target is always a draft case study in region A.
"""

from django.urls import reverse

from wagtail.models import TaskState

from casestudies.models import CaseStudyPage
from tests.utils import PASSWORD, SiteTestCase, add_url, edit_url, make_case_study

ACTORS = ("anonymous", "officer_a", "officer_b", "moderator", "admin")


class PermissionMatrixTests(SiteTestCase):
    def login(self, actor):
        self.client.logout()
        if actor != "anonymous":
            self.client.login(username=actor, password=PASSWORD)

    def draft(self, title="Draf praktik baik"):
        return make_case_study(self.page_a, title=title, live=False)

    def edit_form_as_admin(self, page, **changes):
        """Edit-form data taken as the admin (so actors without access can still try a forged POST)."""
        self.login("admin")
        return self.admin_form_data(edit_url(page), **changes)

    def test_public_site_never_shows_drafts(self):
        draft = self.draft()
        for actor in ACTORS:
            with self.subTest(actor=actor):
                self.login(actor)
                self.assertEqual(self.client.get(draft.url_path.replace("/beranda", "", 1)).status_code, 404)

    def test_view_draft_in_admin(self):
        draft = self.draft()
        expected = {"anonymous": False, "officer_a": True, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                self.login(actor)
                response = self.client.get(edit_url(draft))
                self.assertEqual(response.status_code == 200, allowed, response.status_code)
                preview = self.client.get(f"/admin/pages/{draft.pk}/edit/preview/")
                self.assertEqual(preview.status_code == 200, allowed)

    def test_edit(self):
        expected = {"anonymous": False, "officer_a": True, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                draft = self.draft(title=f"Draf {actor}")
                data = self.edit_form_as_admin(draft, title=f"Diubah oleh {actor}")
                self.login(actor)
                self.client.post(edit_url(draft), data)
                title = self.reload(draft).get_latest_revision_as_object().title
                self.assertEqual(title == f"Diubah oleh {actor}", allowed, title)

    def test_create_under_region_a(self):
        expected = {"anonymous": False, "officer_a": True, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                self.login("admin")
                data = self.case_study_form(self.page_a, title=f"Baru oleh {actor}", slug=f"baru-{actor}")
                self.login(actor)
                self.client.post(add_url(self.page_a), data)
                created = CaseStudyPage.objects.filter(title=f"Baru oleh {actor}").exists()
                self.assertEqual(created, allowed)

    def test_submit_for_moderation(self):
        expected = {"anonymous": False, "officer_a": True, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                draft = self.draft(title=f"Ajukan {actor}")
                data = self.edit_form_as_admin(draft, **{"action-submit": "1"})
                self.login(actor)
                self.client.post(edit_url(draft), data)
                state = self.reload(draft).current_workflow_state
                self.assertEqual(state is not None, allowed)

    def test_publish(self):
        expected = {"anonymous": False, "officer_a": False, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                draft = self.draft(title=f"Terbitkan {actor}")
                data = self.edit_form_as_admin(draft, **{"action-publish": "1"})
                self.login(actor)
                self.client.post(edit_url(draft), data)
                self.assertEqual(self.reload(draft).live, allowed)

    def test_approve(self):
        expected = {"anonymous": False, "officer_a": False, "officer_b": False, "moderator": True, "admin": True}
        for actor, allowed in expected.items():
            with self.subTest(actor=actor):
                draft = self.draft(title=f"Setujui {actor}")
                draft.get_workflow().start(draft, self.officer_a)
                task_state = TaskState.objects.get(
                    workflow_state__base_content_type__isnull=False,
                    revision__object_id=str(draft.pk),
                    status="in_progress",
                )
                url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
                self.login(actor)
                self.client.post(url, {"comment": "OK"})
                self.assertEqual(self.reload(draft).live, allowed)

    def test_officer_b_cannot_create_under_region_a_even_by_forged_post(self):
        self.login("officer_a")
        data = self.case_study_form(self.page_a, title="Palsu", slug="palsu")
        self.login("officer_b")
        response = self.client.post(add_url(self.page_a), data)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(CaseStudyPage.objects.filter(title="Palsu").exists())

    def test_officer_a_cannot_move_a_case_study_into_region_b(self):
        draft = self.draft(title="Pindahkan")
        self.login("officer_a")
        self.client.post(f"/admin/pages/{draft.pk}/move/{self.page_b.pk}/confirm/")
        self.assertEqual(self.reload(draft).get_parent().pk, self.page_a.pk)

    def test_officer_b_cannot_copy_a_region_a_case_study(self):
        draft = self.draft(title="Salin")
        self.login("officer_b")
        self.client.post(
            f"/admin/pages/{draft.pk}/copy/",
            {"new_title": "Salinan", "new_slug": "salinan", "new_parent_page": self.page_b.pk},
        )
        self.assertFalse(CaseStudyPage.objects.filter(title="Salinan").exists())
