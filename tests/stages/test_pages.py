"""The stage summary's pages cost the same number of queries for a small and a large plan."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.plans.content import blank_indicator, campaign_years, new_row_id
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reviews.services import decision_make
from apps.stages.demo import stage_fill
from apps.timeline.models import Campaign
from tests.conftest import World
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db


def summary_with(
    world: World, campaign: Campaign, enterprise: Enterprise, lead: User, extra: int
) -> Filing:
    """A filled stage summary from a plan with ``extra`` custom indicators and tasks."""
    plan_deliverable = campaign.deliverables.get(kind="plan")
    plan = filing_start(enterprise=enterprise, deliverable=plan_deliverable, actor=lead)
    content = demo_plan_content(plan, seed=1)
    years = campaign_years(plan)
    for i in range(extra):
        row = blank_indicator(years)
        row.update(
            name_zh=f"自定义指标{i}",
            unit="%",
            baseline_year=2025,
            baseline="1",
            targets={str(y): "2" for y in years},
            benchmark="3",
            benchmark_source="年报",
        )
        content["indicators"]["rows"].append(row)
        content["tasks"]["rows"].append(
            {**content["tasks"]["rows"][0], "id": new_row_id(), "title": f"任务{i}"}
        )
    plan_fill(filing=plan, content=content, actor=lead)
    plan = filing_transition(filing=plan, action="submit", submission=a_submission(), actor=lead)
    plan = filing_transition(filing=plan, action="start_review", actor=world.sasac_reviewer)
    decision_make(filing=plan, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    h2 = campaign.deliverables.get(title_en="H2 summary")
    summary = filing_start(enterprise=enterprise, deliverable=h2, actor=lead)
    stage_fill(filing=summary, actor=lead)
    return summary


def count(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (active deliverables)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["", "edit/indicators/", "edit/tasks/", "check/"])
def test_constant_queries(world: World, campaign: Campaign, client_for: Any, page: str) -> None:
    small = summary_with(world, campaign, world.central, world.lead, 0)
    large = summary_with(world, campaign, world.central_other, world.other_lead, 25)
    assert len(large.versions.get().content["indicators"]["rows"]) == 33
    small_count = count(client_for(world.lead), f"/filings/{small.pk}/{page}")
    large_count = count(client_for(world.other_lead), f"/filings/{large.pk}/{page}")
    assert small_count == large_count
