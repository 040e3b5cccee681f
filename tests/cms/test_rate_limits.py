"""Limits on repetition (cms/rate_limits.py): the report form per address and case study, the CSV exports and
autocomplete per address; 429 with Retry-After in the reader's language (JSON for the APIs); counters in the
database (or Redis) that end with their window and are deleted after it."""

import os
from unittest import mock

from django.core import checks
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

import pytest

from casestudies.models import ContentReport
from cms import rate_limits
from cms.models import RateCounter
from livinglab.env import parse_rate
from tests.utils import SiteTestCase, make_case_study

HOUR = 3600
T0 = 1_800_000_000.0  # a moment at the start of an hour (divisible by 3600)
GENEROUS = (100_000, HOUR)


def limits(**changes):
    """The test settings' generous limits with `changes` (name → (count, seconds))."""
    return override_settings(
        LIVINGLAB_RATE_LIMITS={"report": GENEROUS, "csv": GENEROUS, "autocomplete": GENEROUS, **changes}
    )


class Clock:
    """`cms.rate_limits.clock`, moved by hand."""

    def __init__(self, now: float = T0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class ClockMixin:
    def setUp(self):
        super().setUp()
        self.clock = Clock()
        patcher = mock.patch.object(rate_limits, "clock", self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)


class ReportLimitTests(ClockMixin, SiteTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.page = make_case_study(cls.page_a, title="Kanal Aduan Terpadu", indicators=(42,))
        cls.other = make_case_study(cls.page_a, title="Mal Pelayanan Publik", indicators=(45,))

    def report(self, page=None, *, address="203.0.113.7", prefix=""):
        url = f"{prefix}/laporkan/{(page or self.page).pk}/"  # not reverse(): it follows the active language
        return self.client.post(url, {"reason": "inaccurate"}, REMOTE_ADDR=address)

    @limits(report=(3, HOUR))
    def test_three_reports_then_429_until_the_hour_is_over(self):
        for _ in range(3):
            self.assertEqual(self.report().status_code, 302)
        refused = self.report()
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], str(HOUR))
        self.assertContains(refused, "Terlalu banyak permintaan", status_code=429)
        self.assertContains(refused, "Coba lagi dalam 60 menit.", status_code=429)
        self.assertEqual(ContentReport.objects.count(), 3)

        self.clock.now += 45 * 60
        self.assertEqual(self.report()["Retry-After"], str(15 * 60))
        self.clock.now += 15 * 60  # the next window
        self.assertEqual(self.report().status_code, 302)
        self.assertEqual(ContentReport.objects.count(), 4)

    @limits(report=(1, HOUR))
    def test_per_case_study_and_per_address(self):
        self.assertEqual(self.report().status_code, 302)
        self.assertEqual(self.report().status_code, 429)
        self.assertEqual(self.report(self.other).status_code, 302)
        self.assertEqual(self.report(address="198.51.100.9").status_code, 302)
        self.assertEqual(ContentReport.objects.count(), 3)

    @limits(report=(1, HOUR))
    def test_english_under_en(self):
        self.report(prefix="")
        refused = self.report(prefix="/en")
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, "Too many requests", status_code=429)
        self.assertContains(refused, "Try again in 60 minutes.", status_code=429)

    @limits(report=(1, HOUR))
    def test_an_invalid_form_is_not_counted(self):
        url = f"/laporkan/{self.page.pk}/"
        self.assertEqual(self.client.post(url, {"reason": "because"}, REMOTE_ADDR="203.0.113.7").status_code, 400)
        self.assertEqual(self.report().status_code, 302)

    @limits(report=(2, HOUR))
    def test_two_hundred_reports_store_two(self):
        """The finding: 200 anonymous reports on one case study in a row were all stored."""
        answers = [self.report().status_code for _ in range(200)]
        self.assertEqual(answers.count(302), 2)
        self.assertEqual(answers.count(429), 198)
        self.assertEqual(ContentReport.objects.count(), 2)


