"""Onboarding a region: its page, officers group and collection, one account per officer, and their invitations.

Used by `manage.py onboard_region` and the moderators' "Daerah & petugas" admin view. Idempotent: running it again
adds what is missing and changes nothing else. Accounts get the e-mail address as username and no usable password;
the officer sets one through the invitation link (casestudies.invitations). Nothing here knows a password.
"""

import smtplib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from .invitations import LOG_DEACTIVATE, LOG_REACTIVATE, invitation_send
from .models import Region, RegionPage
from .services import admin_language_set, region_page_create


class OnboardingError(ValueError):
    """Bad input: nothing was written."""


@dataclass
class OfficerOutcome:
    email: str
    created: bool = False
    invited: bool = False
    note: str = ""


@dataclass
class OnboardingReport:
    region: Region
    page: RegionPage
    page_created: bool
    officers: list[OfficerOutcome] = field(default_factory=list)


def normalize_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OnboardingError(_("Alamat e-mail tidak sah: %(email)r.") % {"email": raw}) from None
    return email


def region_for_code(code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise OnboardingError(_("Kode daerah tidak dikenal: %(code)r (contoh: 32.11).") % {"code": code})
    return region


def officer_region_page(user) -> RegionPage | None:
    return RegionPage.objects.filter(officers_group__user=user).select_related("region").first()


def region_onboard(*, code: str, emails: list[str], names: list[str] = (), resend: bool = False, invited_by=None):
    """Give the region its page, group and collection, and each e-mail an officer account, then invite the new ones
    (and, with `resend`, those who have not set a password yet). Raises OnboardingError before writing anything."""
    region = region_for_code(code)
    addresses = list(dict.fromkeys(normalize_email(raw) for raw in emails))
    users = get_user_model().objects
    for email in addresses:
        user = users.filter(username__iexact=email).first()
        other = officer_region_page(user) if user else None
        if other and other.region_id != region.pk:
            raise OnboardingError(
                _("%(email)s sudah menjadi petugas %(region)s.") % {"email": email, "region": other.region.name}
            )
    with transaction.atomic():
        page_created = not RegionPage.objects.filter(region=region).exists()
        page = region_page_create(region=region)
        report = OnboardingReport(region=region, page=page, page_created=page_created)
        to_invite = []
        for index, email in enumerate(addresses):
            name = names[index].strip() if index < len(names) and names[index] else ""
            user = users.filter(username__iexact=email).first()
            outcome = OfficerOutcome(email=email)
            if user is None:
                user = users.create_user(username=email, email=email, password=None, first_name=name[:150])
                outcome.created = True
            user.groups.add(page.officers_group)
            admin_language_set(user=user)
            if outcome.created or (resend and not user.has_usable_password() and user.is_active):
                to_invite.append((user, outcome))
            elif not user.has_usable_password():
                outcome.note = _("sudah diundang; kirim ulang dengan --resend")
            else:
                outcome.note = _("sudah punya kata sandi")
            report.officers.append(outcome)
    # After the commit: an e-mail is never sent for an account that was rolled back.
    for user, outcome in to_invite:
        outcome.invited, outcome.note = officer_invite(user=user, region=region, invited_by=invited_by)
    return report


def officer_invite(*, user, region: Region, invited_by=None) -> tuple[bool, str]:
    """Send (or send again) an officer's invitation; (sent, note). A mail server that refuses is reported."""
    if user.has_usable_password():
        return False, _("sudah punya kata sandi")
    if not user.is_active:
        return False, _("akun nonaktif")
    try:
        invitation_send(user=user, region_name=region.name, invited_by=invited_by)
    except (smtplib.SMTPException, OSError) as error:
        return False, _("undangan gagal dikirim (%(error)s); kirim ulang nanti") % {"error": error}
    return True, _("undangan terkirim")


@transaction.atomic
def officer_set_active(*, user, active: bool, by=None) -> None:
    """Deactivate (or reactivate) an officer's account: they can no longer sign in; their pages stay."""
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    log(instance=user, action=LOG_REACTIVATE if active else LOG_DEACTIVATE, user=by)


def onboarded_regions():
    """Region pages with their officers, for the moderators' overview."""
    return (
        RegionPage.objects.select_related("region", "officers_group")
        .prefetch_related("officers_group__user_set")
        .order_by("region__code")
    )
