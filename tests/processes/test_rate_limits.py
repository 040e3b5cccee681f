"""Limits on repetition hold across processes: gunicorn with two workers (production settings, a database of
its own), counters in the database and then in Redis. Each worker asked more often than the limit, together
they allow it once; failed admin sign-ins on any worker lock the username out on every worker."""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from .cluster import PASSWORD, Answer

pytestmark = pytest.mark.processes

AUTOCOMPLETE_LIMIT = 4
FAILURE_LIMIT = 3
REDIS_URL = os.environ.get("LIVINGLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
        pytest.skip(f"Redis at {REDIS_URL} does not answer ({error})")
    return REDIS_URL


LIMITS = {"RATE_LIMIT_AUTOCOMPLETE": f"{AUTOCOMPLETE_LIMIT}/1d", "ADMIN_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT)}
USER = "penjaga-batas"  # signs in only here: the lockout must not reach the other modules' users


@pytest.fixture(scope="module")
def limited(installed):
    """The shared installation with tight limits and a user of this module's own."""
    installed.shell(
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser({USER!r}, 'penjaga@example.go.id', {PASSWORD!r})\n"
    )
    saved = {name: installed.env.get(name) for name in LIMITS}
    installed.env.update(LIMITS)
    yield installed
    installed.stop()
    for name, value in saved.items():
        if value is None:
            installed.env.pop(name, None)
        else:
            installed.env[name] = value
    installed.manage("axes_reset")


@pytest.fixture(scope="module", params=["database", "redis"])
def site(request, limited):
    """The servers running with the counters in the database, then in Redis."""
    limited.stop()
    limited.set_redis(_redis_or_skip() if request.param == "redis" else None)
    limited.manage("axes_reset")  # the database run locked the user out (attempts are rows, whatever the cache)
    limited.start()
    limited.store = request.param
    yield limited
    limited.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AdminBrowser:
    """A client with cookies that signs in to the admin as a browser would (the form's CSRF token)."""

    def __init__(self, base: str):
        self.base = base
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, NoRedirect())

    def _open(self, request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.headers.get("X-Worker-Pid", ""), response.status, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.headers.get("X-Worker-Pid", ""), error.code, error.read())

    def sign_in(self, username: str, password: str) -> Answer:
        form = self._open(urllib.request.Request(self.base + "/admin/login/"))  # noqa: S310 (loopback)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        return self._open(urllib.request.Request(self.base + "/admin/login/", data=data.encode()))  # noqa: S310


def until_every_worker(site, ask, enough) -> list[Answer]:
    """Ask four at a time until each worker has answered `enough` times (at most 60 rounds)."""
    pids = site.worker_pids()
    answers: list[Answer] = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(60):
            answers += pool.map(lambda _n: ask(), range(4))
            per_worker = Counter(answer.pid for answer in answers)
            if all(per_worker[pid] >= enough for pid in pids):
                return answers
    raise AssertionError(f"not every worker answered {enough} times: {Counter(a.pid for a in answers)}")


def test_autocomplete_is_counted_once_for_every_worker(site):
    answers = until_every_worker(
        site, lambda: site.get("/api/v1/search/autocomplete/?q=layanan"), enough=AUTOCOMPLETE_LIMIT + 1
    )
    statuses = Counter(answer.status for answer in answers)
    # each worker answered more often than the limit: a count per process would have allowed it on each
    assert statuses == {200: AUTOCOMPLETE_LIMIT, 429: len(answers) - AUTOCOMPLETE_LIMIT}, (site.store, statuses)
    refused = next(answer for answer in answers if answer.status == 429).json()
    assert refused["errors"] == {}
    assert refused["error"].startswith("Terlalu banyak permintaan dari alamat Anda.")


def test_failed_sign_ins_lock_the_username_out_on_every_worker(site):
    browser = AdminBrowser(site.base)
    failures = [browser.sign_in(USER, "salah-" + str(n)) for n in range(FAILURE_LIMIT)]
    assert [answer.status for answer in failures] == [200] * (FAILURE_LIMIT - 1) + [429]

    answers = until_every_worker(site, lambda: AdminBrowser(site.base).sign_in(USER, PASSWORD), enough=1)
    assert {answer.status for answer in answers} == {429}, Counter((a.pid, a.status) for a in answers)
    assert "Terlalu banyak percobaan masuk yang gagal" in answers[0].text
