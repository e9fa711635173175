"""Predicates: may this user do X to this object. One place, used by views, templates
(`{% has_perm %}`) and services alike."""

from typing import Any

import rules

from apps.enterprises.models import Authority, Enterprise, Role
from apps.enterprises.scopes import scope_for


def _authority_id(obj: Any) -> int | None:
    if isinstance(obj, Authority):
        return obj.pk
    if isinstance(obj, Enterprise):
        return obj.authority_id
    return getattr(obj, "authority_id", None)


def _enterprise_id(obj: Any) -> int | None:
    if isinstance(obj, Enterprise):
        return obj.pk
    return getattr(obj, "enterprise_id", None)


@rules.predicate
def is_admin(user: Any) -> bool:
    return scope_for(user).is_admin


@rules.predicate
def is_enterprise_member(user: Any, obj: Any) -> bool:
    return scope_for(user).enterprise_role(_enterprise_id(obj)) is not None


@rules.predicate
def is_enterprise_lead(user: Any, obj: Any) -> bool:
    return scope_for(user).enterprise_role(_enterprise_id(obj)) == Role.LEAD


@rules.predicate
def is_authority_reviewer(user: Any, obj: Any) -> bool:
    """Reviewer or lead reviewer of the authority that supervises ``obj``."""
    return scope_for(user).authority_role(_authority_id(obj)) is not None


@rules.predicate
def is_lead_reviewer(user: Any, obj: Any) -> bool:
    return scope_for(user).authority_role(_authority_id(obj)) == Role.LEAD_REVIEWER


rules.add_perm(
    "enterprises.view_enterprise", is_admin | is_enterprise_member | is_authority_reviewer
)
rules.add_perm("enterprises.edit_enterprise_contact", is_admin | is_enterprise_member)
rules.add_perm(
    "enterprises.view_enterprise_members", is_admin | is_enterprise_lead | is_authority_reviewer
)
rules.add_perm("enterprises.view_authority", is_admin | is_authority_reviewer)
rules.add_perm("enterprises.lead_authority", is_admin | is_lead_reviewer)
