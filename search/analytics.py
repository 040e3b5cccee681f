"""Anonymous query statistics: per day and normalised query, how often it was searched and its last result count.
No user, session, IP or region is stored."""

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from .models import QueryStat
from .text import normalize

# QueryStat's table; (day, query) is its unique constraint.
COUNT_SEARCH = (
    "INSERT INTO search_querystat (day, query, searches, results) VALUES (%s, %s, 1, %s) "
    "ON CONFLICT (day, query) DO UPDATE SET searches = search_querystat.searches + 1, results = excluded.results"
)


def record(query: str, results: int) -> None:
    """Count one search of `query`: a single upsert (one statement, on SQLite and PostgreSQL alike), so that two
    workers counting the same query at once both count and neither waits for a second round trip."""
    text = normalize(query)[:200]
    if not text:
        return
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SEARCH, [timezone.localdate(), text, results])


def top_queries(*, days: int = 30, limit: int = 50):
    since = timezone.localdate() - timezone.timedelta(days=days)
    return (
        QueryStat.objects.filter(day__gte=since)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )


def zero_result_queries(*, days: int = 30, limit: int = 50):
    since = timezone.localdate() - timezone.timedelta(days=days)
    return (
        QueryStat.objects.filter(day__gte=since, results=0)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:limit]
    )
