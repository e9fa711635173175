"""Figures in the plan editor, in Chromium: an ambiguous decimal comma is refused with its
message and nothing is saved; a grouped amount is stored as its digits and shown grouped at
the indicator's precision."""

import os
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.demo.services import DEMO_PASSWORD
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing, FilingVersion
from apps.filings.services import filing_start
from apps.plans.constants import CORE_INDICATORS
from apps.timeline.models import Deliverable
from tests.browser.conftest import describe, login, run_axe
from tests.conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EDITOR = "editor.gdwt@example.cn"
LEAD = "lead.gdwt@example.cn"
CODES = [c.code for c in CORE_INDICATORS]
TOTAL, DEBT = CODES.index("total_profit"), CODES.index("debt_to_asset")


def draft_of(filing: Filing) -> FilingVersion:
    filing.refresh_from_db()
    assert filing.draft_id is not None
    return FilingVersion.objects.get(pk=filing.draft_id)


def unescaped(html: str) -> str:
    return html.replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'")


def save(page: Any) -> None:
    """Save the section (htmx swaps the editor in place) and wait for the answer."""
    with page.expect_response(re.compile(r"/edit/indicators/$")):
        page.click("[data-testid=save]")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def test_figures_are_refused_or_stored_exactly(live_server: Any, page: Any) -> None:
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    enterprise = Enterprise.objects.get(name_zh="广东示范水务环境集团有限公司")
    deliverable = Deliverable.objects.get(campaign__code="DEMO", kind="plan")
    filing = filing_start(
        enterprise=enterprise, deliverable=deliverable, actor=User.objects.get(email=LEAD)
    )
    edit_url = reverse("filings:section_edit", args=[filing.pk, "indicators"])
    login(page, EDITOR, DEMO_PASSWORD)
    page.goto(edit_url)
    debt = f"input[name=indicators-{DEBT}-baseline]"
    total = f"input[name=indicators-{TOTAL}-baseline]"

    # A debt-to-asset ratio saved first, so that "nothing saved" has something to keep.
    page.fill(debt, "62.5")
    save(page)
    expect(page.locator("[data-testid=saved]")).to_be_visible()
    assert draft_of(filing).content["indicators"]["rows"][DEBT]["baseline"] == "62.5"
    before = draft_of(filing)

    # 1. "12,5" in the debt ratio's baseline: refused, the message quotes it, nothing saved.
    page.fill(debt, "12,5")
    save(page)
    message = unescaped(
        zh(
            "“%(typed)s” is not a number: a comma can only separate thousands (1,175,000); "
            "write decimals with a point (12.5).",
            typed="12,5",
        )
    )
    cell = page.locator(f"td:has({debt})")
    expect(cell.locator(".invalid-feedback")).to_contain_text(message)
    expect(page.locator(debt)).to_have_value("12,5")  # what was typed stays to be corrected
    expect(page.locator(debt)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("[data-testid=saved]")).to_have_count(0)
    violations = run_axe(page)
    assert not violations, describe(violations)
    after = draft_of(filing)
    assert after.content == before.content
    assert after.revisions == before.revisions
    page.goto(edit_url)  # reload: the stored value, unchanged
    expect(page.locator(debt)).to_have_value("62.5")
    assert draft_of(filing).content["indicators"]["rows"][DEBT]["baseline"] == "62.5"

    # 2. "1,175,000" in total profit's baseline: stored as "1175000", shown "1,175,000.00".
    page.fill(total, "1,175,000")
    save(page)
    expect(page.locator("[data-testid=saved]")).to_be_visible()
    assert draft_of(filing).content["indicators"]["rows"][TOTAL]["baseline"] == "1175000"
    expect(page.locator(total)).to_have_value("1,175,000")  # the editor shows it grouped
    page.goto(reverse("filings:check", args=[filing.pk]))
    row = page.locator("tr", has=page.locator("th", has_text="利润总额")).first
    expect(row).to_contain_text("1,175,000.00")
    expect(page.locator("tr", has=page.locator("th", has_text="资产负债率")).first).to_contain_text(
        "62.50%"
    )
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors
