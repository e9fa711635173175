"""Fetch-and-authorize helpers: the only way a view obtains an enterprise or authority.

Anything outside the user's scope is a 404, not a 403, so that a guessed URL does not even
confirm that the object exists.
"""

from typing import Any

from django.shortcuts import get_object_or_404

from apps.enterprises.models import Authority, Enterprise


def get_enterprise_for_user(user: Any, credit_code: str) -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.for_user(user).select_related("authority", "parent"),
        credit_code=credit_code.upper(),
    )


def get_authority_for_user(user: Any, code: str) -> Authority:
    return get_object_or_404(Authority.objects.for_user(user), code=code.upper())
