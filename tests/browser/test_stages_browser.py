"""An enterprise lead writes a stage summary prefilled from its approved plan and submits it;
a lead reviewer scores an assessment report."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.reviews.services import decision_make
from apps.stages.content import judged
from apps.stages.demo import stage_fill
from apps.stages.models import Assessment, IndicatorResult, ScoreLevel, ScoreScale
from apps.stages.scales import score_scale_ensure
from apps.timeline.models import Campaign
from tests.browser.conftest import (
    answer_confirm,
    describe,
    login_by_cookie,
    run_axe,
    tick_submission,
)
from tests.conftest import World
from tests.filings.conftest import a_submission
from tests.stages.conftest import make_approved_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_next(page: Any, following: str) -> None:
    page.click("[data-testid=save-next]")
    page.wait_for_url(re.compile(re.escape(following) + "$"))


def test_stage_summary_and_scoring(
    browser: Any, live_server: Any, page: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    # The scale comes from a data migration, which an earlier transactional test flushed.
    score_scale_ensure(ScoreScale, ScoreLevel)
    plan = make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    assert plan.approved_version is not None
    plan_rows = plan.approved_version.content["indicators"]["rows"]
    h2 = campaign.deliverables.get(title_en="H2 summary")

    # The lead starts the H2 summary from the enterprise page.
    login_by_cookie(page, live_server, world.lead)
    page.goto(world.central.get_absolute_url())
    start_url = reverse("filings:start", args=[world.central.credit_code, h2.pk])
    with page.expect_navigation():
        page.locator(f'form[action="{start_url}"] [data-testid=start-filing]').click()
    summary = Filing.objects.get(enterprise=world.central, deliverable=h2)
    assert page.url.endswith(summary.get_absolute_url())

    def edit_url(section: str) -> str:
        return reverse("filings:section_edit", args=[summary.pk, section])

    page.click("[data-testid=edit-draft]")
    page.wait_for_url(re.compile(re.escape(edit_url("indicators")) + "$"))

    # Prefilled: every indicator of the plan with its name and its 2026 target, read-only.
    rows = page.locator("[data-testid=result-row]")
    expect(rows).to_have_count(len(plan_rows))
    for i, source in enumerate(plan_rows):
        expect(rows.nth(i).locator("th")).to_contain_text(source["name_zh"])
        # Shown grouped at two places, "%" kept (Python's own formatting as the oracle).
        shown = f"{Decimal(source['targets']['2026']):,.2f}" + (
            "%" if source["unit"] == "%" else ""
        )
        expect(rows.nth(i).locator("[data-testid=target]")).to_have_text(shown)
    assert page.locator("input[name=indicators-0-target]").count() == 0

    # Actuals: all the way to the target for every row but the first, typed one by one.
    for i, source in enumerate(plan_rows):
        page.fill(f"input[name=indicators-{i}-actual]", source["targets"]["2026"])
    page.keyboard.press("Tab")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    first = plan_rows[0]
    halfway = (Decimal(first["baseline"]) + Decimal(first["targets"]["2026"])) / 2
    page.fill("input[name=indicators-0-actual]", str(halfway))
    page.keyboard.press("Tab")
    progress = page.locator(f"#progress-{first['id']} [data-testid=progress]")
    expect(progress).to_contain_text("50.0")
    violations = run_axe(page)
    assert not violations, describe(violations)
    save_next(page, edit_url("tasks"))

    # Key tasks: the plan's tasks, each with a status (and evidence when done).
    task_rows = page.locator("[data-testid=task-status-row]")
    n_tasks = len(plan.approved_version.content["tasks"]["rows"])
    expect(task_rows).to_have_count(n_tasks)
    for i in range(n_tasks):
        page.select_option(f"select[name=tasks-{i}-status]", "done" if i == 0 else "in_progress")
    page.fill("textarea[name=tasks-0-evidence]", "专项审计报告已出具。")
    save_next(page, edit_url("problems"))
    page.fill("textarea[name=text]", "利润总额受市场价格下行影响，进度落后。")
    save_next(page, edit_url("adjustments"))
    page.fill("textarea[name=text]", "加快低效资产处置，压降成本。")
    check_url = reverse("filings:check", args=[summary.pk])
    save_next(page, check_url)

    expect(page.locator("[data-testid=complete]")).to_be_visible()
    tick_submission(page)
    with page.expect_navigation():
        page.click("[data-testid=submit]")
        answer_confirm(page)
    summary.refresh_from_db()
    assert summary.state == "submitted"
    assert not page.console_errors, page.console_errors
    version = summary.latest_submitted
    assert version is not None
    first_row = version.content["indicators"]["rows"][0]
    assert Decimal(first_row["actual"]) == halfway
    # Behind: halfway to the year's target, judged for the whole year 2026 it reports.
    assert judged(first_row, summary, version.content["indicators"]).on_track is False
    assert version.content["tasks"]["rows"][0]["evidence"] == "专项审计报告已出具。"
    assert IndicatorResult.objects.filter(version=version).count() == len(plan_rows)

    # An assessment report, submitted and under review (made through the services).
    report = filing_start(
        enterprise=world.central,
        actor=world.editor,
        deliverable=campaign.deliverables.get(kind="assessment_report"),
    )
    stage_fill(filing=report, actor=world.editor)
    report = filing_transition(
        filing=report, action="submit", submission=a_submission(), actor=world.lead
    )
    report = filing_transition(filing=report, action="start_review", actor=world.sasac_reviewer)

    # The lead reviewer scores it.
    reviewer_context = browser.new_context(base_url=live_server.url, locale="en-US")
    p2 = reviewer_context.new_page()
    p2.set_default_timeout(15_000)
    login_by_cookie(p2, live_server, world.sasac_lead_reviewer)
    p2.goto(report.get_absolute_url())
    form = p2.locator("[data-testid=score-form]")
    for select in form.locator("select[name^=area-]").all():
        select.select_option("good")
    p2.select_option("select[name=overall]", "excellent")
    p2.fill("textarea[name=comment]", "目标完成较好。")
    with p2.expect_navigation():
        p2.click("[data-testid=score]")
    expect(p2.locator("[data-testid=assessment-overall]")).to_contain_text("优秀")
    assessment = Assessment.objects.get(filing=report)
    assert assessment.overall.code == "excellent" and assessment.scores.count() == 7

    # Approved: naming it a model enterprise is a process of its own (nomination, scores,
    # public notice): tests/browser/test_nominations_browser.py.
    decision_make(filing=report, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    reviewer_context.close()
