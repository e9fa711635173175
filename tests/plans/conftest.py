import datetime as dt
from typing import Any

import pytest

from apps.filings.models import Filing
from apps.plans.content import initial_content
from apps.timeline.campaigns import campaign_ensure
from apps.timeline.models import Campaign, Deliverable, Stage
from tests.conftest import World

D = dt.date


def make_campaign(code: str, stages: dict[str, tuple[dt.date, dt.date]]) -> Campaign:
    return campaign_ensure(
        {
            "code": code,
            "name_zh": "测试批次",
            "name_en": "Test campaign",
            "notice": "test",
            "stages": stages,
            "deliverables": [("deployment", "plan", "实施方案", "Plan", stages["deployment"][1])],
        },
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )


@pytest.fixture
def campaign(db: None) -> Campaign:
    """Stages from January 2023 to March 2025: targets for 2023, 2024 and 2025."""
    return make_campaign(
        "TPLAN",
        {
            "deployment": (D(2023, 1, 1), D(2023, 3, 31)),
            "implementation": (D(2023, 4, 1), D(2024, 12, 31)),
            "assessment": (D(2025, 1, 1), D(2025, 3, 31)),
        },
    )


@pytest.fixture
def filing(world: World, campaign: Campaign) -> Filing:
    """An unsaved filing: the plan kind needs only its deliverable's campaign."""
    return Filing(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"), kind="plan"
    )


@pytest.fixture
def saved_filing(filing: Filing) -> Filing:
    filing.save()
    return filing


def filled_content(filing: Filing) -> dict[str, Any]:
    """A plan with everything the completeness check asks for."""
    content = initial_content(filing)
    content["diagnosis"] = {
        "key_factors": "　　主业突出，资产负债率<65%。\n\n第二段。",
        "shortcomings": "研发投入强度不足。",
    }
    content["benchmarks"] = {
        "rows": [
            {
                "id": "b1",
                "name": "西门子",
                "country": "德国",
                "level": "world_class",
                "source": "2022年年报",
            },
            {
                "id": "b2",
                "name": "某行业先进企业",
                "country": "中国",
                "level": "industry_advanced",
                "source": "行业协会统计",
            },
        ]
    }
    for i, row in enumerate(content["indicators"]["rows"]):
        row.update(
            baseline_year=2022,
            baseline=str(60 + i),
            targets={"2023": str(61 + i), "2024": str(62 + i), "2025": str(63 + i)},
            benchmark=str(65 + i),
            benchmark_source="标杆企业年报",
        )
    # Net profit is what is left of the total profit after income tax: never more than it
    # (a consistency rule of the plan, apps.plans.constants.CONSISTENCY_RULES).
    content["indicators"]["rows"][1].update(
        baseline="50", targets={"2023": "51", "2024": "52", "2025": "53"}, benchmark="55"
    )
    content["measures"] = {key: f"{key} 的举措。" for key in content["measures"]}
    content["tasks"] = {
        "rows": [
            {
                "id": "t1",
                "area": "efficiency",
                "title": "压降两金",
                "department": "财务部",
                "person": "张三",
                "start": "2023-04-01",
                "due": "2024-12-31",
                "result": "两金占比下降5个百分点",
            }
        ]
    }
    content["assurance"] = {
        "organisation": "成立领导小组。",
        "incentives": "纳入经营业绩考核。",
        "constraints": "",
    }
    return content


def post_data(form: Any, **overrides: Any) -> dict[str, Any]:
    """What a browser would send back for an unbound section form, unchanged."""
    data: dict[str, Any] = {}
    formset = getattr(form, "formset", None)
    if formset is None:
        for bound in form:
            data[bound.html_name] = bound.value() or ""
    else:
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for row in formset.forms:
            for bound in row:
                value = bound.value()
                if bound.name == "DELETE":
                    if value:
                        data[bound.html_name] = "on"
                    continue
                data[bound.html_name] = "" if value is None else str(value)
    data.update(overrides)
    return data
