"""A benchmarking project through the whole process, in the browser.

A reviewer nominates a typical case from the filed assessment report's page; two reviewers
score it; the lead reviewer proposes it (the case summary approved for publication) and
publishes a public notice with its dates; the notice is read without signing in; time
passes (the notice's dates are moved into the past in the database); the lead reviewer
designates from the notice's page; /models/ shows the enterprise under its industry heading.

The nomination page, the notice and /models/ are checked at 1366 and 390 px: no sideways
scrolling, no serious or critical axe-core violation, no console error; screenshots in
test-artifacts/ (nominations-*.png).
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.services import filing_start, filing_transition
from apps.nominations.models import Nomination, NominationScore, PublicNotice
from apps.reviews.services import decision_make
from apps.stages.demo import stage_fill
from apps.stages.models import Designation
from apps.timeline.models import Campaign, local_today
from tests.browser.conftest import ROOT, answer_confirm, describe, page_as, run_axe
from tests.conftest import World
from tests.factories import UserFactory
from tests.filings.conftest import a_submission
from tests.nominations.conftest import end_notice
from tests.stages.conftest import make_approved_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (1366, 390)
SUMMARY = "资金集中度提升至96%，财务费用下降12%。"


def check_page(page: Any, name: str) -> None:
    """At both widths: nothing wider than the screen, no serious accessibility fault, no
    console error; a full-page screenshot."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, width)
        violations = run_axe(page)
        assert not violations, describe(violations)
        page.screenshot(path=str(ARTIFACTS / f"nominations-{name}-{width}.png"), full_page=True)
    assert not page.console_errors, page.console_errors
    page.set_viewport_size({"width": 1366, "height": 900})


