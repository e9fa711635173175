"""Who may manage whom.

Administrators manage everyone. An enterprise lead manages the editors of their enterprise; a
lead reviewer manages the reviewers of their authority. Nobody below an administrator can
grant a lead role: that would let a lead appoint further leads.

The objects passed in are an Enterprise or Authority (the page), a Membership or an
Invitation (the row acted on); the enterprises predicates read ``enterprise_id`` /
``authority_id`` from any of them.
"""

from typing import Any

import rules

from apps.enterprises.models import Role
from apps.enterprises.rules import is_admin, is_enterprise_lead, is_lead_reviewer


@rules.predicate
def is_editor_row(user: Any, obj: Any) -> bool:
    return getattr(obj, "role", None) == Role.EDITOR


@rules.predicate
def is_reviewer_row(user: Any, obj: Any) -> bool:
    return getattr(obj, "role", None) == Role.REVIEWER


# Pages
rules.add_perm("people.manage_users", is_admin)
rules.add_perm("people.view_audit", is_admin)
rules.add_perm("people.manage_enterprise_people", is_admin | is_enterprise_lead)
rules.add_perm("people.manage_authority_people", is_admin | is_lead_reviewer)

# Inviting into a role (object: the enterprise or authority)
rules.add_perm("people.invite_editor", is_admin | is_enterprise_lead)
rules.add_perm("people.invite_lead", is_admin)
rules.add_perm("people.invite_reviewer", is_admin | is_lead_reviewer)
rules.add_perm("people.invite_lead_reviewer", is_admin)

# Acting on one membership or one invitation (deactivate, reactivate, resend, revoke)
manages_row = is_admin | (is_enterprise_lead & is_editor_row) | (is_lead_reviewer & is_reviewer_row)
rules.add_perm("people.manage_membership", manages_row)
rules.add_perm("people.manage_invitation", manages_row)

INVITE_PERMISSION: dict[str, str] = {
    Role.EDITOR: "people.invite_editor",
    Role.LEAD: "people.invite_lead",
    Role.REVIEWER: "people.invite_reviewer",
    Role.LEAD_REVIEWER: "people.invite_lead_reviewer",
}


def invitable_roles(user: Any, scope: Any, roles: tuple[str, ...]) -> list[str]:
    """Of ``roles``, those ``user`` may invite someone into at ``scope``."""
    return [role for role in roles if user.has_perm(INVITE_PERMISSION[role], scope)]
