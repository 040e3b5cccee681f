"""Production settings, imported and checked in subprocesses with a given environment (tests/deploy/environment.py)."""

import json
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from .environment import documented_environment, manage, production_environment, run

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


class SubprocessTestCase(SimpleTestCase):
    def setUp(self):
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def settings_in(self, module: str, names: list[str], **changes) -> dict:
        """The named settings of `module` imported in a fresh interpreter with the production environment."""
        env = production_environment(self.tmp, **changes)
        code = f"import json, {module} as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
        result = run(["-c", code], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def refusal(self, module: str, **changes) -> str:
        """stderr of importing `module` with the environment changed, which must fail."""
        result = run(["-c", f"import {module}"], production_environment(self.tmp, **changes))
        self.assertNotEqual(result.returncode, 0, "the settings were accepted")
        self.assertIn("ImproperlyConfigured", result.stderr)
        return result.stderr


class CheckDeployTests(SubprocessTestCase):
    def test_the_documented_environment_passes_check_deploy(self):
        result = manage(["check", "--deploy", "--fail-level", "WARNING"], production_environment(self.tmp))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNotIn("WARNINGS", result.stderr + result.stdout)
        # The throwaway database is empty: the site-address check says it could not compare (tests/deploy/
        # test_public_urls.py runs it on a real site), and the preload reminder is the one silenced check.
        self.assertIn("cms.I001", result.stdout + result.stderr)
        self.assertIn("(1 silenced)", result.stdout + result.stderr)

    def test_the_check_fails_without_https_settings(self):
        env = production_environment(
            self.tmp, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false"
        )
        result = manage(["check", "--deploy", "--fail-level", "WARNING"], env)
        self.assertNotEqual(result.returncode, 0)
        for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
            self.assertIn(check_id, result.stderr)

    def test_the_documented_environment_names_the_production_settings(self):
        env = documented_environment()
        self.assertEqual(env["DJANGO_SETTINGS_MODULE"], "livinglab.settings.production")
        self.assertTrue(env["WAGTAILADMIN_BASE_URL"].startswith("https://"))
        self.assertNotIn("EMAIL_BACKEND", env, "unset in the documented environment: production's SMTP")


class HttpsSettingsTests(SubprocessTestCase):
    NAMES = [
        "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS", "DEBUG",
    ]  # fmt: skip

    def test_defaults_without_the_optional_variables(self):
        optional = dict.fromkeys(("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_COOKIES", "ALLOWED_HOSTS"))  # fmt: skip
        s = self.settings_in("livinglab.settings.production", self.NAMES, **optional)
        self.assertIs(s["DEBUG"], False)
        self.assertIs(s["SECURE_SSL_REDIRECT"], True)
        self.assertEqual(s["SECURE_REDIRECT_EXEMPT"], [r"^healthz$"])
        self.assertEqual(s["SECURE_HSTS_SECONDS"], 31_536_000)
        self.assertIs(s["SECURE_HSTS_INCLUDE_SUBDOMAINS"], True)
        self.assertIs(s["SECURE_HSTS_PRELOAD"], False)
        self.assertEqual(s["SILENCED_SYSTEM_CHECKS"], ["security.W021"])
        self.assertTrue(s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["LANGUAGE_COOKIE_SECURE"])
        self.assertEqual(s["X_FRAME_OPTIONS"], "DENY")
        self.assertEqual(s["SECURE_PROXY_SSL_HEADER"], ["HTTP_X_FORWARDED_PROTO", "https"])
        self.assertEqual(s["ALLOWED_HOSTS"], ["livinglab.example.go.id"], "the public host by default")

    def test_preload_and_hosts_from_the_environment(self):
        s = self.settings_in(
            "livinglab.settings.production",
            self.NAMES,
            SECURE_HSTS_PRELOAD="true",
            SECURE_HSTS_SECONDS="600",
            ALLOWED_HOSTS="livinglab.example.go.id, 10.0.0.11",
        )
        self.assertIs(s["SECURE_HSTS_PRELOAD"], True)
        self.assertEqual(s["SILENCED_SYSTEM_CHECKS"], [], "nothing silenced once preloading is asked for")
        self.assertEqual(s["SECURE_HSTS_SECONDS"], 600)
        self.assertEqual(s["ALLOWED_HOSTS"], ["livinglab.example.go.id", "10.0.0.11"])


class PublicAddressSettingsTests(SubprocessTestCase):
    def test_production_refuses_to_start_without_a_public_address(self):
        self.assertIn(
            "WAGTAILADMIN_BASE_URL", self.refusal("livinglab.settings.production", WAGTAILADMIN_BASE_URL=None)
        )
        for bad in ("livinglab.example.go.id", "https://livinglab.example.go.id/lab/", "ftp://livinglab.example.go.id"):
            with self.subTest(bad):
                self.assertIn(repr(bad), self.refusal("livinglab.settings.production", WAGTAILADMIN_BASE_URL=bad))

    def test_production_refuses_to_start_without_a_secret_key(self):
        self.assertIn("SECRET_KEY", self.refusal("livinglab.settings.production", SECRET_KEY=None))

    def test_the_api_and_the_sender_follow_the_public_address(self):
        s = self.settings_in(
            "livinglab.settings.production",
            ["WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL", "DEFAULT_FROM_EMAIL"],
            WAGTAILADMIN_BASE_URL="https://lab.example.go.id",
            DEFAULT_FROM_EMAIL=None,
        )
        self.assertEqual(s["WAGTAILAPI_BASE_URL"], "https://lab.example.go.id")
        self.assertEqual(s["DEFAULT_FROM_EMAIL"], "Living Lab <noreply@lab.example.go.id>")


class EmailBackendTests(SubprocessTestCase):
    def backend(self, module: str, **changes) -> str:
        return self.settings_in(module, ["EMAIL_BACKEND"], **changes)["EMAIL_BACKEND"]

    def test_production_sends_through_smtp_when_nothing_is_said(self):
        self.assertEqual(self.backend("livinglab.settings.production", EMAIL_BACKEND=None), SMTP)
        self.assertEqual(self.backend("livinglab.settings.production", EMAIL_BACKEND=""), SMTP)

    def test_production_uses_the_console_only_when_asked_for_by_name(self):
        self.assertEqual(self.backend("livinglab.settings.production", EMAIL_BACKEND=CONSOLE), CONSOLE)

    def test_development_keeps_the_console_default(self):
        self.assertEqual(self.backend("livinglab.settings.dev", EMAIL_BACKEND=None), CONSOLE)

    def test_smtp_gives_up_on_a_silent_server(self):
        timeout = self.settings_in("livinglab.settings.production", ["EMAIL_TIMEOUT"], EMAIL_TIMEOUT=None)
        self.assertEqual(timeout["EMAIL_TIMEOUT"], 10)
