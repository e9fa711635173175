"""Writes for people: invitations, memberships, user activation and MFA.

Each service checks the actor's right itself (a view's check is a convenience, not the
guard), writes, and records an audit event in the same transaction. Refusals raise
``Refused`` with a message in the active language, ready to show.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.accounts.services import user_create, user_end_sessions
from apps.audit.services import audit_log
from apps.enterprises.models import (
    AUTHORITY_ROLES,
    ENTERPRISE_ROLES,
    Authority,
    Enterprise,
    Membership,
    Role,
)
from apps.enterprises.scopes import forget_scope
from apps.enterprises.services import membership_grant
from apps.people.mfa import RECOVERY_DEVICE_NAME, TOTP_DEVICE_NAME, mfa_required
from apps.people.models import Invitation, InvitationStatus, hash_token
from apps.people.rules import INVITE_PERMISSION


class Refused(PermissionDenied):
    """The actor may not do this; ``message`` says why, in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvitationUnavailable(Exception):
    """The link cannot be used: it was accepted, revoked or has expired."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


# A lead outranks an editor, a lead reviewer a reviewer: accepting an old invitation must
# never demote someone who was promoted since.
ROLE_RANK: dict[str, int] = {Role.EDITOR: 0, Role.LEAD: 1, Role.REVIEWER: 0, Role.LEAD_REVIEWER: 1}


def _scope_kwargs(
    role: str, enterprise: Enterprise | None, authority: Authority | None
) -> dict[str, Any]:
    if role in ENTERPRISE_ROLES:
        if enterprise is None or authority is not None:
            raise ValueError("An enterprise role needs an enterprise and no authority.")
        return {"enterprise": enterprise}
    if role in AUTHORITY_ROLES:
        if authority is None or enterprise is not None:
            raise ValueError("An authority role needs an authority and no enterprise.")
        return {"authority": authority}
    raise ValueError(f"Unknown role {role!r}")


def _refuse_role(role: str) -> Refused:
    if role == Role.LEAD:
        return Refused(_("Only an administrator can make someone a filing officer."))
    if role == Role.LEAD_REVIEWER:
        return Refused(_("Only an administrator can make someone a lead reviewer."))
    return Refused(_("You may not invite people into this role here."))


def _require(actor: Any, permission: str, obj: Any = None) -> None:
    if not actor.has_perm(permission, obj):
        raise Refused(_("You may not do this."))


# --- Invitations --------------------------------------------------------------------------


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _expiry(now: datetime) -> datetime:
    return now + timedelta(hours=settings.INVITATION_EXPIRY_HOURS)


def _enqueue_invitation_email(invitation: Invitation, token: str, base_url: str) -> None:
    from apps.people.tasks import send_invitation_email  # tasks import this module

    # After commit: a rolled-back invitation sends nothing, and the worker finds the row.
    # DjangoTask's delay_on_commit is unknown to celery-types.
    send_invitation_email.delay_on_commit(invitation.pk, token, base_url)  # type: ignore[attr-defined]


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    role: str,
    base_url: str,
    enterprise: Enterprise | None = None,
    authority: Authority | None = None,
    full_name: str = "",
    language: str | None = None,
    ip_address: str | None = None,
) -> Invitation:
    """Invite ``email`` into ``role`` at an enterprise or an authority and email the link.

    ``base_url`` (scheme and host, from the request) makes the link absolute: the worker
    sending the email has no request of its own."""
    scope_kwargs = _scope_kwargs(role, enterprise, authority)
    scope = enterprise or authority
    if not actor.has_perm(INVITE_PERMISSION[role], scope):
        raise _refuse_role(role)
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not existing.is_active:
            raise Refused(
                _("The account %(email)s is deactivated. An administrator can reactivate it.")
                % {"email": email}
            )
        if Membership.objects.filter(user=existing, is_active=True, **scope_kwargs).exists():
            raise Refused(_("%(email)s is already a member here.") % {"email": email})
    if Invitation.objects.pending().filter(email=email, **scope_kwargs).exists():
        raise Refused(
            _("An invitation to %(email)s is already pending here. Resend it instead.")
            % {"email": email}
        )
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        role=role,
        language=language or actor.preferred_language,
        invited_by=actor,
        token_hash=token_hash,
        created_at=now,
        expires_at=_expiry(now),
        **scope_kwargs,
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=actor,
        action="invitation.send",
        target=invitation,
        data={"email": email, "role": role, "language": invitation.language},
        ip_address=ip_address,
    )
    _enqueue_invitation_email(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_resend(
    *, actor: User, invitation: Invitation, base_url: str, ip_address: str | None = None
) -> Invitation:
    """Send a fresh link (the old one stops working) with a fresh expiry."""
    _require(actor, "people.manage_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
        raise Refused(_("This invitation was accepted or revoked; it cannot be resent."))
    token, invitation.token_hash = _new_token()
    invitation.expires_at = _expiry(timezone.now())
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_log(
        actor=actor,
        action="invitation.resend",
        target=invitation,
        data={"email": invitation.email},
        ip_address=ip_address,
    )
    _enqueue_invitation_email(invitation, token, base_url)
    return invitation


@transaction.atomic
def invitation_revoke(
    *, actor: User, invitation: Invitation, ip_address: str | None = None
) -> Invitation:
    _require(actor, "people.manage_invitation", invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Refused(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log(
        actor=actor,
        action="invitation.revoke",
        target=invitation,
        data={"email": invitation.email},
        ip_address=ip_address,
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    ip_address: str | None = None,
) -> User:
    """Accept as the signed-in ``user`` (whose address the invitation names), or, when no
    account has that address yet, create one with ``full_name`` and ``password``."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("enterprise", "authority", "invited_by")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationUnavailable(invitation.status)
    created = user is None
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise Refused(_("An account with this address exists: log in to accept."))
        user = user_create(
            email=invitation.email,
            full_name=full_name.strip() or invitation.full_name,
            password=password,
            preferred_language=invitation.language,
        )
    elif user.email.lower() != invitation.email.lower() or not user.is_active:
        raise Refused(_("This invitation is for %(email)s.") % {"email": invitation.email})

    scope_kwargs = _scope_kwargs(invitation.role, invitation.enterprise, invitation.authority)
    current = Membership.objects.filter(user=user, is_active=True, **scope_kwargs).first()
    if current is not None and ROLE_RANK[current.role] > ROLE_RANK[invitation.role]:
        role_kept = current.role
    else:
        membership_grant(
            user=user,
            role=invitation.role,
            actor=invitation.invited_by,  # the grant is the inviter's decision
            ip_address=ip_address,
            **scope_kwargs,
        )
        role_kept = invitation.role
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_log(
        actor=user,
        action="invitation.accept",
        target=invitation,
        data={"email": invitation.email, "role": role_kept, "new_account": created},
        ip_address=ip_address,
    )
    forget_scope(user)
    return user