class CsvLimitTests(ClockMixin, SiteTestCase):
    @limits(csv=(2, HOUR))
    def test_open_data_csv_then_the_page_with_retry_after(self):
        for _ in range(2):
            self.assertEqual(self.client.get("/data/praktik-baik.csv").status_code, 200)
        refused = self.client.get("/data/praktik-baik.csv")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], str(HOUR))
        self.assertContains(refused, "Terlalu banyak permintaan dari alamat Anda.", status_code=429)
        self.clock.now += HOUR
        self.assertEqual(self.client.get("/data/praktik-baik.csv").status_code, 200)

    @limits(csv=(2, HOUR))
    def test_search_csv_shares_the_budget_and_answers_json(self):
        self.assertEqual(self.client.get("/data/praktik-baik.csv").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/search/", {"format": "csv"}).status_code, 200)
        refused = self.client.get("/api/v1/search/", {"q": "aduan", "format": "csv"})
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], str(HOUR))
        self.assertEqual(
            refused.json(),
            {"error": "Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam 60 menit.", "errors": {}},
        )
        english = self.client.get("/api/v1/search/", {"format": "csv", "lang": "en"}).json()
        self.assertEqual(english["error"], "Too many requests from your address. Try again in 60 minutes.")
        # JSON searches are not exports: not counted, not refused
        self.assertEqual(self.client.get("/api/v1/search/", {"q": "aduan"}).status_code, 200)
        self.assertEqual(self.client.get("/data/praktik-baik.csv", REMOTE_ADDR="198.51.100.9").status_code, 200)

    @limits(csv=(1, HOUR))
    def test_bad_parameters_answer_400_before_the_limit_counts(self):
        self.assertEqual(self.client.get("/api/v1/search/", {"format": "csv", "page": "0"}).status_code, 400)
        self.assertEqual(self.client.get("/api/v1/search/", {"format": "csv"}).status_code, 200)


class AutocompleteLimitTests(ClockMixin, SiteTestCase):
    URL = "/api/v1/search/autocomplete/"

    @limits(autocomplete=(5, 60))
    def test_five_a_minute(self):
        for _ in range(5):
            self.assertEqual(self.client.get(self.URL, {"q": "pengad"}).status_code, 200)
        self.clock.now += 50
        refused = self.client.get(self.URL, {"q": "pengadu"})
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "10")
        self.assertEqual(
            refused.json()["error"], "Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam 10 detik."
        )
        self.assertEqual(refused.json()["errors"], {})
        english = self.client.get(self.URL, {"q": "pengadu", "lang": "en"}).json()
        self.assertEqual(english["error"], "Too many requests from your address. Try again in 10 seconds.")
        self.clock.now += 10
        self.assertEqual(self.client.get(self.URL, {"q": "pengadu"}).status_code, 200)


class ClientAddressTests(SimpleTestCase):
    def address(self, remote="10.0.0.1", forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return rate_limits.client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))

    @override_settings(LIVINGLAB_TRUSTED_PROXIES=0)
    def test_without_proxies_the_header_is_not_believed(self):
        self.assertEqual(self.address(forwarded="198.51.100.1"), "10.0.0.1")

    @override_settings(LIVINGLAB_TRUSTED_PROXIES=1)
    def test_behind_nginx_the_address_nginx_appended(self):
        self.assertEqual(self.address("127.0.0.1", "198.51.100.1"), "198.51.100.1")
        # what the client wrote itself stands to the left of what nginx appended
        self.assertEqual(self.address("127.0.0.1", "1.2.3.4, 5.6.7.8, 198.51.100.1"), "198.51.100.1")
        self.assertEqual(self.address("127.0.0.1"), "127.0.0.1")
        self.assertEqual(self.address("127.0.0.1", "not-an-address"), "127.0.0.1")

    def test_no_address_is_none_not_a_made_up_one(self):
        """gunicorn on a Unix socket gives no REMOTE_ADDR; django-axes stores this value in an address column."""
        self.assertIsNone(self.address(""))
        self.assertIsNone(self.address("not-an-address"))

    @override_settings(LIVINGLAB_TRUSTED_PROXIES=2)
    def test_a_load_balancer_before_nginx(self):
        self.assertEqual(self.address("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.5"), "198.51.100.1")
        self.assertEqual(self.address("127.0.0.1", "198.51.100.1"), "198.51.100.1")

    def test_ipv6_counts_per_64_and_the_address_is_not_stored(self):
        def key(remote):
            return rate_limits.client_key(RequestFactory().get("/", REMOTE_ADDR=remote))

        self.assertEqual(key("2001:db8:1:2::10"), key("2001:db8:1:2:ffff::1"))
        self.assertNotEqual(key("2001:db8:1:2::10"), key("2001:db8:1:3::10"))
        self.assertEqual(key("::ffff:198.51.100.1"), key("198.51.100.1"))
        self.assertNotIn("198", key("198.51.100.1"))


