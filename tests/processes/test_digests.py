"""The weekly digest goes out once per user and week even when two machines run `send_digests` at the same time
(two real processes on one production database; the mail backend is slow, so that both are inside at once)."""

import re
import subprocess
import sys

import pytest

from .cluster import ROOT

pytestmark = pytest.mark.processes

SETUP = """
from django.utils import timezone
from casestudies.digests import iso_week
from casestudies.models import Region, RegionPage
from casestudies.services import follow_set, officer_create
from tests.utils import make_case_study
region = Region.objects.get(code="35.10")
follower = officer_create(region=region, username="pengikut-digest", email="pengikut@example.test")
follow_set(user=follower, following=True, region=region)
make_case_study(RegionPage.objects.get(region=region), title="Satu data Banyuwangi", indicators=(42,))
print(iso_week(timezone.localdate()))
"""


def test_two_processes_send_one_digest(installed, tmp_path):
    week = installed.shell(SETUP).strip().splitlines()[-1]
    mail_dir = tmp_path / "mail"
    env = {
        **installed.env,
        "EMAIL_BACKEND": "tests.processes.slow_mail.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [sys.executable, str(ROOT / "manage.py"), "send_digests", "--week", week]
    runs = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    mails = [p.read_text(encoding="utf-8") for p in mail_dir.glob("*.log")]
    assert len(mails) == 1, f"one digest, not one per process: {outputs}"
    assert "Satu data Banyuwangi" in mails[0] and "pengikut@example.test" in mails[0]
    rows = installed.shell(
        "from casestudies.models import DigestSent\n"
        f"print(DigestSent.objects.filter(user__username='pengikut-digest', week={week!r}).count())"
    )
    assert rows.strip() == "1"
    sent = [int(re.search(r"(\d+) sent", out).group(1)) for out, _err in outputs]
    assert sorted(sent) == [0, 1], outputs
    again = installed.manage("send_digests", "--week", week).stdout
    assert f"digests {week}: 0 sent, 1 already sent" in again, again
