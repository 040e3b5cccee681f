"""Services for replications (writes): a region says it applies another region's case study; each in the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from cms.data_version import data_changed
from cms.sanitize import plain_text

from .models import CaseStudyPage, Region, Replication
from .notifications import REPLICATION, notify
from .signals import case_studies_changed

LOG_ADD = "livinglab.replication.add"
LOG_REMOVE = "livinglab.replication.remove"
LOG_UPDATE = "livinglab.replication.update"


@transaction.atomic
def replication_add(
    *,
    case_study: CaseStudyPage,
    region: Region,
    user,
    note: str = "",
    start_year: int | None = None,
    status: str = Replication.Status.IN_PROGRESS,
) -> Replication:
    """Record that `region` applies the case study (since `start_year`, with `status`); refused for its own
    region and for a page not live."""
    if not case_study.live:
        raise ValidationError(_("Praktik baik ini belum terbit."))
    if case_study.region == region:
        raise ValidationError(_("Ini praktik baik daerah Anda sendiri."))
    if Replication.objects.filter(case_study=case_study, region=region).exists():
        raise ValidationError(_("%(region)s sudah tercatat mereplikasi praktik baik ini.") % {"region": region.name})
    replication = Replication(
        case_study=case_study,
        region=region,
        added_by=user,
        note=plain_text(note)[:500],
        start_year=start_year,
        status=status,
    )
    replication.full_clean(exclude=["added_by"])  # none when recorded by a command
    replication.save()
    log(instance=case_study, action=LOG_ADD, user=user, data={"region": region.code, "status": status})
    notify(REPLICATION, replication.pk)  # the case study's region's officers, once committed
    _changed(case_study)
    return replication


@transaction.atomic
def replication_update(
    *, replication: Replication, user, user_region: Region | None, start_year: int | None, status: str, note: str
) -> Replication:
    """The replicating region's officers (or a moderator) record how the replication goes."""
    if replication.region != user_region and not user.has_perm("casestudies.change_replication"):
        raise PermissionDenied
    replication.start_year, replication.status, replication.note = start_year, status, plain_text(note)[:500]
    replication.full_clean(exclude=["added_by"])  # none when recorded by a command
    replication.save(update_fields=["start_year", "status", "note"])
    log(
        instance=replication.case_study,
        action=LOG_UPDATE,
        user=user,
        data={"region": replication.region.code, "status": status, "start_year": start_year},
    )
    _changed(replication.case_study)
    return replication


@transaction.atomic
def replication_remove(*, replication: Replication, user, user_region: Region | None) -> None:
    """The replicating region's officers, or a moderator, take a replication back."""
    if replication.region != user_region and not user.has_perm("casestudies.delete_replication"):
        raise PermissionDenied
    log(instance=replication.case_study, action=LOG_REMOVE, user=user, data={"region": replication.region.code})
    case_study = replication.case_study
    replication.delete()
    _changed(case_study)


def _changed(case_study: CaseStudyPage) -> None:
    """The peer link counts replications (derived reads renew with the data version) and search sorts by the
    successful ones (the case study is re-indexed)."""
    data_changed()
    case_studies_changed.send(sender=Replication, page_ids={case_study.pk})
