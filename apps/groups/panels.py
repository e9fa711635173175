"""The group's section of a group headquarters' page: its tree of subsidiaries, each with
the state of what it files to the group, and (for the group's filing officer and lead
reviewer) which subsidiaries file. A fixed number of queries: one per tier, the
obligations' own, and the policy."""

from typing import Any

from django.http import HttpRequest

from apps.enterprises.models import Enterprise, Role
from apps.enterprises.panels import Panel, register_enterprise_panel
from apps.enterprises.scopes import scope_for
from apps.groups.models import GroupFilingPolicy
from apps.groups.selectors import subsidiaries_by_tier
from apps.timeline.obligations import obligations_for
from apps.timeline.selectors import active_deliverables_and_stages


def can_set_policy(user: Any, group: Enterprise) -> bool:
    scope = scope_for(user)
    return scope.enterprise_role(group.pk) == Role.LEAD or (
        scope.group_role(group.pk) == Role.GROUP_LEAD_REVIEWER
    )


def group_panel(request: HttpRequest, enterprise: Enterprise) -> Panel | None:
    if enterprise.parent_id is not None:
        return None
    tiers = subsidiaries_by_tier(enterprise)
    if not tiers:
        return None
    units = [e for level in tiers.values() for e in level]
    filing_units = [e for e in units if e.files_to_group]
    deliverables, _stages = active_deliverables_and_stages()
    states: dict[int, list[Any]] = {e.pk: [] for e in filing_units}
    # obligations_for keeps each unit to the deliverables it owes.
    for ob in obligations_for(filing_units, deliverables=deliverables):
        states[ob.enterprise.pk].append(ob)
    policy = GroupFilingPolicy.objects.filter(group=enterprise).prefetch_related("listed").first()
    return Panel(
        "groups/_group_panel.html",
        {
            "group": enterprise,
            "tiers": [
                (tier, [(unit, states.get(unit.pk)) for unit in level])
                for tier, level in tiers.items()
            ],
            "policy": policy,
            "listed_ids": {e.pk for e in policy.listed.all()} if policy else set(),
            "can_set_policy": can_set_policy(request.user, enterprise),
            "tier_choices": range(1, len(tiers) + 1),
        },
        order=15,
    )


register_enterprise_panel(group_panel)
