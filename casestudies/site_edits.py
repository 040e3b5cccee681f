"""Edits made on the site that an import must not overwrite without a word (docs/import-export.md).

A revision is an edit on the site when a person saved it (it has a user) and no import logged it as its own. The
export writes with each record the revision its content is (`revision`, "ID@TIME": Wagtail saves a person's
repeated drafts into the same revision, so the id alone does not tell an edit since). An import line may replace a
page when the page's latest revision is the one the line was exported at, or not an edit on the site (the last
import, or a page nobody edited in the admin); otherwise it is refused unless the operator overwrites, which is
logged.
"""

from datetime import UTC

from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import PageLogEntry, Revision

from .models import CaseStudyPage

LOG_IMPORT = "livinglab.case_study.import"
LOG_OVERWRITE = "livinglab.case_study.import_overwrite"
IMPORT_ACTIONS = (LOG_IMPORT, LOG_OVERWRITE)


def revision_marker(revision: Revision | None) -> str | None:
    """How a record names the revision it was exported at: `ID@TIME` (UTC, to the microsecond)."""
    if revision is None:
        return None
    return f"{revision.pk}@{revision.created_at.astimezone(UTC).isoformat()}"


def site_edit_since(page: CaseStudyPage, *, exported_at: str | None) -> Revision | None:
    """The page's latest revision when it is an edit on the site that the line exported at `exported_at` lacks."""
    latest = Revision.objects.filter(pk=page.latest_revision_id).select_related("user").first()
    if latest is None or latest.user_id is None or revision_marker(latest) == exported_at:
        return None
    if PageLogEntry.objects.filter(page_id=page.pk, revision_id=latest.pk, action__in=IMPORT_ACTIONS).exists():
        return None
    return latest


def describe(revision: Revision) -> str:
    """`changed on the site on DATE by USER` for an import's error line (operators read it in the terminal)."""
    when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    return f"changed on the site on {when} by {revision.user.get_username()}"


def log_import(
    *, page: CaseStudyPage, revision: Revision, overwritten: Revision | None, source: str, user=None
) -> None:
    """The page history's entry for an import's revision; an overwrite names the edit it replaced."""
    data = {"file": source}
    if overwritten is not None:
        data.update(
            overwritten_revision=overwritten.pk,
            overwritten_by=overwritten.user.get_username(),
            overwritten_at=overwritten.created_at.isoformat(),
        )
    log(
        instance=page,
        action=LOG_OVERWRITE if overwritten is not None else LOG_IMPORT,
        revision=revision,
        content_changed=True,
        data=data,
        user=user,
    )
