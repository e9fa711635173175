"""Reads for the people pages, and the fetch-and-authorize helpers for their objects.

Anything the user may not manage is a 404, as for enterprises and authorities."""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Authority, Enterprise, Membership
from apps.people.models import Invitation, hash_token

ADMIN_ROLE = "admin"


def _memberships_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("enterprise", "authority").order_by(
            "-is_active", "role", "pk"
        ),
    )


def _with_mfa(queryset: QuerySet[User]) -> QuerySet[User]:
    return queryset.annotate(
        has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def user_list(
    *,
    query: str = "",
    role: str = "",
    authority: Authority | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """Users for the administrators' list: memberships prefetched with their enterprise or
    authority, so the page costs the same number of queries at any size."""
    users = User.objects.all()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    if active is not None:
        users = users.filter(is_active=active)
    if role == ADMIN_ROLE:
        users = users.filter(is_staff=True)
        role = ""
    if role or authority is not None:
        # One membership must match both conditions: role X *in* authority Y.
        memberships = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
        if role:
            memberships = memberships.filter(role=role)
        if authority is not None:
            memberships = memberships.filter(
                Q(authority=authority) | Q(enterprise__authority=authority)
            )
        users = users.filter(Exists(memberships))
    return _with_mfa(users).prefetch_related(_memberships_prefetch()).order_by("email")


def get_user_for_admin(actor: Any, pk: int) -> User:
    if not actor.has_perm("people.manage_users"):
        raise Http404
    return get_object_or_404(
        _with_mfa(User.objects.prefetch_related(_memberships_prefetch())), pk=pk
    )


def get_membership_for_manager(actor: Any, pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("user", "enterprise", "authority"), pk=pk
    )
    if not actor.has_perm("people.manage_membership", membership):
        raise Http404
    return membership


def get_invitation_for_manager(actor: Any, pk: int) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("enterprise", "authority", "invited_by"), pk=pk
    )
    if not actor.has_perm("people.manage_invitation", invitation):
        raise Http404
    return invitation


def scope_memberships(
    *, enterprise: Enterprise | None = None, authority: Authority | None = None
) -> QuerySet[Membership]:
    """Everyone who holds, or held, a role at one enterprise or authority."""
    if enterprise is not None:
        memberships = Membership.objects.filter(enterprise=enterprise)
    else:
        memberships = Membership.objects.filter(authority=authority)
    return memberships.select_related("user").order_by(
        "-is_active", "-user__is_active", "role", "user__full_name", "user__email"
    )


def scope_invitations(
    *, enterprise: Enterprise | None = None, authority: Authority | None = None
) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer (pending or expired, not revoked/accepted)."""
    return (
        Invitation.objects.for_scope(enterprise=enterprise, authority=authority)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def open_invitations() -> QuerySet[Invitation]:
    """Every invitation still waiting for an answer, for the administrators' page."""
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("enterprise", "authority", "invited_by")
        .order_by("-created_at")
    )


def invitations_for_email(email: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(email__iexact=email).select_related(
        "enterprise", "authority", "invited_by"
    )


def account_for_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def user_events(user: User, limit: int = 20) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_target(user).select_related("actor")[:limit])


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("enterprise", "authority", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def audit_events(*, action: str = "", actor: str = "", target: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__email__icontains=actor)
    if target:
        events = events.filter(
            Q(target_repr__icontains=target) | Q(target_id=target) | Q(target_type=target)
        )
    return events.order_by("-created_at", "-id")


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
