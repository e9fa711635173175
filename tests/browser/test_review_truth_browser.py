"""What a reviewer reads is the version in question: an amendment under review shows its own
figures, names the version in force beside them, and carries the comments made on the
version before it, beside the rows they are about.

v1 of a real plan is approved; the amendment v2 is returned by the lead reviewer with a
comment on the debt-to-asset ratio (chosen by its name in the page's list of targets); the
enterprise changes that baseline and submits v3, which the reviewer then reads."""

import re
from typing import Any

import pytest
from django.urls import reverse

from apps.filings.models import Filing
from apps.filings.services import filing_save_section, filing_transition
from apps.plans.constants import CORE_INDICATORS
from apps.timeline.models import Campaign
from tests.browser.conftest import (
    ROOT,
    describe,
    page_as,
    run_axe,
    tick_submission,
)
from tests.conftest import World, zh
from tests.filings.conftest import a_submission
from tests.stages.conftest import make_approved_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
DEBT_ROW = [c.code for c in CORE_INDICATORS].index("debt_to_asset")
COMMENT = "资产负债率基期值与2022年年报不一致，请核实并说明口径。"


def shoot(page: Any, name: str) -> None:
    """Full-page screenshots at a laptop's width and a phone's, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"review-truth-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def submit_confirmed(page: Any, button: str) -> None:
    """Press a button that asks first (data-confirm), and confirm: in the page's own dialog
    where there is one, else in the browser's."""
    page.once("dialog", lambda d: d.accept())
    page.click(button)
    modal = page.locator("[data-testid=confirm-dialog]")
    if modal.count():
        page.click("[data-testid=confirm-accept]")


def set_debt_baseline(filing: Filing, world: World, value: str) -> None:
    filing.refresh_from_db()
    assert filing.draft is not None
    indicators = filing.draft.content["indicators"]
    indicators["rows"][DEBT_ROW]["baseline"] = value
    filing_save_section(
        filing=filing, section="indicators", data=indicators,
        base_revision=int(filing.draft.revisions.get("indicators", 0)), actor=world.editor,
    )  # fmt: skip


