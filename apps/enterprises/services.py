from typing import Any

from django.db import transaction

from apps.audit.services import audit_log
from apps.enterprises.models import (
    AUTHORITY_ROLES,
    ENTERPRISE_ROLES,
    GROUP_ROLES,
    Authority,
    Enterprise,
    Membership,
)
from apps.enterprises.scopes import forget_scope


@transaction.atomic
def enterprise_create(
    *, actor: Any | None = None, ip_address: str | None = None, **fields: Any
) -> Enterprise:
    enterprise = Enterprise(**fields)
    enterprise.full_clean()
    enterprise.save()
    audit_log(
        actor=actor,
        action="enterprise.create",
        target=enterprise,
        data={"credit_code": enterprise.credit_code, "authority": enterprise.authority.code},
        ip_address=ip_address,
    )
    return enterprise


@transaction.atomic
def membership_grant(
    *,
    user: Any,
    role: str,
    enterprise: Enterprise | None = None,
    authority: Authority | None = None,
    actor: Any | None = None,
    ip_address: str | None = None,
) -> Membership:
    """Give ``user`` ``role`` in an enterprise or an authority (replacing an earlier role
    there), and audit it."""
    if role in ENTERPRISE_ROLES or role in GROUP_ROLES:
        if enterprise is None or authority is not None:
            raise ValueError("An enterprise role needs an enterprise and no authority.")
        if role in GROUP_ROLES and enterprise.parent_id is not None:
            raise ValueError("A group role is held in a group headquarters.")
        lookup: dict[str, Any] = {"user": user, "enterprise": enterprise}
    elif role in AUTHORITY_ROLES:
        if authority is None or enterprise is not None:
            raise ValueError("An authority role needs an authority and no enterprise.")
        lookup = {"user": user, "authority": authority}
    else:
        raise ValueError(f"Unknown role {role!r}")
    membership, created = Membership.objects.select_for_update().get_or_create(
        **lookup, defaults={"role": role}
    )
    before = None if created else {"role": membership.role, "is_active": membership.is_active}
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    if created or before != {"role": role, "is_active": True}:
        audit_log(
            actor=actor,
            action="membership.grant",
            target=membership,
            data={"user": user.email, "role": role, "before": before},
            ip_address=ip_address,
        )
    forget_scope(user)
    return membership


CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "address")


@transaction.atomic
def enterprise_update_contact(
    *, enterprise: Enterprise, actor: Any, ip_address: str | None = None, **fields: Any
) -> Enterprise:
    """Change an enterprise's contact fields (and nothing else); audit what changed."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changes = {
        name: {"before": getattr(locked, name), "after": value}
        for name, value in fields.items()
        if getattr(locked, name) != value
    }
    if not changes:
        return locked
    for name, change in changes.items():
        setattr(locked, name, change["after"])
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    audit_log(
        actor=actor,
        action="enterprise.contact_update",
        target=locked,
        data={"changes": changes},
        ip_address=ip_address,
    )
    return locked
