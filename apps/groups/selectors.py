"""A group's tree, read in one query per tier, and the body that reviews a subsidiary."""

from apps.enterprises.models import Enterprise

# Deeper trees are not a group's structure (SASAC's groups report three tiers at most).
MAX_DEPTH = 8


def group_root(enterprise: Enterprise) -> Enterprise:
    """The group headquarters at the top of the enterprise's tree (itself for one)."""
    node = enterprise
    for _depth in range(MAX_DEPTH):
        if node.parent_id is None:
            return node
        node = Enterprise.objects.only("pk", "parent_id", "authority_id", "name_zh").get(
            pk=node.parent_id
        )
    return node


def subsidiaries_by_tier(group: Enterprise) -> dict[int, list[Enterprise]]:
    """{tier: subsidiaries}, tier 1 the direct subsidiaries; active ones only."""
    tiers: dict[int, list[Enterprise]] = {}
    parents = [group.pk]
    for tier in range(1, MAX_DEPTH + 1):
        level = list(
            Enterprise.objects.filter(parent_id__in=parents, is_active=True).order_by("pk")
        )
        if not level:
            break
        tiers[tier] = level
        parents = [e.pk for e in level]
    return tiers


def reviewing_group_for(enterprise: Enterprise) -> Enterprise | None:
    """The group headquarters that reviews what ``enterprise`` files, or None when its
    authority does (a group headquarters; a subsidiary whose group files for it)."""
    if enterprise.parent_id is None or not enterprise.files_to_group:
        return None
    return group_root(enterprise)
