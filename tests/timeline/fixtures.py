import datetime as dt

import pytest

from apps.timeline.campaigns import campaign_ensure
from apps.timeline.models import Campaign, Deliverable, Stage

D = dt.date


@pytest.fixture
def campaign(db: None) -> Campaign:
    """A small campaign of our own (the migration's VC2023 is switched off so that its
    deliverables do not mix into the counts)."""
    Campaign.objects.filter(code="VC2023").update(is_active=False)
    return campaign_ensure(
        {
            "code": "T2026",
            "name_zh": "测试批次",
            "name_en": "Test campaign",
            "notice": "test",
            "stages": {
                "deployment": (D(2026, 1, 1), D(2026, 3, 31)),
                "implementation": (D(2026, 4, 1), D(2026, 12, 31)),
                "assessment": (D(2027, 1, 1), D(2027, 3, 31)),
            },
            "deliverables": [
                ("deployment", "plan", "实施方案", "Plan", D(2026, 3, 31)),
                ("implementation", "stage_summary", "上半年总结", "H1 summary", D(2026, 7, 31)),
                ("implementation", "stage_summary", "下半年总结", "H2 summary", D(2026, 12, 15)),
                ("assessment", "assessment_report", "评估报告", "Assessment", D(2027, 3, 31)),
            ],
        },
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )


@pytest.fixture
def plan(campaign: Campaign) -> Deliverable:
    return campaign.deliverables.get(kind="plan")


@pytest.fixture
def h2(campaign: Campaign) -> Deliverable:
    return campaign.deliverables.get(title_en="H2 summary")
