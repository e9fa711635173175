from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.timeline.models import Campaign, Deliverable, Stage


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


# The active campaigns' deliverables and stages are read on every enterprise page and change
# a few times a year; they are cached briefly and the cache is dropped whenever a service
# changes a campaign (edits made elsewhere, e.g. in Django admin, show within the timeout).
ACTIVE_CACHE_KEY = "timeline:active-deliverables"
ACTIVE_CACHE_SECONDS = 60


def active_deliverables_and_stages() -> tuple[list[Deliverable], list[Stage]]:
    cached = cache.get(ACTIVE_CACHE_KEY)
    if cached is not None:
        return cached
    deliverables = list(Deliverable.objects.active().select_related("campaign", "stage"))
    stages = list(Stage.objects.filter(campaign_id__in={d.campaign_id for d in deliverables}))
    cache.set(ACTIVE_CACHE_KEY, (deliverables, stages), ACTIVE_CACHE_SECONDS)
    return deliverables, stages


NOTICE_CACHE_KEY = "timeline:active-notice"


def active_notice() -> dict[str, str] | None:
    """The notice the active campaign implements (number, title, issuer and the citation),
    for the footer of every page: cached like the deliverables, dropped with them."""
    cached = cache.get(NOTICE_CACHE_KEY)
    if cached is not None:
        return cached or None
    campaign = Campaign.objects.active().order_by("code").first()
    notice = (
        {
            "number": campaign.notice,
            "title": campaign.notice_title,
            "issuer": campaign.notice_issuer,
            "citation": campaign.notice_citation,
        }
        if campaign
        else {}
    )
    cache.set(NOTICE_CACHE_KEY, notice, ACTIVE_CACHE_SECONDS)
    return notice or None


def forget_active_deliverables() -> None:
    cache.delete_many([ACTIVE_CACHE_KEY, NOTICE_CACHE_KEY])
