"""Invitations: a one-time link by e-mail with which a new officer sets their first password.

The token is Django's password-reset token with its own salt, so a password-reset link is never an invitation and
the other way round. It hashes the password and the last login: once a password is set, the link is spent. It
expires after `LIVINGLAB_INVITATION_DAYS` days (Django's check uses PASSWORD_RESET_TIMEOUT, which is for resets).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from wagtail.log_actions import log

from cms.integers import MAX_PK, ascii_int

LOG_INVITE = "livinglab.officer.invite"
LOG_ACCEPT = "livinglab.officer.accept"
LOG_DEACTIVATE = "livinglab.officer.deactivate"
LOG_REACTIVATE = "livinglab.officer.reactivate"


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"  # the password was set (or the officer signed in) since the link was made
    INVALID = "invalid"  # not a link we made for this account, or the account is closed


def invitation_days() -> int:
    return int(getattr(settings, "LIVINGLAB_INVITATION_DAYS", 7))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "livinglab.casestudies.invitations"

    def link_state(self, user, token: str) -> LinkState:
        if user is None or not user.is_active or not token or "-" not in token:
            return LinkState.INVALID
        ts_b36 = token.split("-", 1)[0]
        try:
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return LinkState.INVALID
        made_for_this_state = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not made_for_this_state:
            # Our token for an earlier state of the account: the password was set or the officer signed in.
            return LinkState.USED if user.has_usable_password() or user.last_login else LinkState.INVALID
        if self._num_seconds(self._now()) - timestamp > invitation_days() * 24 * 3600:
            return LinkState.EXPIRED
        return LinkState.VALID

    def check_token(self, user, token) -> bool:
        return self.link_state(user, token) is LinkState.VALID


invitation_tokens = InvitationTokenGenerator()


@dataclass(frozen=True)
class Invitation:
    user: object
    url: str


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("officer-invitation", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def user_from_link(uidb64: str):
    """The account a link names, or None (a garbled or unknown id)."""
    try:
        pk = ascii_int(force_str(urlsafe_base64_decode(uidb64)), low=1, high=MAX_PK)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if pk is None:
        return None
    return get_user_model().objects.filter(pk=pk).first()


def invitation_send(*, user, region_name: str, invited_by=None) -> Invitation:
    """E-mail the officer (in Indonesian) a link to set their password; logged in Wagtail's audit log."""
    invitation = Invitation(user=user, url=invitation_url(user))
    context = {
        "user": user,
        "region_name": region_name,
        "url": invitation.url,
        "days": invitation_days(),
        "invited_by": invited_by,
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
    with translation.override("id"):
        subject = render_to_string("casestudies/email/invitation_subject.txt", context).strip()
        body = render_to_string("casestudies/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    log(instance=user, action=LOG_INVITE, user=invited_by, data={"region": region_name})
    return invitation
