"""Framing: no page may be framed (X-Frame-Options: DENY, CSP frame-ancestors 'none'), and Wagtail's editor
preview, which frames the page being edited, still works: its preview views answer SAMEORIGIN themselves, and
the preview's policy lets the admin frame it (cms/middleware.py)."""

from django.test import override_settings

from tests.utils import PASSWORD, SiteTestCase, edit_url, make_case_study


@override_settings(X_FRAME_OPTIONS="DENY")  # production's value (tests/deploy/test_settings.py)
class FramingTests(SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case_study = make_case_study(cls.page_a, title="Sistem Pengaduan Warga", indicators=(42,))

    def test_public_pages_may_not_be_framed(self):
        response = self.client.get(self.case_study.url)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("frame-ancestors 'none'", response["Content-Security-Policy"])

    def test_the_editor_preview_may_be_framed_by_the_admin(self):
        self.client.login(username=self.moderator.username, password=PASSWORD)
        url = edit_url(self.case_study) + "preview/"
        data = self.admin_form_data(edit_url(self.case_study), title="Sistem Pengaduan Warga (pratinjau)")
        posted = self.client.post(url, data)
        self.assertEqual(posted.status_code, 200)
        self.assertTrue(posted.json()["is_valid"], posted.json())
        preview = self.client.get(url, {"mode": "", "in_preview_panel": "true"})
        self.assertContains(preview, "Sistem Pengaduan Warga (pratinjau)")
        self.assertEqual(preview["X-Frame-Options"], "SAMEORIGIN")
        # The preview is the page as readers get it (its policy included), but the editor's frame may show it.
        policy = preview["Content-Security-Policy"]
        self.assertIn("frame-ancestors 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        # The admin itself is not framed either.
        self.assertEqual(self.client.get(edit_url(self.case_study))["X-Frame-Options"], "DENY")
