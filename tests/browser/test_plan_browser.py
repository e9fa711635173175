"""An enterprise writes its implementation plan in the browser, the lead submits it, the
commission approves it, and the lead opens an amendment while v1 stays in force."""

import os
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.demo.services import DEMO_PASSWORD
from apps.demo.submission import minimal_pdf
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.filings.services import filing_transition
from apps.plans.constants import CORE_INDICATORS, ActionArea
from apps.timeline.models import Deliverable
from tests.browser.conftest import answer_confirm, describe, login, run_axe, tick_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EDITOR = "editor.gdwt@example.cn"
LEAD = "lead.gdwt@example.cn"
DEBT_ROW = [c.code for c in CORE_INDICATORS].index("debt_to_asset")

# (baseline, benchmark) per core indicator, in the notice's order (apps/plans/demo.py).
INDICATOR_VALUES = {
    "total_profit": ("125000", "260000"),
    "net_profit": ("98000", "210000"),
    "debt_to_asset": ("64.5", "55.0"),
    "roe": ("7.8", "12.5"),
    "labour_productivity": ("68.0", "120.0"),
    "eva_ratio": ("1.9", "4.0"),
    "rd_intensity": ("2.6", "4.5"),
    "operating_cash_ratio": ("9.5", "14.0"),
}


def save_next(page: Any, following: str) -> None:
    """Save the section with "save and continue" and land on ``following`` (a URL tail)."""
    page.click("[data-testid=save-next]")
    page.wait_for_url(re.compile(re.escape(following) + "$"))


