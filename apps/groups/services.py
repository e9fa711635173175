"""Setting a group's filing policy, and what follows from it: which subsidiaries file to the
group (``Enterprise.files_to_group``, kept in step here and nowhere else)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.enterprises.models import Enterprise
from apps.groups.models import GroupFilingPolicy
from apps.groups.selectors import subsidiaries_by_tier

MAX_TIER = 5


class PolicyRefused(ValueError):
    pass


@transaction.atomic
def group_policy_set(
    *,
    group: Enterprise,
    max_tier: int | None,
    listed: list[Enterprise] | None = None,
    commission_sees_subsidiaries: bool = True,
    actor: Any = None,
    ip_address: str | None = None,
) -> GroupFilingPolicy:
    """Which subsidiaries of ``group`` file to it: those down to ``max_tier`` and those
    ``listed``. Subsidiaries left out stop owing filings (what they filed stays)."""
    if group.parent_id is not None:
        raise PolicyRefused(_("Only a group headquarters sets who files to the group."))
    if max_tier is not None and not 1 <= max_tier <= MAX_TIER:
        raise PolicyRefused(_("The tier is from 1 to %(max)d.") % {"max": MAX_TIER})
    tiers = subsidiaries_by_tier(group)
    members = {e.pk for level in tiers.values() for e in level}
    listed = list(listed or [])
    strangers = [e for e in listed if e.pk not in members]
    if strangers:
        raise PolicyRefused(
            _("%(name)s is not a subsidiary of this group.") % {"name": strangers[0].name_zh}
        )
    policy, _created = GroupFilingPolicy.objects.update_or_create(
        group=group,
        defaults={
            "max_tier": max_tier,
            "commission_sees_subsidiaries": commission_sees_subsidiaries,
            "updated_by": actor,
        },
    )
    policy.listed.set(listed)
    filing = {e.pk for tier, level in tiers.items() for e in level if max_tier and tier <= max_tier}
    filing |= {e.pk for e in listed}
    Enterprise.objects.filter(pk__in=members - filing, files_to_group=True).update(
        files_to_group=False
    )
    Enterprise.objects.filter(pk__in=filing, files_to_group=False).update(files_to_group=True)
    if actor is not None:
        audit_log(
            actor=actor,
            action="groups.policy_set",
            target=group,
            data={
                "max_tier": max_tier,
                "listed": sorted(e.pk for e in listed),
                "filing": len(filing),
                "commission_sees_subsidiaries": commission_sees_subsidiaries,
            },
            ip_address=ip_address,
        )
    return policy