class CounterTableTests(ClockMixin, TestCase):
    def test_ended_windows_are_deleted_when_a_new_window_starts(self):
        RateCounter.objects.create(name="csv:old", window_start=int(T0) - 2 * HOUR, hits=9, expires_at=int(T0) - HOUR)
        RateCounter.objects.create(name="csv:live", window_start=int(T0), hits=1, expires_at=int(T0) + HOUR)
        rate_limits._last_prune[0] = 0.0
        with limits(csv=(5, HOUR)):
            rate_limits.hit("csv", "someone")
        self.assertEqual(set(RateCounter.objects.values_list("name", flat=True)), {"csv:live", "csv:someone"})

    def test_pruning_runs_at_most_once_a_minute_per_process(self):
        rate_limits._last_prune[0] = self.clock.now
        RateCounter.objects.create(name="csv:old", window_start=int(T0) - 2 * HOUR, hits=9, expires_at=int(T0) - HOUR)
        with limits(csv=(5, HOUR)):
            rate_limits.hit("csv", "first")
            self.assertTrue(RateCounter.objects.filter(name="csv:old").exists())
            self.clock.now += rate_limits.PRUNE_EVERY
            rate_limits.hit("csv", "second")
        self.assertFalse(RateCounter.objects.filter(name="csv:old").exists())

    def test_one_row_per_client_and_window(self):
        with limits(autocomplete=(3, 60)):
            decisions = [rate_limits.hit("autocomplete", "k") for _ in range(4)]
            self.assertEqual(list(RateCounter.objects.values_list("window_start", "hits")), [(int(T0), 4)])
            self.clock.now += 60
            rate_limits._last_prune[0] = 0.0
            later = rate_limits.hit("autocomplete", "k")
        self.assertEqual([d.hits for d in decisions], [1, 2, 3, 4])
        self.assertEqual([d.allowed for d in decisions], [True, True, True, False])
        self.assertTrue(later.allowed)
        # the ended window's row went as the new one began
        self.assertEqual(list(RateCounter.objects.values_list("window_start", "hits")), [(int(T0) + 60, 1)])


REDIS_URL = os.environ.get("LIVINGLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class RedisCounterTests(ClockMixin, SimpleTestCase):
    """The store with REDIS_URL: the same limit, counted in Redis (keys expire with their window)."""

    def setUp(self):
        super().setUp()
        import uuid

        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.RedisError as error:
            if os.environ.get("CI"):
                pytest.fail(f"Redis at {REDIS_URL} does not answer: {error}")
            pytest.skip(f"Redis at {REDIS_URL} does not answer ({error})")
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                 "KEY_PREFIX": "limits-test-" + uuid.uuid4().hex}  # fmt: skip
        self.enterContext(override_settings(CACHES={"default": cache}, LIVINGLAB_RATE_LIMIT_STORE="cache"))
        self.enterContext(limits(autocomplete=(3, 60)))

    def test_n_then_refused_then_the_next_window(self):
        decisions = [rate_limits.hit("autocomplete", "k").allowed for _ in range(4)]
        self.assertEqual(decisions, [True, True, True, False])
        self.clock.now += 60
        self.assertTrue(rate_limits.hit("autocomplete", "k").allowed)

    def test_the_key_expires_with_its_window(self):
        from django.core.cache import cache

        rate_limits.hit("autocomplete", "k")
        ttl = cache._cache.get_client(None).ttl(cache.make_and_validate_key(f"livinglab:rate:autocomplete:k:{int(T0)}"))
        self.assertTrue(0 < ttl <= 61, ttl)


class SettingsTests(SimpleTestCase):
    def test_rates_are_written_count_slash_period(self):
        self.assertEqual(parse_rate("5/1h"), (5, 3600))
        self.assertEqual(parse_rate("120/1m"), (120, 60))
        self.assertEqual(parse_rate("30/600s"), (30, 600))
        self.assertEqual(parse_rate("10/d"), (10, 86400))
        for bad in ("5", "x/1h", "5/1y", "0/1h", "5/0s", "²/1h", "5/-1h"):
            with self.subTest(bad), self.assertRaises(ValueError):
                parse_rate(bad)

    def test_a_per_process_cache_is_refused_as_the_store(self):
        from cms.checks import rate_limit_store_is_shared

        with override_settings(LIVINGLAB_RATE_LIMIT_STORE="cache"):
            self.assertEqual([e.id for e in rate_limit_store_is_shared()], ["livinglab.E004"])
        with override_settings(LIVINGLAB_RATE_LIMIT_STORE="memory"):
            self.assertEqual([e.id for e in rate_limit_store_is_shared()], ["livinglab.E003"])
        self.assertEqual(rate_limit_store_is_shared(), [])
        self.assertIn(rate_limit_store_is_shared, checks.registry.registry.registered_checks)
