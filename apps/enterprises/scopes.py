"""What a user may see, loaded once per request.

Every permission check and scoped queryset reads the user's scope from here, so a page costs
one membership query however many objects it checks.
"""

from dataclasses import dataclass, field
from typing import Any

SCOPE_CACHE_ATTR = "_vc_scope"


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    enterprise_roles: dict[int, str] = field(default_factory=dict)
    authority_roles: dict[int, str] = field(default_factory=dict)
    # Reviewing roles held in a group headquarters (group reviewer, group lead reviewer):
    # kept apart from enterprise_roles, which open the enterprise's own drafts.
    group_roles: dict[int, str] = field(default_factory=dict)

    def enterprise_role(self, enterprise_id: int | None) -> str | None:
        return self.enterprise_roles.get(enterprise_id) if enterprise_id else None

    def authority_role(self, authority_id: int | None) -> str | None:
        return self.authority_roles.get(authority_id) if authority_id else None

    def group_role(self, group_id: int | None) -> str | None:
        return self.group_roles.get(group_id) if group_id else None

    def review_role(self, filing: Any) -> str | None:
        """Reviewer or lead reviewer toward this filing for the body that reviews it: its
        group headquarters (a group role, reviewing as its authority counterpart does) or
        its enterprise's authority. One rule for every review right."""
        return self.reviewing_role(
            group_id=filing.reviewing_group_id, authority_id=filing.enterprise.authority_id
        )

    def reviewing_role(self, *, group_id: int | None, authority_id: int | None) -> str | None:
        """Reviewer or lead reviewer for a reviewing body: the group ``group_id`` when given
        (its group role, as its authority counterpart), else the authority."""
        from apps.enterprises.models import GROUP_ROLE_REVIEWS_AS, Role

        if group_id:
            role = self.group_role(group_id)
            return GROUP_ROLE_REVIEWS_AS.get(Role(role)) if role else None
        return self.authority_role(authority_id)


EMPTY = Scope()


def scope_for(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from apps.enterprises.models import GROUP_ROLES, Membership

    enterprise_roles: dict[int, str] = {}
    authority_roles: dict[int, str] = {}
    group_roles: dict[int, str] = {}
    rows = Membership.objects.filter(user=user, is_active=True).values_list(
        "role", "enterprise_id", "authority_id"
    )
    for role, enterprise_id, authority_id in rows:
        if enterprise_id and role in GROUP_ROLES:
            group_roles[enterprise_id] = role
        elif enterprise_id:
            enterprise_roles[enterprise_id] = role
        elif authority_id:
            authority_roles[authority_id] = role
    scope = Scope(
        is_admin=bool(user.is_staff),
        enterprise_roles=enterprise_roles,
        authority_roles=authority_roles,
        group_roles=group_roles,
    )
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after changing a user's memberships in the same request."""
    if hasattr(user, SCOPE_CACHE_ATTR):
        delattr(user, SCOPE_CACHE_ATTR)
