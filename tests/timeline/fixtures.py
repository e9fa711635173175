import datetime as dt

import pytest

from apps.enterprises.models import Authority
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


# An annual campaign: one stage summary for the year 2026, due 31 January 2027 (the shape of
# the 2023 campaign, shifted), so that a commission's half-yearly summaries can be added.
ANNUAL_SUMMARY_ZH = "2026年度阶段性总结"


@pytest.fixture
def annual_campaign(db: None) -> Campaign:
    Campaign.objects.filter(code="VC2023").update(is_active=False)
    return campaign_ensure(
        {
            "code": "A2026",
            "name_zh": "年度测试批次",
            "name_en": "Annual test campaign",
            "notice": "test",
            "stages": {
                "deployment": (D(2026, 1, 1), D(2026, 3, 31)),
                "implementation": (D(2026, 4, 1), D(2026, 12, 31)),
                "assessment": (D(2027, 1, 1), D(2027, 3, 31)),
            },
            "deliverables": [
                ("deployment", "plan", "年度批次实施方案", "Annual plan", D(2026, 3, 31)),
                ("implementation", "stage_summary", ANNUAL_SUMMARY_ZH,
                 "Stage summary, 2026 full year", D(2027, 1, 31), D(2026, 1, 1), D(2026, 12, 31)),
                ("assessment", "assessment_report", "年度批次评估报告", "Annual assessment",
                 D(2027, 3, 31)),
            ],
        },
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )  # fmt: skip


@pytest.fixture
def annual_summary(annual_campaign: Campaign) -> Deliverable:
    return annual_campaign.deliverables.get(title_zh=ANNUAL_SUMMARY_ZH)


def authority_summary(
    campaign: Campaign,
    authority: Authority,
    *,
    half: int = 1,
    year: int = 2026,
) -> Deliverable:
    """A commission's own half-yearly summary (only its enterprises file it)."""
    starts_on, ends_on, due_on = (
        (D(year, 1, 1), D(year, 6, 30), D(year, 7, 31))
        if half == 1
        else (D(year, 7, 1), D(year, 12, 31), D(year + 1, 1, 20))
    )
    return Deliverable.objects.create(
        campaign=campaign,
        stage=campaign.stages.get(kind="implementation"),
        kind="stage_summary",
        title_zh=f"{authority.code}{year}年{'上' if half == 1 else '下'}半年阶段性总结",
        title_en=f"{authority.code} stage summary, {year} H{half}",
        due_on=due_on,
        period_starts_on=starts_on,
        period_ends_on=ends_on,
        authority=authority,
    )
