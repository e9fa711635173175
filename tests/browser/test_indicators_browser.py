"""Indicators as the campaign defines them, seen in a browser: the definition beside each
input, an optional indicator left out with its reason, a summary judged at its period's end
(a band indicator past its warning line), an assessment report over the years that ended."""

import datetime as dt
import re
from typing import Any

import pytest

from apps.filings.services import filing_start, open_draft
from apps.plans.demo import demo_plan_content, plan_fill
from apps.timeline.models import Campaign
from tests.browser.test_editor_browser import check_page, open_as, save
from tests.conftest import World, zh
from tests.stages.conftest import make_approved_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVA, ROE, DEBT, RD = 5, 3, 2, 6


def test_a_public_welfare_plan_leaves_eva_out_with_its_reason(
    browser: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    world.central.category = "public_welfare"
    world.central.save()
    filing = filing_start(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="plan"),
        actor=world.editor,
    )  # fmt: skip
    content = demo_plan_content(filing, seed=2)
    eva = content["indicators"]["rows"][EVA]
    eva.update(applicable=True, na_reason="")  # the enterprise decides, below
    plan_fill(filing=filing, content=content, actor=world.editor)

    page = open_as(browser, live_server, world.editor)
    page.goto(f"/filings/{filing.pk}/edit/indicators/")
    rows = page.locator("[data-testid=indicator-row]")
    # The definition (口径) beside the input, opened on demand.
    roe = rows.nth(ROE)
    roe.locator("[data-testid=indicator-definition] summary").click()
    expect(roe.locator("[data-testid=indicator-definition]")).to_contain_text(
        "净资产收益率 = 净利润 / 平均净资产"
    )
    # The debt ratio's band under the warning line of the enterprise's industry (C: 70 %).
    expect(rows.nth(DEBT).locator("[data-testid=indicator-band]")).to_contain_text("≤ 70%")
    # EVA is optional for public welfare; return on net assets too; total profit is not.
    expect(rows.nth(EVA).locator("[data-testid=indicator-optional]")).to_be_visible()
    assert rows.nth(0).locator("[data-testid=indicator-not-applicable]").count() == 0
    check_page(page, "indicators-optional", 1366)
    check_page(page, "indicators-optional", 390)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The enterprise leaves EVA out, saying why.
    rows.nth(EVA).locator("[data-testid=indicator-not-applicable]").check()
    reason = "公益类企业以成本控制和服务质量考核为主。"
    page.fill(f"input[name=indicators-{EVA}-na_reason]", reason)
    save(page, "indicators")
    expect(page.locator("[data-testid=saved]")).to_be_visible()
    row = open_draft(filing).content["indicators"]["rows"][EVA]
    assert (row["applicable"], row["na_reason"]) == (False, reason)

    page.goto(f"/filings/{filing.pk}/")
    shown = page.locator("[data-testid=indicator-not-applicable]")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(zh("Not applicable: %(reason)s", reason=reason))
    check_page(page, "plan-not-applicable", 1366)


def test_a_summary_is_judged_at_its_periods_end(
    browser: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    h2 = campaign.deliverables.get(title_en="H2 summary")
    h2.period_starts_on, h2.period_ends_on = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    h2.save()
    summary = filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)

    page = open_as(browser, live_server, world.editor)
    page.goto(f"/filings/{summary.pk}/edit/indicators/")
    expect(page.locator("[data-testid=result-period]")).to_have_text("2026年上半年")
    rows = page.locator("[data-testid=result-row]")
    # Half a year's profit is not judged against the year's target.
    page.fill("input[name=indicators-0-actual]", "600000")
    page.keyboard.press("Tab")
    expect(rows.nth(0).locator("[data-testid=full-year-only]")).to_have_text(
        zh("Judged on the full year only")
    )
    # The debt ratio past the industry's warning line (70 %): outside the band.
    page.fill(f"input[name=indicators-{DEBT}-actual]", "71.5")
    page.keyboard.press("Tab")
    expect(rows.nth(DEBT).locator("[data-testid=band-status]")).to_have_text(zh("Outside the band"))
    # R&D intensity is a ratio of the period: judged against the year's target at once.
    page.fill(f"input[name=indicators-{RD}-actual]", "9.9")
    page.keyboard.press("Tab")
    expect(rows.nth(RD).locator("[data-testid=on-track]")).to_have_text(zh("On track"))
    check_page(page, "summary-period", 1366)
    check_page(page, "summary-period", 390)


def test_an_assessment_report_asks_for_each_year_that_ended(
    browser: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    report = filing_start(
        enterprise=world.central, deliverable=campaign.deliverables.get(kind="assessment_report"),
        actor=world.editor,
    )  # fmt: skip
    page = open_as(browser, live_server, world.editor)
    page.goto(f"/filings/{report.pk}/edit/indicators/")
    header = page.locator("table.plan-indicators thead")
    expect(header).to_contain_text(zh("Actual %(year)s", year=2026))
    expect(header).to_contain_text(zh("Outlook %(year)s", year=2027))
    assert page.locator("input[name=indicators-0-actual_2027]").count() == 0
    page.fill("input[name=indicators-0-actual_2026]", "1,300,000")
    save(page, "indicators")
    row = open_draft(report).content["indicators"]["rows"][0]
    assert row["actuals"] == {"2026": "1300000"}
    check_page(page, "assessment-years", 1366)
    check_page(page, "assessment-years", 390)
    assert re.search(r"/edit/indicators/$", page.url)
