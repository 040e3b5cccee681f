"""Limits on repetition: how often one client may do one thing (report a case study, export CSV, autocomplete).

A view asks `rate_limit(request, "csv")`: None while the client is within the limit, else the 429 answer to
return (the page in the reader's language, or JSON for an API), with `Retry-After`. Limits are settings
(`LIVINGLAB_RATE_LIMITS`: name → (count, seconds), from `RATE_LIMIT_*`), counted per fixed window: the first
`count` requests of a window pass, the rest wait until it ends.

Production is several processes and maybe several machines, so counters live where all of them count: a row of
the database per client and window, incremented by one upsert that returns the new count (one statement on
SQLite and PostgreSQL, as search/analytics.py counts queries), or Redis when `REDIS_URL` is set
(`LIVINGLAB_RATE_LIMIT_STORE`). Never process memory: each worker would allow the limit again.

The client is `REMOTE_ADDR`, or, when `LIVINGLAB_TRUSTED_PROXIES` proxies stand in front (nginx: 1), the address
the outermost of them saw, read from the right of `X-Forwarded-For` (what a client writes there itself is to the
left and is never believed). An IPv6 client counts by its /64 network, which one machine usually owns whole.
Counters store a keyed digest of the address, never the address.
"""

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

clock = time.time  # tests move it
PRUNE_EVERY = 60  # seconds: how often at most one process deletes the counters of ended windows
_last_prune = [0.0]

# RateCounter's table; (name, window_start) is its unique constraint.
COUNT_HIT = (
    "INSERT INTO cms_ratecounter (name, window_start, hits, expires_at) VALUES (%s, %s, 1, %s) "
    "ON CONFLICT (name, window_start) DO UPDATE SET hits = cms_ratecounter.hits + 1 RETURNING hits"
)
PRUNE = "DELETE FROM cms_ratecounter WHERE expires_at <= %s"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    limit: int
    retry_after: int  # seconds until the window ends


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when there is none (gunicorn on a Unix socket, a request made up by
    Django's test client); also django-axes' `AXES_CLIENT_IP_CALLABLE`, which stores it. See the docstring above."""
    peer = _ip(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.LIVINGLAB_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            # not an address (a misconfigured proxy): the connection's peer instead
            peer = _ip(forwarded[-min(proxies, len(forwarded))]) or peer
    return str(peer) if peer is not None else None


def client_key(request: HttpRequest) -> str:
    """A keyed digest of the client's address (its /64 network for IPv6), short enough for any cache key."""
    address = client_address(request) or "unknown"
    ip = _ip(address)
    if ip is not None and ip.version == 6:
        address = str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


class DatabaseCounter:
    name = "database"

    def hit(self, name: str, window_start: int, expires_at: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(COUNT_HIT, [name, window_start, expires_at])
            hits = cursor.fetchone()[0]
            if hits == 1 and clock() - _last_prune[0] >= PRUNE_EVERY:  # a new window: now and then, tidy up
                _last_prune[0] = clock()
                cursor.execute(PRUNE, [int(clock())])
        return hits


class CacheCounter:
    """Redis (the shared cache): `add` then `incr` are atomic there; the key expires with its window."""

    name = "cache"

    def hit(self, name: str, window_start: int, expires_at: int) -> int:
        key = f"livinglab:rate:{name}:{window_start}"
        timeout = max(1, expires_at - int(clock())) + 1
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
            return 1


COUNTERS = {counter.name: counter for counter in (DatabaseCounter(), CacheCounter())}


def rate(limit: str) -> tuple[int, int]:
    return settings.LIVINGLAB_RATE_LIMITS[limit]


def hit(limit: str, key: str) -> Decision:
    """Count one request of `key` (the client, and what it acts on) under `limit`; may it go ahead?"""
    count, seconds = rate(limit)
    now = clock()
    window_start = int(now // seconds) * seconds
    expires_at = window_start + seconds
    hits = COUNTERS[settings.LIVINGLAB_RATE_LIMIT_STORE].hit(f"{limit}:{key}", window_start, expires_at)
    return Decision(allowed=hits <= count, hits=hits, limit=count, retry_after=max(1, math.ceil(expires_at - now)))


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d detik", "%(count)d detik", seconds) % {"count": seconds}
    if seconds < 90 * 60:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d menit", "%(count)d menit", minutes) % {"count": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)d jam", "%(count)d jam", hours) % {"count": hours}


def too_many_requests(request: HttpRequest, decision: Decision, *, api: bool, message: str = "") -> HttpResponse:
    """429: JSON `{"error", "errors"}` for APIs, else the page in the request's language; `Retry-After` on both."""
    wait = wait_text(decision.retry_after)
    text = (
        (message or _("Terlalu banyak permintaan dari alamat Anda."))
        + " "
        + _("Coba lagi dalam %(wait)s.") % {"wait": wait}
    )
    if api:
        response = JsonResponse({"error": text, "errors": {}}, status=429)
    else:
        response = render(request, "429.html", {"message": text}, status=429)
    response["Retry-After"] = str(decision.retry_after)
    return response


def rate_limit(request: HttpRequest, limit: str, *, key: str = "", api: bool = False, message: str = ""):
    """Count this request under `limit` for its client (and `key`, what it acts on): None to go ahead, or the
    429 response to return."""
    decision = hit(limit, f"{client_key(request)}:{key}" if key else client_key(request))
    if decision.allowed:
        return None
    return too_many_requests(request, decision, api=api, message=message)
