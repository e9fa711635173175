"""What's due, first, and the review queue on a phone.

- The enterprise's page of an editor whose plan is four months overdue: the red overdue banner
  is the first thing under the enterprise's name, in the first screen, at 1366 and 390 px; the
  start page leads with it too.
- The review queue at 390 px: one card per filing (the same cells, each under its column's
  name), nothing wider than the screen; at 1366 px the table.
- axe-core: no serious or critical violation on any of them. Screenshots at both widths in
  test-artifacts/ (home-*.png, queue-*.png).
"""

from typing import Any

import pytest
from django.urls import reverse

from apps.filings.workflow import State
from apps.reviews.services import assignment_create
from apps.timeline.models import local_today
from tests.browser.conftest import ROOT, describe, page_as, run_axe
from tests.conftest import World, zh
from tests.enterprises.test_home_obligations import live_campaign
from tests.reviews.test_queue import bulk_enterprises, bulk_filings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (1366, 390)


def at_width(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})


def check_page(page: Any, name: str, width: int) -> None:
    """No sideways scrolling, no serious accessibility fault, no console error; a screenshot."""
    ARTIFACTS.mkdir(exist_ok=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, width)
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_a_plan_four_months_overdue_leads_the_enterprise_home(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    live_campaign("B1", local_today())  # the plan was due 122 days ago, nothing started
    page = page_as(browser, live_server, world.editor)
    page.goto(reverse("enterprises:enterprise_detail", args=[world.central.credit_code]))
    banner = page.locator("[data-testid=overdue-banner]")
    for width in WIDTHS:
        at_width(page, width)
        expect(banner).to_be_visible()
        # The first thing under the enterprise's name, in the first screen.
        first = page.evaluate(
            "() => document.querySelector('main > header').nextElementSibling.dataset.testid"
        )
        assert first == "overdue-banner"
        box = banner.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, (width, box)
        assert box["width"] <= width
        due_list = page.locator("[data-testid=due-list]").bounding_box()
        timeline = page.locator("[data-testid=campaign-timeline]").bounding_box()
        assert due_list is not None and timeline is not None
        assert box["y"] < due_list["y"] < timeline["y"]
        # Red, with the plan, the days overdue and the editor's next step.
        colour = banner.evaluate("e => getComputedStyle(e).borderLeftColor")
        assert colour == "rgb(212, 53, 28)", colour
        expect(banner.locator("[data-testid=overdue-item]")).to_have_count(1)
        expect(banner).to_contain_text("实施方案B1")
        expect(banner.locator("[data-testid=days-overdue]")).to_contain_text("122")
        expect(banner.locator("[data-testid=due-action]")).to_have_text(
            zh("Start writing") + ": 实施方案B1"
        )
        check_page(page, "home-enterprise", width)

    # The start page after logging in leads with the same banner.
    page.goto(reverse("home"))
    for width in WIDTHS:
        at_width(page, width)
        banner = page.locator("[data-testid=overdue-banner]")
        expect(banner).to_be_visible()
        box = banner.bounding_box()
        cards = page.locator("[data-testid=enterprise-card]").first.bounding_box()
        assert box is not None and cards is not None and box["y"] < cards["y"]
        assert box["y"] + box["height"] <= 900
        check_page(page, "home-start", width)


def test_the_queue_is_a_card_per_filing_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    campaign = live_campaign("B2", local_today())
    plan = campaign.deliverables.get(kind="plan")
    enterprises = bulk_enterprises(6, world.sasac)
    filings = bulk_filings(
        [(e, plan) for e in enterprises],
        by=world.lead,
        states=[State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED],
    )
    assignment_create(
        filing=filings[0], reviewers=[world.sasac_reviewer], actor=world.sasac_lead_reviewer
    )
    page = page_as(browser, live_server, world.sasac_lead_reviewer)
    page.goto(reverse("reviews:queue", args=["SASAC"]))
    rows = page.locator("[data-testid=queue-row]")

    # A laptop: the table, its header row showing.
    at_width(page, 1366)
    expect(rows).to_have_count(6)
    assert rows.first.evaluate("e => getComputedStyle(e).display") == "table-row"
    expect(page.locator("[data-testid=queue-table] thead")).to_be_visible()
    check_page(page, "queue", 1366)

    # A phone: one card per filing, as wide as the screen at most, each cell under its name.
    at_width(page, 390)
    expect(rows).to_have_count(6)
    for i in range(6):
        row = rows.nth(i)
        assert row.evaluate("e => getComputedStyle(e).display") == "block"
        box = row.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    first = page.locator(f"[data-testid=queue-row][data-filing='{filings[0].pk}']")
    # The same data as the table: enterprise, deliverable, state, due and overdue, reviewer,
    # the link to the filing.
    expect(first).to_contain_text(enterprises[0].name_zh)
    expect(first).to_contain_text("实施方案B2")
    expect(first).to_contain_text(zh("Submitted"))
    due = plan.due_on
    expect(first).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    expect(first).to_contain_text(zh("Overdue"))
    expect(first).to_contain_text(world.sasac_reviewer.full_name)
    expect(first.locator(f"a[href='{filings[0].get_absolute_url()}']")).to_be_visible()
    label = first.locator("td[data-label]").nth(1)
    shown = label.evaluate("e => getComputedStyle(e, '::before').content")
    assert zh("Deliverable") in shown, shown
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_page(page, "queue", 390)
