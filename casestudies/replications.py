"""Services for replications (writes): a region says it applies another region's case study; each in the audit log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from cms.sanitize import plain_text

from .models import CaseStudyPage, Region, Replication
from .notifications import REPLICATION, notify

LOG_ADD = "livinglab.replication.add"
LOG_REMOVE = "livinglab.replication.remove"


@transaction.atomic
def replication_add(*, case_study: CaseStudyPage, region: Region, user, note: str = "") -> Replication:
    """Record that `region` applies the case study; refused for its own region and for a page not live."""
    if not case_study.live:
        raise ValidationError(_("Praktik baik ini belum terbit."))
    if case_study.region == region:
        raise ValidationError(_("Ini praktik baik daerah Anda sendiri."))
    if Replication.objects.filter(case_study=case_study, region=region).exists():
        raise ValidationError(_("%(region)s sudah tercatat mereplikasi praktik baik ini.") % {"region": region.name})
    replication = Replication.objects.create(
        case_study=case_study, region=region, added_by=user, note=plain_text(note)[:500]
    )
    log(instance=case_study, action=LOG_ADD, user=user, data={"region": region.code})
    notify(REPLICATION, replication.pk)  # the case study's region's officers, once committed
    return replication


@transaction.atomic
def replication_remove(*, replication: Replication, user, user_region: Region | None) -> None:
    """The replicating region's officers, or a moderator, take a replication back."""
    if replication.region != user_region and not user.has_perm("casestudies.delete_replication"):
        raise PermissionDenied
    log(instance=replication.case_study, action=LOG_REMOVE, user=user, data={"region": replication.region.code})
    replication.delete()