def test_the_reviewer_reads_the_version_in_question(
    browser: Any, live_server: Any, world: World, campaign: Campaign
) -> None:
    from playwright.sync_api import expect

    # v1 approved; the amendment v2 (another debt-ratio baseline) submitted, under review.
    filing = make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    filing = filing_transition(filing=filing, action="amend", actor=world.lead)
    set_debt_baseline(filing, world, "61.5")
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    url = filing.get_absolute_url()

    # The lead reviewer reads v2, with v1 named as the version in force.
    lead_reviewer = page_as(browser, live_server, world.sasac_lead_reviewer)
    lead_reviewer.goto(url)
    expect(lead_reviewer.locator("[data-testid=current-version]")).to_have_attribute(
        "data-version", "2"
    )
    expect(lead_reviewer.locator("[data-testid=in-force-banner]")).to_have_attribute(
        "data-version", "1"
    )

    # An empty comment is refused at its field, the chosen target kept, the summary focused.
    lead_reviewer.select_option("#comment-anchor", label="核心指标 · 资产负债率")
    lead_reviewer.click("[data-testid=add-comment]")
    # Back to the form: the page, scrolled to the error summary.
    lead_reviewer.wait_for_url(re.compile(r"#comment-errors$"))
    summary = lead_reviewer.locator("[data-testid=comment-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(zh("Write the comment."))
    expect(lead_reviewer.locator("#comment-anchor")).to_have_value("indicators||debt_to_asset")
    ARTIFACTS.mkdir(exist_ok=True)
    lead_reviewer.locator("[data-testid=comment-form]").screenshot(
        path=str(ARTIFACTS / "review-truth-comment-refused.png")
    )

    # The comment on the row, for the enterprise to read (not internal).
    lead_reviewer.fill("#comment-body", COMMENT)
    lead_reviewer.uncheck("#comment-internal")
    # wait_for_url, not expect_navigation: here it timed out on these POST-redirect-GETs
    # (the first one lands on a URL with a fragment) although the pages had loaded.
    lead_reviewer.click("[data-testid=add-comment]")
    lead_reviewer.wait_for_url(re.compile(re.escape(url) + "$"))
    expect(lead_reviewer.locator("[data-testid=comment-target]")).to_have_text(
        ["核心指标 · 资产负债率"]
    )
    beside = lead_reviewer.locator("tr.anchor-notes-row[data-row=debt_to_asset]")
    expect(beside).to_contain_text(COMMENT)

    # Returned for revision.
    lead_reviewer.check("#dec-return")
    lead_reviewer.fill("#dec-reasons", "请核实资产负债率基期值。")
    submit_confirmed(lead_reviewer, "[data-testid=decide]")
    expect(lead_reviewer.locator("[data-testid=decisions]")).to_contain_text(
        "请核实资产负债率基期值。"
    )
    filing.refresh_from_db()
    assert filing.state == "returned"
    assert not lead_reviewer.console_errors, lead_reviewer.console_errors

    # The enterprise reads its draft v3, the comment beside the row, and changes the figure.
    lead = page_as(browser, live_server, world.lead)
    lead.goto(url)
    expect(lead.locator("[data-testid=current-version]")).to_have_attribute("data-version", "3")
    note = lead.locator("tr.anchor-notes-row[data-row=debt_to_asset]")
    expect(note).to_contain_text(COMMENT)
    expect(note).to_contain_text(zh("on version %(number)s", number=2))
    edit_url = reverse("filings:section_edit", args=[filing.pk, "indicators"])
    lead.goto(edit_url)
    lead.fill(f"input[name=indicators-{DEBT_ROW}-baseline]", "58.76")
    lead.click("[data-testid=save]")
    expect(lead.locator("[data-testid=saved]")).to_be_visible()
    lead.goto(reverse("filings:check", args=[filing.pk]))
    tick_submission(lead)
    submit_confirmed(lead, "[data-testid=submit]")
    lead.wait_for_url(re.compile(re.escape(url) + "$"))
    filing.refresh_from_db()
    assert filing.state == "submitted"
    assert filing.latest_submitted is not None and filing.latest_submitted.number == 3
    v3_sha = filing.latest_submitted.sha256

    # The reviewer's overview: v3's figures, v1 in force, the v2 comment beside its row.
    reviewer = page_as(browser, live_server, world.sasac_reviewer)
    reviewer.goto(url)
    content = reviewer.locator("[data-testid=current-version]")
    expect(content).to_have_attribute("data-version", "3")
    expect(reviewer.locator("[data-testid=shown-heading]")).to_contain_text(v3_sha[:12])
    banner = reviewer.locator("[data-testid=in-force-banner]")
    expect(banner).to_contain_text(zh("Version %(n)s is filed and in force.", n=1))
    expect(banner.locator("a")).to_have_attribute(
        "href", reverse("filings:version", args=[filing.pk, 1])
    )
    debt = content.locator("table.plan-indicators tbody tr", has_text="资产负债率").first
    expect(debt).to_contain_text("58.76")
    # The note row comes right after the debt-ratio row.
    after_debt = content.locator(
        "table.plan-indicators tbody tr:has([data-testid=indicator-name]:text-is('资产负债率'))"
        " + tr.anchor-notes-row"
    )
    expect(after_debt).to_have_attribute("data-row", "debt_to_asset")
    expect(after_debt).to_contain_text(COMMENT)
    expect(after_debt).to_contain_text(zh("on version %(number)s", number=2))
    changes = reverse("filings:diff", args=[filing.pk]) + "?a=2&b=3"
    expect(reviewer.locator("[data-testid=changes-since]")).to_have_attribute("href", changes)
    violations = run_axe(reviewer)
    assert not violations, describe(violations)
    assert not reviewer.console_errors, reviewer.console_errors
    shoot(reviewer, "overview")
    after_debt.scroll_into_view_if_needed()
    reviewer.set_viewport_size({"width": 390, "height": 844})
    reviewer.screenshot(path=str(ARTIFACTS / "review-truth-overview-row-390.png"))
    reviewer.set_viewport_size({"width": 1366, "height": 900})

    # The comparison v2 → v3 names the indicator as people do.
    reviewer.goto(changes)
    main = reviewer.locator("main")
    expect(main).to_contain_text("资产负债率")
    shoot(reviewer, "compare")
    assert re.search(r"58[.,]76", main.inner_text()), "v3's figure on the comparison"

    for p in (lead_reviewer, lead, reviewer):
        p.context.close()
