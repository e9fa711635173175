"""The 2023 campaign as the notice runs it: annual summaries for 2023 and 2024, and an
assessment report in the first quarter of 2025 that assesses 2023 and 2024 and looks out to
2025, with the long-term mechanisms."""

import datetime as dt

import pytest
from django.test import Client

from apps.filings.models import AttachmentType
from apps.filings.services import filing_start, open_draft
from apps.plans.demo import demo_plan_content, plan_fill
from apps.timeline.models import Campaign
from apps.timeline.periods import period_of
from tests.conftest import World, login_verified, zh
from tests.stages.conftest import approve

pytestmark = pytest.mark.django_db


def test_the_2023_campaign_reports_annually_and_assesses_2023_and_2024(world: World) -> None:
    campaign = Campaign.objects.get(code="VC2023")
    summaries = campaign.deliverables.filter(kind="stage_summary").order_by("due_on")
    assert [(d.title_zh, d.due_on, str(period_of(d))) for d in summaries] == [
        ("2023年度阶段性总结", dt.date(2024, 1, 31), "2023年全年"),
        ("2024年度阶段性总结", dt.date(2025, 1, 31), "2024年全年"),
    ]
    # The papers the 2023 plan asks for are another test's subject (tests/filings).
    AttachmentType.objects.filter(deliverable__campaign=campaign).update(required=False)
    plan = filing_start(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.editor,
    )  # fmt: skip
    plan_fill(filing=plan, content=demo_plan_content(plan, seed=5), actor=world.editor)
    plan = approve(plan, world)
    report = filing_start(
        enterprise=world.central,
        deliverable=campaign.deliverables.get(kind="assessment_report"),
        actor=world.editor,
    )
    assert report.deliverable.due_on == dt.date(2025, 3, 31)
    content = open_draft(report).content
    section = content["indicators"]
    assert (section["years"], section["outlook_year"]) == (["2023", "2024"], "2025")
    profit = section["rows"][0]
    plan_targets = plan.approved_version.content["indicators"]["rows"][0]["targets"]
    assert profit["targets"] == plan_targets  # 2023, 2024 and 2025
    assert profit["actuals"] == {"2023": "", "2024": ""}
    assert "mechanisms" in content

    client = login_verified(Client(), world.editor)
    page = client.get(f"/filings/{report.pk}/edit/indicators/").content.decode()
    for label in (zh("Actual %(year)s", year=2023), zh("Actual %(year)s", year=2024),
                  zh("Outlook %(year)s", year=2025)):  # fmt: skip
        assert label in page
    assert zh("Actual %(year)s", year=2025) not in page
