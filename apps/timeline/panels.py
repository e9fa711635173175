"""The timeline sections of the enterprise and authority pages."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.panels import Panel, register_authority_panel, register_enterprise_panel
from apps.timeline.models import Campaign, Deliverable, Stage, local_today
from apps.timeline.obligations import Obligation, filing_enterprises, obligations_for, status_counts
from apps.timeline.selectors import active_deliverables_and_stages


@dataclass
class StageBar:
    stage: Stage
    x: float  # percent of the campaign's span
    width: float
    current: bool


@dataclass
class Marker:
    x: float
    obligation: Obligation


@dataclass
class CampaignTimeline:
    campaign: Campaign
    bars: list[StageBar]
    today_x: float | None
    markers: list[Marker]
    obligations: list[Obligation]
    next_obligation: Obligation | None
    past: list[Obligation]
    upcoming: list[Obligation]
    current_stage: Stage | None


def _pct(day: dt.date, start: dt.date, span: int) -> float:
    return round(100 * (day - start).days / span, 2)


def build_timelines(
    obligations: list[Obligation], stages: list[Stage], today: dt.date
) -> list[CampaignTimeline]:
    by_campaign: dict[int, list[Obligation]] = {}
    for ob in obligations:
        by_campaign.setdefault(ob.deliverable.campaign_id, []).append(ob)
    stages_by_campaign: dict[int, list[Stage]] = {}
    for stage in stages:
        stages_by_campaign.setdefault(stage.campaign_id, []).append(stage)
    timelines = []
    for campaign_id, obs in by_campaign.items():
        campaign_stages = sorted(stages_by_campaign.get(campaign_id, []), key=lambda s: s.starts_on)
        if not campaign_stages:
            continue
        start = campaign_stages[0].starts_on
        end = max(campaign_stages[-1].ends_on, max(ob.due_on for ob in obs))
        span = max((end - start).days + 1, 1)
        bars = [
            StageBar(
                stage=s,
                x=_pct(s.starts_on, start, span),
                width=round(100 * ((s.ends_on - s.starts_on).days + 1) / span, 2),
                current=s.contains(today),
            )
            for s in campaign_stages
        ]
        obs.sort(key=lambda ob: ob.due_on)
        upcoming = [ob for ob in obs if not ob.is_handed_in and ob.due_on >= today]
        timelines.append(
            CampaignTimeline(
                campaign=obs[0].deliverable.campaign,
                bars=bars,
                today_x=_pct(today, start, span) if start <= today <= end else None,
                markers=[Marker(x=_pct(ob.due_on, start, span), obligation=ob) for ob in obs],
                obligations=obs,
                next_obligation=upcoming[0] if upcoming else None,
                past=[ob for ob in obs if ob.due_on < today or ob.is_handed_in],
                upcoming=upcoming,
                current_stage=next((s for s in campaign_stages if s.contains(today)), None),
            )
        )
    return timelines


def enterprise_timeline_panel(request: HttpRequest, enterprise: Enterprise) -> Panel | None:
    now = timezone.now()
    today = local_today(now)
    if not enterprise.files_for_group:
        return Panel("timeline/_enterprise_panel.html", {"covered_by": enterprise.parent}, order=10)
    deliverables, stages = active_deliverables_and_stages()
    obligations = obligations_for([enterprise], deliverables=deliverables, now=now)
    user: Any = request.user
    return Panel(
        "timeline/_enterprise_panel.html",
        {
            "timelines": build_timelines(obligations, stages, today),
            "today": today,
            "can_extend": user.has_perm("timeline.grant_extension", enterprise),
            "can_start": user.has_perm("filings.start_filing", enterprise),
        },
        order=10,
    )


def authority_timeline_panel(request: HttpRequest, authority: Authority) -> Panel | None:
    user: Any = request.user
    if not user.has_perm("timeline.view_obligations", authority):
        return None
    enterprises = filing_enterprises(Enterprise.objects.filter(authority=authority))
    obligations = obligations_for(enterprises)
    counts = status_counts(obligations)
    deliverables: dict[int, Deliverable] = {}
    for ob in obligations:
        deliverables.setdefault(ob.deliverable.pk, ob.deliverable)
    return Panel(
        "timeline/_authority_panel.html",
        {
            "rows": [(d, counts[d.pk]) for d in deliverables.values()],
            "overdue_count": sum(1 for ob in obligations if ob.is_overdue),
        },
        order=10,
    )


register_enterprise_panel(enterprise_timeline_panel)
register_authority_panel(authority_timeline_panel)