def invitation_email_send(*, invitation_id: int, token: str, base_url: str) -> bool:
    """Email the link, in the invitation's language. Skips (returns False) a link that was
    replaced by a resend, or an invitation no longer pending."""
    invitation = (
        Invitation.objects.select_related("enterprise", "authority", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.token_hash != hash_token(token):
        return False
    if not invitation.is_pending:
        return False
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "scope_name": invitation.scope.name,
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by.full_name,
            "link": base_url.rstrip("/") + reverse("people:invitation_accept", args=[token]),
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        subject = render_to_string("people/email/invitation_subject.txt", context)
        text = render_to_string("people/email/invitation.txt", context)
        html = render_to_string("people/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


# --- Memberships and users ----------------------------------------------------------------


@transaction.atomic
def membership_grant_checked(
    *,
    actor: User,
    user: User,
    role: str,
    enterprise: Enterprise | None = None,
    authority: Authority | None = None,
    ip_address: str | None = None,
) -> Membership:
    """An administrator gives ``user`` a role directly (no invitation)."""
    _require(actor, "people.manage_users")
    _scope_kwargs(role, enterprise, authority)
    return membership_grant(
        user=user,
        role=role,
        enterprise=enterprise,
        authority=authority,
        actor=actor,
        ip_address=ip_address,
    )


def _membership_set_active(
    *, actor: User, membership: Membership, active: bool, ip_address: str | None
) -> Membership:
    _require(actor, "people.manage_membership", membership)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=membership.pk)
    )
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    audit_log(
        actor=actor,
        action="membership.reactivate" if active else "membership.deactivate",
        target=membership,
        data={"user": membership.user.email, "role": membership.role},
        ip_address=ip_address,
    )
    # Scopes are computed per request, so the change applies from the user's next request.
    forget_scope(membership.user)
    return membership


@transaction.atomic
def membership_deactivate(
    *, actor: User, membership: Membership, ip_address: str | None = None
) -> Membership:
    return _membership_set_active(
        actor=actor, membership=membership, active=False, ip_address=ip_address
    )


@transaction.atomic
def membership_reactivate(
    *, actor: User, membership: Membership, ip_address: str | None = None
) -> Membership:
    return _membership_set_active(
        actor=actor, membership=membership, active=True, ip_address=ip_address
    )


@transaction.atomic
def user_deactivate(*, actor: User, user: User, ip_address: str | None = None) -> User:
    """Lock the account and end its open sessions at once."""
    _require(actor, "people.manage_users")
    if user.pk == actor.pk:
        raise Refused(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_end_sessions(user=user)
    audit_log(actor=actor, action="user.deactivate", target=user, ip_address=ip_address)
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, ip_address: str | None = None) -> User:
    _require(actor, "people.manage_users")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_log(actor=actor, action="user.reactivate", target=user, ip_address=ip_address)
    return user


# --- Two-factor authentication ------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    codes: set[str] = set()
    while len(codes) < settings.MFA_RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return sorted(codes)


def totp_matches(key_hex: str, token: str) -> int | None:
    """The time step at which ``token`` is valid for ``key_hex`` (± one step), else None."""
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time()
    if totp.verify(int(token), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def mfa_enrol(
    *, user: User, key_hex: str, token: str, ip_address: str | None = None
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm an authenticator app: ``token`` proves the user holds ``key_hex``. Returns
    the new device and ten recovery codes (shown once), or None for a wrong code.

    Ends the user's sessions: a session opened before enrolment (perhaps by whoever knew the
    password) must not carry on without the second factor. The caller keeps the enrolling
    session with update_session_auth_hash()."""
    matched_t = totp_matches(key_hex, token)
    if matched_t is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    # last_t stops the code just used from verifying again.
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=matched_t
    )
    codes = _new_recovery_codes(user)
    user_end_sessions(user=user)
    audit_log(actor=user, action="mfa.enrol", target=user, ip_address=ip_address)
    return device, codes


@transaction.atomic
def mfa_recovery_codes_regenerate(*, user: User, ip_address: str | None = None) -> list[str]:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Refused(_("Set up an authenticator app first."))
    codes = _new_recovery_codes(user)
    audit_log(
        actor=user, action="mfa.recovery_codes_regenerate", target=user, ip_address=ip_address
    )
    return codes


def _delete_devices(user: User) -> int:
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    deleted_static, _detail = StaticDevice.objects.filter(user=user).delete()
    return deleted + deleted_static


@transaction.atomic
def mfa_remove(*, user: User, ip_address: str | None = None) -> None:
    """An enterprise user switches MFA off for themselves; those who must use it cannot."""
    if mfa_required(user):
        raise Refused(_("Your role requires two-factor authentication; it cannot be removed."))
    if _delete_devices(user):
        audit_log(actor=user, action="mfa.remove", target=user, ip_address=ip_address)


@transaction.atomic
def mfa_reset(*, actor: User, user: User, ip_address: str | None = None) -> None:
    """An administrator removes a user's devices (lost phone). The user's sessions end too,
    since whoever holds the phone may hold a session; they enrol again at next login."""
    _require(actor, "people.manage_users")
    _delete_devices(user)
    user_end_sessions(user=user)
    audit_log(actor=actor, action="mfa.reset", target=user, ip_address=ip_address)


@dataclass(frozen=True)
class VerifyResult:
    device: Device | None = None
    locked_until: datetime | None = None


def _locked_until(device: Any) -> datetime | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return (data or {}).get("locked_until")


def mfa_verify(*, user: User, token: str, ip_address: str | None = None) -> VerifyResult:
    """Check a code from the authenticator app (six digits) or a recovery code (each works
    once). Wrong codes are throttled per device with exponential back-off (django-otp)."""
    token = "".join(token.split()).replace("-", "").lower()
    is_totp = token.isdigit() and len(token) == 6
    model: type[Device] = TOTPDevice if is_totp else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None or not token:
        return VerifyResult()
    locked = _locked_until(device)
    if locked is not None:
        return VerifyResult(locked_until=locked)
    with transaction.atomic():
        # verify_token locks the device row, so a code cannot be used twice concurrently,
        # and records a failure for the throttle; no exception is raised, so both commit.
        verified = otp_verify_token(user, device.persistent_id, token)
        if verified is not None and not is_totp:
            audit_log(
                actor=user,
                action="mfa.recovery_code_used",
                target=user,
                data={"codes_left": verified.token_set.count()},
                ip_address=ip_address,
            )
    return VerifyResult(device=verified)
