"""Indicators as campaign data: the default set, what a category must report, an optional
indicator left out with its reason, an indicator of the enterprise's own carried from the
plan into the summary and the dashboard."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from apps.filings.models import Filing
from apps.filings.services import filing_start
from apps.indicators.catalogue import specs_for
from apps.indicators.models import IndicatorDefinition, IndicatorRequirement
from apps.plans.content import completeness, initial_content
from apps.plans.demo import plan_fill
from apps.plans.forms import IndicatorsForm
from apps.timeline.models import Campaign
from tests.conftest import World, login_verified
from tests.plans.conftest import filled_content, post_data

pytestmark = pytest.mark.django_db

CORE = ["total_profit", "net_profit", "debt_to_asset", "roe", "labour_productivity",
        "eva_ratio", "rd_intensity", "operating_cash_ratio"]  # fmt: skip
EVA = CORE.index("eva_ratio")


def test_a_new_campaign_starts_with_the_eight_core_indicators(campaign: Campaign) -> None:
    definitions = list(IndicatorDefinition.objects.filter(campaign=campaign))
    assert [d.code for d in definitions] == CORE
    roe = definitions[3]
    assert roe.definition_zh.startswith("净资产收益率 = 净利润 / 平均净资产")
    assert (roe.kind, roe.direction, roe.unit) == ("cumulative", "higher", "%")
    debt = definitions[2]
    assert (debt.kind, debt.direction, debt.band_upper) == ("ratio", "band", Decimal(75))


def test_what_a_category_and_an_industry_report(campaign: Campaign) -> None:
    commercial = {s.code: s for s in specs_for(campaign.pk, category="commercial_1", industry="C")}
    assert {s.requirement for s in commercial.values()} == {"required"}
    # SASAC's warning lines: industrial 70 %, research and design 65 %, the rest 75 %.
    assert commercial["debt_to_asset"].band_upper == Decimal(70)
    welfare = {s.code: s for s in specs_for(campaign.pk, category="public_welfare", industry="M")}
    assert welfare["eva_ratio"].requirement == welfare["roe"].requirement == "optional"
    assert welfare["total_profit"].requirement == "required"
    assert welfare["debt_to_asset"].band_upper == Decimal(65)
    other = {s.code: s for s in specs_for(campaign.pk, category="commercial_2", industry="F")}
    assert other["debt_to_asset"].band_upper == Decimal(75)


@pytest.fixture
def welfare_filing(world: World, campaign: Campaign) -> Filing:
    world.central.category = "public_welfare"
    world.central.save()
    return Filing(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"), kind="plan"
    )


def test_a_public_welfare_enterprise_files_with_eva_marked_not_applicable(
    welfare_filing: Filing,
) -> None:
    content = filled_content(welfare_filing)
    form = IndicatorsForm(content=content["indicators"], filing=welfare_filing)
    eva = f"indicators-{EVA}-"
    reason = "公益类企业以成本控制和服务质量考核为主。"
    data = post_data(form, **{f"{eva}not_applicable": "on", f"{eva}na_reason": reason,
                              f"{eva}baseline": "", f"{eva}target_2023": ""})  # fmt: skip
    bound = IndicatorsForm(data, content=content["indicators"], filing=welfare_filing)
    assert bound.is_valid(), bound.formset.errors
    saved = bound.to_content()
    row = saved["rows"][EVA]
    assert (row["code"], row["applicable"], row["na_reason"]) == ("eva_ratio", False, reason)
    assert row["requirement"] == "optional"
    content["indicators"] = saved
    # Its figures left blank are not missing: the indicator does not apply.
    assert completeness(content, welfare_filing) == []
    # Without the reason, the reason is what is missing.
    content["indicators"]["rows"][EVA]["na_reason"] = ""
    assert [(m.section, m.field) for m in completeness(content, welfare_filing)] == [
        ("indicators", f"{EVA}-na_reason")
    ]


def test_a_required_indicator_cannot_be_left_out(filing: Filing) -> None:
    content = filled_content(filing)  # a commercial enterprise: EVA is required
    form = IndicatorsForm(content=content["indicators"], filing=filing)
    eva = f"indicators-{EVA}-"
    data = post_data(form, **{f"{eva}not_applicable": "on", f"{eva}na_reason": "不想填"})
    bound = IndicatorsForm(data, content=content["indicators"], filing=filing)
    assert bound.is_valid()
    row = bound.to_content()["rows"][EVA]
    assert (row["applicable"], row["na_reason"]) == (True, "")


def test_an_indicator_the_campaign_leaves_out_for_a_category_asks_nothing(
    welfare_filing: Filing, campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        IndicatorRequirement.objects.filter(
            indicator__campaign=campaign, indicator__code="roe", category="public_welfare"
        ).update(requirement="not_applicable")
        # A queryset update sends no signal: save one row to drop the cached catalogue.
        IndicatorRequirement.objects.filter(indicator__campaign=campaign).first().save()
    rows = initial_content(welfare_filing)["indicators"]["rows"]
    roe = rows[CORE.index("roe")]
    assert (roe["applicable"], roe["requirement"]) == (False, "not_applicable")
    missing = {m.field for m in completeness(initial_content(welfare_filing), welfare_filing)}
    assert "3-baseline" not in missing and "2-baseline" in missing


def test_the_definition_shows_beside_the_input(
    world: World, campaign: Campaign, filing: Filing
) -> None:
    filing = filing_start(
        enterprise=world.central, deliverable=filing.deliverable, actor=world.editor
    )
    client = login_verified(Client(), world.editor)
    plan_fill(filing=filing, content=filled_content(filing), actor=world.editor)
    page = client.get(f"/filings/{filing.pk}/edit/indicators/").content.decode()
    assert page.count('data-testid="indicator-definition"') == 8
    assert "净资产收益率 = 净利润 / 平均净资产" in page
    assert 'data-testid="indicator-band"' in page
