"""Anonymous query statistics: per day and normalised query, how often it was searched and its last result count.
No user, session, IP or region is stored."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import QueryStat
from .text import normalize


def record(query: str, results: int) -> None:
    text = normalize(query)[:200]
    if not text:
        return
    today = timezone.localdate()
    updated = QueryStat.objects.filter(day=today, query=text).update(searches=F("searches") + 1, results=results)
    if updated:
        return
    try:
        with transaction.atomic():
            QueryStat.objects.create(day=today, query=text, searches=1, results=results)
    except IntegrityError:  # another request created it first
        QueryStat.objects.filter(day=today, query=text).update(searches=F("searches") + 1, results=results)


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
