"""Reads for reminders."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.enterprises.models import Role
from apps.enterprises.scopes import scope_for
from apps.reminders.models import ReminderOptOut, ReminderRule, RuleKind
from apps.timeline.models import Campaign


def locked_kinds() -> set[str]:
    """Kinds nobody may turn off: those with a mandatory active rule in an active campaign."""
    return set(
        ReminderRule.objects.filter(is_active=True, mandatory=True, campaign__is_active=True)
        .values_list("kind", flat=True)
        .distinct()
    )


def disabled_kinds(user: Any) -> set[str]:
    """The kinds ``user`` turned off (mandatory rules still reach them)."""
    return set(ReminderOptOut.objects.filter(user_id=user.pk).values_list("kind", flat=True))


# Who each kind of reminder goes to: a user sees the switches of the kinds that can reach them.
ENTERPRISE_KINDS = (RuleKind.BEFORE_DUE, RuleKind.ON_DUE, RuleKind.OVERDUE_REPEAT)
LEAD_REVIEWER_KINDS = (RuleKind.ESCALATION, RuleKind.REVIEW_WAITING)
REVIEWER_KINDS = (RuleKind.REVIEW_WAITING,)


def kinds_for(user: Any) -> set[str]:
    scope = scope_for(user)
    kinds: set[str] = set()
    if scope.enterprise_roles:
        kinds.update(ENTERPRISE_KINDS)
    for role in scope.authority_roles.values():
        kinds.update(LEAD_REVIEWER_KINDS if role == Role.LEAD_REVIEWER else REVIEWER_KINDS)
    return kinds


def preference_rows(user: Any) -> list[dict[str, Any]]:
    """One row per kind that can reach this user, for the preferences page: on or off, and
    whether it is locked."""
    locked = locked_kinds()
    off = disabled_kinds(user)
    mine = kinds_for(user)
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "mandatory": kind.value in locked,
            "enabled": kind.value in locked or kind.value not in off,
        }
        for kind in RuleKind
        if kind.value in mine
    ]


def get_campaign_for_rules(user: Any, pk: int) -> Campaign:
    """The campaign whose rules an administrator edits; a 404 for anyone else."""
    if not user.has_perm("reminders.manage_rules"):
        raise Http404
    return get_object_or_404(Campaign, pk=pk)


def campaign_rules(campaign: Campaign) -> list[ReminderRule]:
    return list(ReminderRule.objects.filter(campaign=campaign).order_by("kind", "-days", "id"))
