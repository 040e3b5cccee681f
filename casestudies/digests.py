"""The weekly e-mail digest: what is new on the indicators and regions a user follows — case studies published
that week, questions and answers a moderator published that week on such case studies, and new index values of
the followed regions — sent once per user and ISO week by `send_digests`
(run weekly by livinglab-digests.timer: docs/deploy.md).

Idempotent across runs and processes: a `DigestSent` row (unique per user and week) is written in the same
transaction as the mail is sent; a second run, or a second machine, finds it and sends nothing. A mail that fails
rolls its row back, so the next run tries again. An empty week sends nothing.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import AggregateScore, DigestSent, Follow, Indicator, Origin, Question, Region, Scope
from .notifications import Mail, absolute, mail_send
from .selectors import case_studies_live

log = logging.getLogger(__name__)

WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_window(week: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00 of an ISO week ("2026-W49"), in the site's time zone."""
    match = WEEK.fullmatch(week)
    if match is None:
        raise ValueError(f"not an ISO week like 2026-W49: {week!r}")
    monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    return start, start + datetime.timedelta(days=7)


def last_week(now: datetime.datetime | None = None) -> str:
    """The ISO week that ended most recently (the timer runs on Monday morning)."""
    today = timezone.localdate(now or timezone.now())
    return iso_week(today - datetime.timedelta(days=7))


@dataclass
class Digest:
    indicators: list[Indicator] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    case_studies: list = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    scores: list[AggregateScore] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.case_studies and not self.questions and not self.scores


def digest_for(user, week: str) -> Digest:
    """What is new for `user` in `week` on what they follow (public case studies only; evaluations, not others'
    self-assessments)."""
    start, end = week_window(week)
    follows = list(Follow.objects.filter(user=user).select_related("indicator", "region"))
    digest = Digest(
        indicators=[f.indicator for f in follows if f.indicator_id],
        regions=[f.region for f in follows if f.region_id],
    )
    if not follows:
        return digest
    about = Q(indicator_claims__indicator__in=digest.indicators) | Q(region_code__in=[r.code for r in digest.regions])
    digest.case_studies = list(
        case_studies_live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .filter(about)
        .distinct()
        .order_by("-first_published_at")
    )
    # Answered questions reach a digest only once public: published on a case study that is live.
    digest.questions = list(
        Question.objects.filter(
            published_at__gte=start,
            published_at__lt=end,
            case_study__in=case_studies_live().filter(about).values("pk"),
        )
        .select_related("case_study", "region", "asking_region")
        .order_by("-published_at")
    )
    digest.scores = list(
        AggregateScore.objects.filter(
            region__in=digest.regions, scope=Scope.INDEX, created_at__gte=start, created_at__lt=end
        )
        .exclude(origin=Origin.SELF_ASSESSED)
        .select_related("region")
        .order_by("region__name", "-year")
    )
    return digest


def followers():
    return (
        get_user_model()
        .objects.filter(is_active=True, follows__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def send_digests(*, week: str) -> dict[str, int]:
    """Send `week`'s digest to every follower who has not had it; {sent, empty, already, failed}."""
    week_window(week)  # refuse a malformed week before anything is written
    counts = {"sent": 0, "empty": 0, "already": 0, "failed": 0}
    for user in followers():
        if DigestSent.objects.filter(user=user, week=week).exists():
            counts["already"] += 1
            continue
        digest = digest_for(user, week)
        if digest.is_empty:
            counts["empty"] += 1
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, week=week)  # another process sending it fails here
                mail_send(Mail(user, "digest", {"digest": digest, "week": week, "follow_url": absolute("/")}))
        except IntegrityError:
            counts["already"] += 1
        except Exception:
            log.exception("Digest %s for user %s was not sent", week, user.pk)
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
