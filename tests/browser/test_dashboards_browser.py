"""A SASAC reviewer logs in and reads the national overview (counts only, no enterprise
names) and SASAC's own dashboard, whose charts Chart.js draws under the strict CSP."""

from typing import Any

import pytest

from apps.filings.workflow import State
from tests.browser.conftest import describe, login_as, run_axe
from tests.conftest import TEST_TOTP_KEY, World, give_totp_device
from tests.dashboards.conftest import Dash, add_result, enterprises, make_dash, make_filing
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dash(world: World) -> Dash:
    return make_dash()


def test_national_overview_and_authority_dashboard(
    world: World, dash: Dash, live_server: Any, page: Any
) -> None:
    u = world.lead
    plan = {
        "indicators": {
            "rows": [
                {"id": "total_profit", "code": "total_profit", "core": True,
                 "name_zh": "利润总额", "name_en": "Total profit", "unit": "万元",
                 "direction": "higher", "baseline_year": 2025, "baseline": "100",
                 "targets": {"2026": "110", "2027": "121"}, "benchmark": "200"},
            ]
        }
    }  # fmt: skip
    make_filing(world.central, dash.plan, State.APPROVED, user=u, content=plan)
    summary = make_filing(world.central, dash.s1, State.SUBMITTED, user=u)
    add_result(summary, "total_profit", True, year=2026, actual="112")
    add_result(summary, "roe", False, year=2026)
    bj_more = enterprises(world.beijing, 2, name_zh="北京保密测试企业有限公司")
    make_filing(world.bj_enterprise, dash.plan, State.APPROVED, user=u)
    make_filing(bj_more[0], dash.plan, State.UNDER_REVIEW, user=u)
    make_filing(bj_more[1], dash.plan, State.DRAFT, user=u)
    give_totp_device(world.sasac_reviewer)
    login_as(page, world.sasac_reviewer.email, PASSWORD, totp_key=TEST_TOTP_KEY)

    page.goto("/national/overview/")
    beijing = page.locator("[data-testid=national-row][data-authority='11']")
    assert beijing.locator("[data-testid=enterprises]").inner_text() == "3"
    assert beijing.locator("[data-testid=submitted]").inner_text() == "2"
    assert beijing.locator("[data-testid=approved]").inner_text() == "1"
    assert beijing.locator("[data-testid=not-submitted]").inner_text() == "1"
    sasac = page.locator("[data-testid=national-row][data-authority='SASAC']")
    assert sasac.locator("[data-testid=rate]").inner_text().startswith("50.0%")
    text = page.locator("main").inner_text()
    for enterprise in (world.central, world.bj_enterprise, *bj_more):
        assert enterprise.name_zh not in text and enterprise.name_en not in text
        assert enterprise.credit_code not in page.content()
    page.wait_for_selector("canvas[data-chart='national-data'][data-drawn]")
    violations = run_axe(page)
    assert not violations, describe(violations)

    page.goto(f"/authorities/SASAC/dashboard/?enterprise={world.central.credit_code}")
    for chart in ("progress", "indicators", "categories", "industries", "trajectory"):
        canvas = page.locator(f"canvas[data-chart='{chart}-data']")
        page.wait_for_selector(f"canvas[data-chart='{chart}-data'][data-drawn]")
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, chart
    # The canvas has pixels on it: Chart.js drew, the CSP let it.
    painted = page.evaluate(
        """() => { const c = document.querySelector("canvas[data-chart='trajectory-data']");
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }"""
    )
    assert painted > 1000
    row = page.locator("[data-testid=trajectory-row][data-year='2026'] td")
    assert [row.nth(i).inner_text() for i in range(4)] == ["—", "110", "112", "200"]
    plan_row = page.locator(f"[data-testid=progress-row][data-deliverable='{dash.plan.pk}']")
    assert plan_row.locator("[data-testid=count-approved]").inner_text() == "1"
    assert plan_row.locator("[data-testid=count-total]").inner_text() == "2"
    assert world.bj_enterprise.name_zh not in page.content()
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not [e for e in page.console_errors if "Content Security Policy" in e], (
        page.console_errors
    )