def test_plan_written_submitted_approved_and_amended(
    browser: Any, live_server: Any, page: Any
) -> None:
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    enterprise = Enterprise.objects.get(name_zh="广东示范水务环境集团有限公司")
    plan = Deliverable.objects.get(campaign__code="DEMO", kind="plan")
    assert not Filing.objects.filter(enterprise=enterprise, deliverable=plan).exists()

    # The editor starts the plan from the enterprise page.
    login(page, EDITOR, DEMO_PASSWORD)
    page.click("[data-testid=enterprise-card] a")
    page.wait_for_url(re.compile(re.escape(enterprise.get_absolute_url()) + "$"))
    start_url = reverse("filings:start", args=[enterprise.credit_code, plan.pk])
    row = page.locator("tr", has=page.locator(f'form[action="{start_url}"]'))
    with page.expect_navigation():
        row.locator("[data-testid=start-filing]").click()
    filing = Filing.objects.get(enterprise=enterprise, deliverable=plan)
    filing_url = filing.get_absolute_url()
    assert page.url.endswith(filing_url)

    def edit_url(section: str) -> str:
        return reverse("filings:section_edit", args=[filing.pk, section])

    page.click("[data-testid=edit-draft]")
    page.wait_for_url(re.compile(re.escape(edit_url("diagnosis")) + "$"))

    # 1. Diagnosis.
    page.fill(
        "textarea[name=key_factors]", "供水和污水处理主业的规模效益与资本回报是价值创造的关键。"
    )
    page.fill(
        "textarea[name=shortcomings]",
        "资产负债率偏高，研发投入强度不足，运营效率低于行业先进水平。",
    )
    save_next(page, edit_url("benchmarks"))

    # 2. Benchmarks: an empty table shows one blank row; "add a row" keeps what was typed.
    page.fill("input[name=benchmarks-0-name]", "Veolia Environnement S.A.")
    page.fill("input[name=benchmarks-0-country]", "法国")
    page.select_option("select[name=benchmarks-0-level]", "world_class")
    page.fill("input[name=benchmarks-0-source]", "2023年年报")
    page.click("[data-testid=add-row]")
    expect(page.locator("[data-testid=benchmark-row]")).to_have_count(2)
    expect(page.locator("input[name=benchmarks-0-name]")).to_have_value("Veolia Environnement S.A.")
    page.fill("input[name=benchmarks-1-name]", "行业领先水务企业A")
    page.fill("input[name=benchmarks-1-country]", "中国")
    page.select_option("select[name=benchmarks-1-level]", "industry_advanced")
    page.fill("input[name=benchmarks-1-source]", "行业协会统计")
    save_next(page, edit_url("indicators"))

    # 3. Core indicators: the eight rows exist; fill each one, every campaign year.
    rows = page.locator("[data-testid=indicator-row]")
    expect(rows).to_have_count(len(CORE_INDICATORS))
    gap = page.locator("#gap-debt_to_asset")
    expect(gap.locator("[data-testid=gap]")).to_have_count(0)  # nothing typed yet: "—"
    for i, core in enumerate(CORE_INDICATORS):
        baseline, benchmark = INDICATOR_VALUES[core.code]
        assert rows.nth(i).get_attribute("data-code") == core.code
        page.fill(f"input[name=indicators-{i}-baseline_year]", "2023")
        page.fill(f"input[name=indicators-{i}-baseline]", baseline)
        targets = page.locator(f"input[name^=indicators-{i}-target_]")
        assert targets.count() >= 1
        step = (float(benchmark) - float(baseline)) / (targets.count() + 1)
        for t in range(targets.count()):
            targets.nth(t).fill(f"{float(baseline) + step * (t + 1):.2f}")
        page.fill(f"input[name=indicators-{i}-benchmark]", benchmark)
        page.fill(f"input[name=indicators-{i}-benchmark_source]", "世界一流企业对标数据库（示范）")
    page.keyboard.press("Tab")  # the last field's change event

    # The gap cell follows what is typed (htmx fragment): debt-to-asset, lower is better.
    # Every input of a row posts on change and the responses may come back out of order
    # (no hx-sync in apps/plans/templatetags/plan_tags.py), so after the bulk typing the
    # cell can show a stale "—": let those requests settle, then change one field at a time.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.fill(f"input[name=indicators-{DEBT_ROW}-baseline]", "60.0")
    page.keyboard.press("Tab")
    expect(gap.locator("[data-testid=gap]")).to_contain_text("5.0")  # 60.0 − 55.0
    expect(gap.locator("[data-testid=gap]")).to_have_class(re.compile(r"\bplan-gap-behind\b"))
    page.fill(f"input[name=indicators-{DEBT_ROW}-benchmark]", "50.0")
    page.keyboard.press("Tab")
    expect(gap.locator("[data-testid=gap]")).to_contain_text("10.0")  # 60.0 − 50.0
    violations = run_axe(page)
    assert not violations, describe(violations)
    save_next(page, edit_url("measures"))

    # 4. Measures under the seven action areas.
    for area in ActionArea:
        page.fill(f"textarea[name={area.value}]", f"{area.label}：明确举措、责任部门和量化目标。")
    save_next(page, edit_url("tasks"))

    # 5. Key tasks: one row.
    page.select_option("select[name=tasks-0-area]", ActionArea.EFFICIENCY.value)
    page.fill("input[name=tasks-0-title]", "压降资产负债率专项行动")
    page.fill("input[name=tasks-0-department]", "财务部")
    page.fill("input[name=tasks-0-person]", "李四")
    page.fill("input[name=tasks-0-start]", "2025-01-01")
    page.fill("input[name=tasks-0-due]", "2026-12-31")
    page.fill("textarea[name=tasks-0-result]", "资产负债率降至60%以下")
    save_next(page, edit_url("assurance"))

    # 6. Assurance measures; "save and continue" on the last section leads to the check page.
    page.fill("textarea[name=organisation]", "成立由董事长任组长的价值创造行动领导小组。")
    page.fill("textarea[name=incentives]", "将价值创造指标纳入经理层经营业绩考核。")
    page.fill("textarea[name=constraints]", "对未完成目标的单位进行约谈。")
    check_url = reverse("filings:check", args=[filing.pk])
    save_next(page, check_url)

    # The editor's check page: complete, but only the lead can submit.
    expect(page.locator("[data-testid=complete]")).to_be_visible()
    assert page.locator("[data-testid=missing-list]").count() == 0
    assert page.locator("[data-testid=submit-form]").count() == 0
    expect(page.locator("main .alert-info[role=status]")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors  # CSP violations, htmx errors
    draft = Filing.objects.get(pk=filing.pk).draft
    assert draft is not None
    assert draft.content["indicators"]["rows"][DEBT_ROW]["baseline"] == "60.0"
    assert draft.content["indicators"]["rows"][DEBT_ROW]["benchmark"] == "50.0"
    assert [r["level"] for r in draft.content["benchmarks"]["rows"]] == [
        "world_class",
        "industry_advanced",
    ]

    # The editor attaches the Party committee's minutes, the one paper the plan requires.
    page.goto(reverse("filings:attachments", args=[filing.pk]))
    page.select_option("select[name=attachment_type]", "decision_record")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "党委会议纪要.pdf", "mimeType": "application/pdf",
                "buffer": minimal_pdf("Minutes of the Party committee meeting")}],
    )  # fmt: skip
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.locator("[data-testid=attachment-type]")).to_have_text(
        "党委（党组）会议纪要或董事会决议"
    )

    # The lead checks the answers and submits.
    lead_context = browser.new_context(base_url=live_server.url)
    p2 = lead_context.new_page()
    p2.set_default_timeout(15_000)
    login(p2, LEAD, DEMO_PASSWORD)
    p2.goto(filing_url)
    p2.click("[data-testid=check-answers]")
    p2.wait_for_url(re.compile(re.escape(check_url) + "$"))
    tick_submission(p2)
    with p2.expect_navigation():
        p2.click("[data-testid=submit]")
        answer_confirm(p2)
    expect(p2.locator("[data-testid=filing-state]")).to_have_text("已提交")
    assert Filing.objects.get(pk=filing.pk).state == "submitted"

    # The commission reviews and approves (no review screens yet: through the service).
    reviewer = User.objects.get(email="gd.lead@example.cn")
    filing = filing_transition(filing=filing, action="start_review", actor=reviewer)
    filing = filing_transition(filing=filing, action="approve", actor=reviewer)

    # The lead opens an amendment; v1 stays in force while v2 is drafted.
    p2.reload()
    expect(p2.locator("[data-testid=filing-state]")).to_have_text("已备案")
    with p2.expect_navigation():
        p2.click("[data-testid=action-amend]")
        answer_confirm(p2)
    expect(p2.locator("[data-testid=filing-state]")).to_have_text("草稿")
    # The header's note under the badge: v1 approved and in force, an amendment in progress.
    expect(p2.locator("[data-testid=filing-state] + div")).to_be_visible()
    # The page shows the draft being worked on (v2), and names v1 as the version in force.
    expect(p2.locator("[data-testid=current-version]")).to_have_attribute("data-version", "2")
    expect(p2.locator("[data-testid=in-force-banner]")).to_have_attribute("data-version", "1")
    expect(p2.locator("[data-testid=draft-card] h2")).to_contain_text("2")
    filing.refresh_from_db()
    assert filing.is_amendment
    assert filing.approved_version is not None and filing.approved_version.number == 1
    assert filing.draft is not None and filing.draft.number == 2

    p2.click(f'.nav-tabs a[href="{reverse("filings:versions", args=[filing.pk])}"]')
    versions = p2.locator("[data-testid=versions] tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0).locator("td").first).to_have_text("v1")
    expect(versions.nth(0).locator(".status-approved")).to_have_count(1)
    expect(versions.nth(1).locator("td").first).to_have_text("v2")
    expect(versions.nth(1).locator(".status-draft")).to_have_count(1)
    lead_context.close()
