"""The production kit's files agree with the code: gunicorn's configuration, the systemd units and Procfile,
the nginx example, the runbook's commands and .env.example's list of variables."""

import os
import re
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.test import SimpleTestCase

from .environment import ROOT, documented_environment, production_environment, run

DEPLOY = ROOT / "deploy"
CODE = [*ROOT.glob("livinglab/**/*.py"), *ROOT.glob("cms/**/*.py"), *ROOT.glob("casestudies/**/*.py"),
        *ROOT.glob("search/**/*.py"), DEPLOY / "gunicorn.conf.py"]  # fmt: skip
ENV_READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)|os\.environ\.get|os\.environ\.setdefault|database_config)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)


class GunicornConfigTests(SimpleTestCase):
    def printed_config(self, **changes) -> dict[str, str]:
        """gunicorn's resolved settings (it loads the application too: the production environment is given)."""
        tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))
        result = run(
            ["-m", "gunicorn", "--print-config", "-c", "deploy/gunicorn.conf.py"],
            production_environment(tmp, **changes),
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.M))

    def test_workers_timeout_and_proxies_from_the_environment(self):
        config = self.printed_config(WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45", FORWARDED_ALLOW_IPS="10.0.0.1")
        self.assertEqual(config["wsgi_app"], "livinglab.wsgi:application")
        self.assertEqual(config["workers"], "3")
        self.assertEqual(config["timeout"], "45")
        self.assertEqual(config["forwarded_allow_ips"], "['10.0.0.1']")
        self.assertEqual(config["accesslog"], "-")

    def test_defaults_several_workers_on_loopback(self):
        unset = dict.fromkeys(["WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS"])
        config = self.printed_config(**unset)
        self.assertEqual(config["workers"], str((os.cpu_count() or 1) * 2 + 1))
        self.assertEqual(config["bind"], "['127.0.0.1:8000']")
        self.assertEqual(config["forwarded_allow_ips"], "['127.0.0.1', '::1']")
        self.assertEqual(config["timeout"], "60")


class ProcessFilesTests(SimpleTestCase):
    def manage_commands(self, text: str) -> set[str]:
        return set(re.findall(r"manage(?:\.py|\.sh) ([a-z_]+)", text))

    def test_every_command_they_run_exists(self):
        known = set(get_commands())
        files = [
            *DEPLOY.glob("systemd/*.service"),
            DEPLOY / "Procfile",
            ROOT / "docs" / "deploy.md",
            ROOT / "README.md",
        ]
        named = set()
        for path in files:
            commands = self.manage_commands(path.read_text(encoding="utf-8"))
            self.assertLessEqual(commands, known, path.name)
            named |= commands
        for needed in ("migrate", "load_reference_data", "collectstatic", "createsuperuser", "db_worker",
                       "publish_scheduled", "clearsessions", "prune_db_task_results", "check",
                       "send_digests"):  # fmt: skip
            self.assertIn(needed, named)

    def test_the_procfile_runs_gunicorn_and_the_worker(self):
        lines = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines() if line)
        self.assertEqual(lines["web"], "gunicorn -c deploy/gunicorn.conf.py")
        self.assertEqual(lines["worker"], "python manage.py db_worker")

    def test_every_timer_starts_a_service_of_the_same_name(self):
        timers = sorted(DEPLOY.glob("systemd/*.timer"))
        self.assertEqual(
            [t.stem for t in timers], ["livinglab-digests", "livinglab-maintenance", "livinglab-publish-scheduled"]
        )
        for timer in timers:
            service = timer.with_suffix(".service").read_text()
            self.assertIn("Type=oneshot", service)
            self.assertIn("OnCalendar=", timer.read_text())

    def test_units_read_the_environment_file_and_run_in_the_checkout(self):
        for unit in DEPLOY.glob("systemd/*.service"):
            text = unit.read_text()
            with self.subTest(unit.name):
                self.assertIn("EnvironmentFile=/etc/livinglab/env", text)
                self.assertIn("WorkingDirectory=/srv/livinglab/app", text)
                self.assertIn("User=livinglab", text)


class NginxExampleTests(SimpleTestCase):
    def setUp(self):
        self.conf = (DEPLOY / "nginx" / "livinglab.conf").read_text()

    def test_uploads_up_to_the_document_limit_get_through(self):
        limit_mb = int(re.search(r"client_max_body_size (\d+)m;", self.conf).group(1))
        documented = documented_environment()
        for name in ("DOCUMENT_MAX_UPLOAD_MB", "IMAGE_MAX_UPLOAD_MB"):
            self.assertGreater(limit_mb, int(documented[name]), name)
        self.assertGreater(limit_mb * 1024 * 1024, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)

    def test_media_from_media_root_but_documents_only_through_wagtail(self):
        alias = re.search(r"location /media/ \{\s*alias ([^;]+);", self.conf).group(1)
        self.assertEqual(alias.rstrip("/"), documented_environment()["MEDIA_ROOT"])
        self.assertRegex(self.conf, r"location /media/documents/ \{\s*return 404;")
        self.assertEqual(settings.WAGTAILDOCS_SERVE_METHOD, "serve_view")

    def test_every_proxied_location_says_how_the_client_came(self):
        proxied = self.conf.count("proxy_pass http://livinglab;")
        self.assertEqual(proxied, 2, "/healthz over HTTP and everything over HTTPS")
        self.assertEqual(self.conf.count("proxy_set_header X-Forwarded-Proto $scheme;"), proxied)
        self.assertEqual(self.conf.count("proxy_set_header Host $host;"), proxied)
        self.assertIn("location = /healthz", self.conf)
        self.assertIn("return 301 https://$host$request_uri;", self.conf)


class EnvironmentListTests(SimpleTestCase):
    def test_env_example_lists_every_variable_the_code_reads(self):
        listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M))
        read = {name for path in CODE for name in ENV_READ.findall(path.read_text(encoding="utf-8"))}
        self.assertGreater(len(read), 30)
        self.assertEqual(read - listed, set())
        self.assertEqual(listed - read, set(), "listed but read by nothing")

    def test_the_scan_sees_what_it_should(self):
        self.assertIn(sys.modules[__name__].__file__, [str(p) for p in ROOT.glob("tests/deploy/*.py")])
        self.assertEqual(ENV_READ.findall('env_bool("SECURE_COOKIES", True) os.environ.get("DATABASE_URL")'),
                         ["SECURE_COOKIES", "DATABASE_URL"])  # fmt: skip
