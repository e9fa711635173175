"""Sections the stages app adds to other pages: scoring and the designations in force (with
their revocation) on an assessment report's page, the plan amendment on a stage summary's
page, and the named model enterprises and benchmarking projects on the authority's page."""

from typing import Any

from django.http import HttpRequest

from apps.enterprises.panels import Panel, register_authority_panel
from apps.filings.panels import register_filing_panel
from apps.filings.workflow import State
from apps.plans.constants import ActionArea
from apps.stages.constants import ADJUSTMENTS, ASSESSMENT_REPORT, STAGE_SUMMARY
from apps.stages.content import approved_plan
from apps.stages.models import Assessment, Designation, ScoreScale
from apps.stages.rules import SCORABLE_STATES


def _assessment_panel(request: HttpRequest, filing: Any) -> Panel | None:
    user: Any = request.user
    may_score = user.has_perm("stages.score", filing)
    designations = list(
        Designation.objects.active().filter(filing=filing).order_by("kind", "named_at", "id")
    )
    if not may_score and not designations:
        return None
    context: dict[str, Any] = {"filing": filing, "designations": designations}
    if may_score:
        scale = ScoreScale.objects.filter(is_default=True).first()
        levels = list(scale.levels.all()) if scale else []
        version = filing.latest_submitted
        assessment = (
            Assessment.objects.filter(filing=filing, version=version)
            .select_related("overall", "scored_by")
            .prefetch_related("scores__level")
            .first()
            if version
            else None
        )
        chosen = {s.area: s.level for s in assessment.scores.all()} if assessment else {}
        context.update(
            {
                "is_reviewer": True,
                "can_score": filing.state in SCORABLE_STATES,
                "levels": levels,
                "assessment": assessment,
                "area_rows": [
                    (area.value, area.label, chosen.get(area.value)) for area in ActionArea
                ],
                # Designations are made through a nomination (apps.nominations, which adds
                # its own panel); here the lead reviewer may only revoke one.
                "can_revoke": user.has_perm("stages.designate", filing),
            }
        )
    return Panel("stages/_assessment_panel.html", context, order=25)


def _summary_panel(request: HttpRequest, filing: Any) -> Panel | None:
    user: Any = request.user
    shown = (
        filing.draft if user.has_perm("filings.view_drafts", filing) and filing.draft_id else None
    )
    shown = shown or filing.latest_submitted
    linked = ((shown.content if shown else {}).get(ADJUSTMENTS) or {}).get("amendment_filing_id")
    may_amend = user.has_perm("stages.open_amendment", filing) and filing.draft_id is not None
    plan = (
        approved_plan(filing.enterprise_id, filing.deliverable.campaign_id) if may_amend else None
    )
    if not may_amend and not linked:
        return None
    return Panel(
        "stages/_summary_panel.html",
        {
            "filing": filing,
            "linked_plan_id": linked,
            "can_amend": plan is not None and plan.state == State.APPROVED,
            "plan": plan,
        },
        order=25,
    )


def stages_filing_panel(request: HttpRequest, filing: Any) -> Panel | None:
    if filing.kind == ASSESSMENT_REPORT:
        return _assessment_panel(request, filing)
    if filing.kind == STAGE_SUMMARY:
        return _summary_panel(request, filing)
    return None


def designations_authority_panel(request: HttpRequest, authority: Any) -> Panel | None:
    """The model enterprises and benchmarking projects the authority has named (names and
    titles only, as on the national list)."""
    designations = list(
        Designation.objects.active()
        .filter(authority=authority)
        .select_related("enterprise")
        .order_by("kind", "-named_at", "-id")[:200]
    )
    return Panel(
        "stages/_authority_panel.html",
        {"authority": authority, "designations": designations},
        order=40,
    )


register_filing_panel(stages_filing_panel)
register_authority_panel(designations_authority_panel)