def filed_report(world: World, campaign: Campaign) -> Any:
    """The central enterprise's assessment report, filed (through the services)."""
    make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    report = filing_start(
        enterprise=world.central,
        deliverable=campaign.deliverables.get(kind="assessment_report"),
        actor=world.editor,
    )
    stage_fill(filing=report, actor=world.editor)
    report = filing_transition(
        filing=report, action="submit", submission=a_submission(), actor=world.lead
    )
    report = filing_transition(filing=report, action="start_review", actor=world.sasac_reviewer)
    decision_make(filing=report, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    report.refresh_from_db()
    assert report.approved_version_id is not None
    return report


def test_a_benchmarking_project_from_nomination_to_the_public_list(
    browser: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    report = filed_report(world, campaign)
    second: User = UserFactory(email="sasac.reviewer2@example.cn")
    membership_grant(user=second, role=Role.REVIEWER, authority=world.sasac)

    # A reviewer nominates the report's first typical case from the report's page.
    reviewer = page_as(browser, live_server, world.sasac_reviewer)
    reviewer.goto(report.get_absolute_url())
    with reviewer.expect_navigation():
        reviewer.click("[data-testid=nominate-benchmark_project]")
    form = reviewer.locator("[data-testid=nominate-form]")
    expect(form.locator("input[name=kind][value=benchmark_project]")).to_be_checked()
    form.locator("select[name=case_id]").select_option("case1")
    expect(form.locator("select[name=industry]")).to_have_value("C")  # the enterprise's
    form.locator("textarea[name=case_summary]").fill(SUMMARY)
    with reviewer.expect_navigation():
        reviewer.click("[data-testid=nominate-submit]")
    nomination = Nomination.objects.get()
    assert reviewer.url.endswith(nomination.get_absolute_url())
    assert (nomination.title, nomination.field, nomination.source) == (
        "司库体系建设",
        "efficiency",
        "authority",
    )
    expect(reviewer.locator("[data-testid=status]").first).to_have_attribute(
        "data-status", "nominated"
    )

    # Two reviewers score it.
    reviewer.fill("[data-testid=score-form] input[name=score]", "86")
    reviewer.fill("[data-testid=score-form] textarea[name=comment]", "资金管理成效显著。")
    with reviewer.expect_navigation():
        reviewer.click("[data-testid=score-submit]")
    expect(reviewer.locator("[data-testid=score-row]")).to_have_count(1)
    other = page_as(browser, live_server, second)
    other.goto(nomination.get_absolute_url())
    other.fill("[data-testid=score-form] input[name=score]", "92")
    with other.expect_navigation():
        other.click("[data-testid=score-submit]")
    expect(other.locator("[data-testid=score-row]")).to_have_count(2)
    expect(other.locator("[data-testid=score-mean]")).to_have_text("89.0")
    assert sorted(NominationScore.objects.values_list("score", flat=True)) == [86, 92]
    other.context.close()

    # The lead reviewer proposes it, with the summary approved for publication.
    lead = page_as(browser, live_server, world.sasac_lead_reviewer)
    lead.goto(nomination.get_absolute_url())
    lead.check("[data-testid=propose-form] input[name=publish_summary]")
    with lead.expect_navigation():
        lead.click("[data-testid=propose]")
        answer_confirm(lead)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.publish_summary) == ("proposed", True)
    check_page(lead, "nomination")

    # ... and publishes the public notice, from the authority's nominations.
    lead.goto(reverse("nominations:authority_list", args=[world.sasac.code]))
    with lead.expect_navigation():
        lead.click("[data-testid=notice-new]")
    today = local_today()
    notice_form = lead.locator("[data-testid=notice-form]")
    notice_form.locator("input[name=title]").fill("2025年度价值创造标杆项目公示")
    notice_form.locator("input[name=starts_on]").fill(today.isoformat())
    notice_form.locator("input[name=ends_on]").fill((today + dt.timedelta(days=7)).isoformat())
    notice_form.locator(f"input[name=nominations][value='{nomination.pk}']").check()
    with lead.expect_navigation():
        lead.click("[data-testid=notice-publish]")
        answer_confirm(lead)
    notice = PublicNotice.objects.get()
    assert lead.url.endswith(notice.get_absolute_url())
    assert (notice.starts_on, notice.ends_on) == (today, today + dt.timedelta(days=7))
    nomination.refresh_from_db()
    assert nomination.status == "in_notice"
    # Not before the notice has ended.
    assert lead.locator("[data-testid=notice-designate]").count() == 0

    # Anyone reads the notice, without signing in: names, titles, the summary, the dates.
    public_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    public = public_context.new_page()
    public.console_errors = []
    public.on(
        "console", lambda m: public.console_errors.append(m.text) if m.type == "error" else None
    )
    public.goto(notice.get_absolute_url())
    rows = public.locator("[data-testid=notice-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.central.name_zh)
    expect(rows.first).to_contain_text("司库体系建设")
    expect(public.locator("[data-testid=notice-summary]")).to_have_text(SUMMARY)
    expect(public.locator("[data-testid=notice-dates]")).to_contain_text(str(today.year))
    assert public.locator("[data-testid=status]").count() == 0  # nothing of the process
    assert public.locator("[data-testid=notice-manage]").count() == 0
    check_page(public, "notice")

    # Time passes: the notice ran until yesterday. The lead reviewer designates.
    end_notice(notice)
    lead.goto(notice.get_absolute_url())
    with lead.expect_navigation():
        lead.click("[data-testid=notice-designate]")
        answer_confirm(lead)
    designation = Designation.objects.active().get()
    nomination.refresh_from_db()
    assert nomination.status == "designated" and nomination.designation == designation
    assert (designation.enterprise, designation.title) == (world.central, "司库体系建设")
    lead.goto(nomination.get_absolute_url())
    expect(lead.locator("[data-testid=designated]")).to_be_visible()
    history = lead.locator("[data-testid=history] li")
    expect(history).to_have_count(6)  # nominated, 2 scores, proposed, in notice, designated
    assert not lead.console_errors, lead.console_errors
    lead.context.close()
    reviewer.context.close()

    # The public list shows the enterprise under its industry's heading, with the summary.
    public.goto(reverse("stages:national_list"))
    group = public.locator("[data-testid=industry-group][data-industry=C]")
    expect(group.locator("[data-testid=industry-heading]")).to_have_text(re.compile(r"^C\s"))
    expect(group.locator("[data-testid=designation-row]")).to_have_count(1)
    expect(group).to_contain_text(world.central.name_zh)
    expect(group).to_contain_text("司库体系建设")
    expect(group.locator("[data-testid=designation-summary]")).to_have_text(SUMMARY)
    check_page(public, "models")
    public_context.close()
