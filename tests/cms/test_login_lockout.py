"""The admin sign-in locks a username out from an address after repeated failures (django-axes, attempts in the
database): the sign-in page says why in Indonesian, with 429 and Retry-After; the right password does not get in
until the cool-off has passed; other people and other addresses are not locked out."""

from datetime import timedelta

from django.test import override_settings

from axes.models import AccessAttempt

from tests.utils import PASSWORD, SiteTestCase

LOGIN = "/admin/login/"
WRONG = "salah"


@override_settings(AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=timedelta(minutes=15))
class AdminLoginLockoutTests(SiteTestCase):
    def sign_in(self, username="moderator", password=WRONG, address="203.0.113.7", **extra):
        return self.client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)

    def signed_in(self) -> bool:
        return "_auth_user_id" in self.client.session

    def test_five_failures_lock_out_even_the_right_password(self):
        for _ in range(4):
            response = self.sign_in()
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "Terlalu banyak percobaan")
        locked = self.sign_in()
        self.assertEqual(locked.status_code, 429)
        self.assertEqual(locked["Retry-After"], "900")
        self.assertContains(
            locked,
            "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini dari alamat Anda. "
            "Demi keamanan, coba lagi dalam 15 menit.",
            status_code=429,
        )
        self.assertContains(locked, 'name="username"', status_code=429)  # the sign-in page itself, form and all

        right = self.sign_in(password=PASSWORD)
        self.assertEqual(right.status_code, 429)
        self.assertFalse(self.signed_in())

    def test_fifty_wrong_then_the_right_one_is_refused(self):
        """The finding: 50 wrong admin passwords, then the right one, logged in at once."""
        statuses = [self.sign_in().status_code for _ in range(50)]
        self.assertEqual(statuses.count(200), 4)
        self.assertEqual(self.sign_in(password=PASSWORD).status_code, 429)
        self.assertFalse(self.signed_in())

    def test_after_the_cool_off_the_right_password_gets_in(self):
        for _ in range(5):
            self.sign_in()
        self.assertEqual(self.sign_in(password=PASSWORD).status_code, 429)
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
        response = self.sign_in(password=PASSWORD)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertTrue(self.signed_in())
        self.assertFalse(AccessAttempt.objects.exists())  # a successful sign-in clears the count

    def test_other_users_and_other_addresses_are_not_locked_out(self):
        for _ in range(5):
            self.sign_in()
        other_user = self.sign_in(username="officer_a", password=PASSWORD)
        self.assertRedirects(other_user, "/admin/", fetch_redirect_response=False)
        self.client.logout()
        elsewhere = self.sign_in(password=PASSWORD, address="198.51.100.9")
        self.assertRedirects(elsewhere, "/admin/", fetch_redirect_response=False)

    @override_settings(LIVINGLAB_TRUSTED_PROXIES=1)
    def test_behind_nginx_the_forwarded_client_is_who_is_locked_out(self):
        for _ in range(5):
            self.sign_in(address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        self.assertEqual(
            self.sign_in(password=PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code, 429
        )
        # a client writing another address into the header itself is still the client nginx saw
        spoofed = self.sign_in(password=PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
        self.assertEqual(spoofed.status_code, 429)
        other = self.sign_in(password=PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
        self.assertRedirects(other, "/admin/", fetch_redirect_response=False)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {"203.0.113.7"})

    def test_a_correct_sign_in_resets_the_count(self):
        for _ in range(4):
            self.sign_in()
        self.assertRedirects(self.sign_in(password=PASSWORD), "/admin/", fetch_redirect_response=False)
        self.client.logout()
        for _ in range(4):
            self.assertEqual(self.sign_in().status_code, 200)

    def test_a_request_without_an_address_signs_in_and_is_counted(self):
        """gunicorn behind nginx on a Unix socket: no REMOTE_ADDR (PostgreSQL's inet column refused a made-up one)."""
        for _ in range(5):
            self.sign_in(address="")
        self.assertEqual(self.sign_in(password=PASSWORD, address="").status_code, 429)
        self.assertEqual(self.sign_in(username="officer_a", password=PASSWORD, address="").status_code, 302)
        self.assertTrue(self.signed_in())
