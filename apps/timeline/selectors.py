from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.timeline.models import Campaign, Deliverable


def get_campaign_for_admin(user: Any, pk: int) -> Campaign:
    if not user.has_perm("timeline.manage_campaigns"):
        raise Http404
    return get_object_or_404(Campaign, pk=pk)


def get_deliverable(pk: int, *, active_only: bool = True) -> Deliverable:
    """Deliverables are the same for every enterprise of a campaign; what is scoped is the
    enterprise or authority they are looked at for, fetched by its own helper."""
    queryset = Deliverable.objects.select_related("campaign", "stage")
    if active_only:
        queryset = queryset.active()
    return get_object_or_404(queryset, pk=pk)
