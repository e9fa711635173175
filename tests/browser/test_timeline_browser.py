"""An enterprise lead sees the campaign timeline; a lead reviewer grants an extension and the
enterprise sees the new date."""

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from apps.demo.services import DEMO_PASSWORD, DEMO_TOTP_KEY
from apps.timeline.models import Extension, local_today
from tests.browser.conftest import describe, login, login_as, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GDTR = "lead.gdtr@example.cn"


def test_timeline_and_extension(browser: Any, live_server: Any, page: Any) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = local_today()

    # The enterprise lead: the timeline, the current stage, the next deadline in a few days.
    login(page, GDTR, DEMO_PASSWORD)
    page.click("[data-testid=enterprise-card] a")
    page.wait_for_selector("[data-testid=campaign-timeline]")
    assert page.locator(".current-stage").count() == 1
    next_due = dt.date.fromisoformat(
        page.locator("[data-testid=next-due-date]").get_attribute("datetime") or ""
    )
    assert 0 <= (next_due - today).days <= 7
    assert page.locator("svg.timeline-svg .today-marker").count() == 1
    assert page.locator(".status-overdue").count() >= 1  # last period's summary was missed
    violations = run_axe(page)
    assert not violations, describe(violations)
    enterprise_url = page.url

    # The Guangdong lead reviewer grants an extension, with a reason, for that deliverable.
    reviewer = browser.new_context(base_url=live_server.url)
    rpage = reviewer.new_page()
    login_as(rpage, "gd.lead@example.cn", DEMO_PASSWORD, totp_key=DEMO_TOTP_KEY)
    rpage.goto(enterprise_url)
    row = rpage.locator("tr", has=rpage.locator(f"time[datetime='{next_due.isoformat()}']")).first
    row.locator("[data-testid=extension-link]").click()
    new_date = next_due + dt.timedelta(days=14)
    rpage.fill("input[name=due_on]", new_date.isoformat())
    rpage.fill("textarea[name=reason]", "企业主要负责人调整，延期两周。")
    violations = run_axe(rpage)
    assert not violations, describe(violations)
    with rpage.expect_navigation():
        rpage.click("[data-testid=grant-extension]")
    assert Extension.objects.get(due_on=new_date).reason.startswith("企业主要负责人调整")
    reviewer.close()

    # The enterprise sees the new date, marked as an extension, with the reason.
    page.goto(enterprise_url)
    body = page.content()
    assert new_date.isoformat() in body
    assert "企业主要负责人调整" in body
