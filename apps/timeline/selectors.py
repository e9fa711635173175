from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.enterprises.models import Authority, Enterprise
from apps.timeline.models import Campaign, Deliverable, Stage


def get_campaign_for_admin(user: Any, pk: int) -> Campaign:
    if not user.has_perm("timeline.manage_campaigns"):
        raise Http404
    return get_object_or_404(Campaign, pk=pk)


def get_deliverable(pk: int, *, active_only: bool = True) -> Deliverable:
    """A deliverable looked at for no enterprise or authority in particular (an
    administrator's page). For an enterprise or an authority, use the scoped helpers below:
    an authority's own deliverable is its enterprises' alone."""
    queryset = Deliverable.objects.select_related("campaign", "stage")
    if active_only:
        queryset = queryset.active()
    return get_object_or_404(queryset, pk=pk)


def get_deliverable_for_authority(
    authority: Authority, pk: int, *, active_only: bool = True
) -> Deliverable:
    """A deliverable the enterprises of ``authority`` owe (the campaign's, or the
    authority's own); a 404 for another authority's own deliverable. The authority itself
    is fetched and checked by its own helper."""
    queryset = Deliverable.objects.select_related("campaign", "stage").for_authority(authority.pk)
    if active_only:
        queryset = queryset.active()
    return get_object_or_404(queryset, pk=pk)


def get_deliverable_for_enterprise(
    enterprise: Enterprise, pk: int, *, active_only: bool = True
) -> Deliverable:
    """A deliverable ``enterprise`` owes; a 404 for one that is not its own (another
    authority's half-yearly summary, say). The enterprise is fetched and checked by its own
    helper (apps.enterprises.selectors)."""
    queryset = Deliverable.objects.select_related("campaign", "stage").for_authority(
        enterprise.authority_id
    )
    if active_only:
        queryset = queryset.active()
    return get_object_or_404(queryset, pk=pk)


# The active campaigns' deliverables and stages are read on every enterprise page and change
# a few times a year; they are cached briefly and the cache is dropped whenever a service
# changes a campaign, and by the Django admin when it saves one (apps.timeline.admin).
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
