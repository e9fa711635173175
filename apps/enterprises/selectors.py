"""Fetch-and-authorize helpers: the only way a view obtains an enterprise or authority.

Anything outside the user's scope is a 404, not a 403, so that a guessed URL does not even
confirm that the object exists.
"""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.enterprises.models import Authority, Enterprise


def _allowed(user: Any, perm: str | None, obj: Any) -> Any:
    """With ``perm``, someone who may see the object but not do that to it gets the same
    404 as an outsider."""
    if perm is not None and not user.has_perm(perm, obj):
        raise Http404
    return obj


def get_enterprise_for_user(user: Any, credit_code: str, *, perm: str | None = None) -> Enterprise:
    enterprise = get_object_or_404(
        Enterprise.objects.for_user(user).select_related("authority", "parent"),
        credit_code=credit_code.upper(),
    )
    return _allowed(user, perm, enterprise)


def get_authority_for_user(user: Any, code: str, *, perm: str | None = None) -> Authority:
    return _allowed(
        user, perm, get_object_or_404(Authority.objects.for_user(user), code=code.upper())
    )
