"""The MFA policy and the recovery-code helpers shared by views, services and demo data."""

from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.enterprises.scopes import scope_for

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def mfa_required(user: Any) -> bool:
    """Reviewers, lead reviewers and administrators must use a second factor: they read
    every filing of the enterprises they supervise. Enterprise users may opt in.

    Reads the per-request scope, so the check costs no query the page would not make anyway.
    """
    scope = scope_for(user)
    return scope.is_admin or bool(scope.authority_roles) or bool(scope.group_roles)


def totp_device_for(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: Any) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
