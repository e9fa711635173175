"""An approved plan of the real plan kind, and stage filings started from it."""

import pytest

from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reviews.services import decision_make
from apps.timeline.models import Campaign, Deliverable
from tests.conftest import World
from tests.filings.conftest import a_submission


def approve(filing: Filing, world: World) -> Filing:
    """Submit, review and approve through the services, as the roles the workflow wants."""
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    filing.refresh_from_db()
    return filing


def make_approved_plan(world: World, deliverable: Deliverable) -> Filing:
    filing = filing_start(enterprise=world.central, deliverable=deliverable, actor=world.editor)
    plan_fill(filing=filing, content=demo_plan_content(filing, seed=7), actor=world.editor)
    return approve(filing, world)


@pytest.fixture
def approved_plan(world: World, plan: Deliverable) -> Filing:
    return make_approved_plan(world, plan)


@pytest.fixture
def h1(campaign: Campaign) -> Deliverable:
    return campaign.deliverables.get(title_en="H1 summary")


@pytest.fixture
def final(campaign: Campaign) -> Deliverable:
    return campaign.deliverables.get(kind="assessment_report")


@pytest.fixture
def summary(world: World, approved_plan: Filing, h2: Deliverable) -> Filing:
    return filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)


@pytest.fixture
def report(world: World, approved_plan: Filing, final: Deliverable) -> Filing:
    return filing_start(enterprise=world.central, deliverable=final, actor=world.editor)


@pytest.fixture
def submitted_report(world: World, report: Filing) -> Filing:
    from apps.stages.demo import stage_fill

    stage_fill(filing=report, actor=world.editor)
    return filing_transition(
        filing=report, action="submit", submission=a_submission(), actor=world.lead
    )


@pytest.fixture
def approved_report(world: World, submitted_report: Filing) -> Filing:
    filing = filing_transition(
        filing=submitted_report, action="start_review", actor=world.sasac_reviewer
    )
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    filing.refresh_from_db()
    return filing


SCORES = {
    "area-efficiency": "excellent",
    "area-innovation": "good",
    "area-national_strategy": "good",
    "area-governance": "pass",
    "area-sustainability": "good",
    "area-shared_value": "excellent",
    "area-system_capacity": "pass",
    "overall": "good",
    "comment": "总体良好。",
}
