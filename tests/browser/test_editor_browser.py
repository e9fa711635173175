"""The section editor and the plan's tables, in Chromium (issue 14: errors and saving, tables
that fit).

- Saving a long section (the measures, saved from the bottom of the page): the confirmation
  is in the viewport, right under the section's heading, which has focus; from there Tab goes
  on into the form, and Tab from the save button reaches "save and continue", never the skip
  link.
- A refused save ("12,5" in a baseline): the error summary has focus; its link takes focus to
  the cell's input and scrolls it into view inside its table, clear of the sticky name column;
  nothing is saved. A checklist link from the check page lands on its input, focused; "add a
  row" puts focus in the new row.
- The section list and the overview's task list follow the section's current completeness.
- At 390 px: the editor's indicator names (sticky column) take two lines at most; the
  overview shows each indicator as a card, its names on one line, nothing wider than the
  screen. At 1366 px the editor's table overflows and says so ("scroll sideways").
- axe-core: no serious or critical violation on any page. Screenshots of the plan editor
  (indicators, tasks), the overview and the review queue at 1366 and 390 px go to
  test-artifacts/editor-*.png.
"""

import re
from typing import Any

import pytest
from django.urls import reverse

from apps.filings.models import Filing
from apps.filings.services import filing_save_section, filing_start, filing_transition
from apps.plans.constants import CORE_INDICATORS, ActionArea
from apps.plans.content import campaign_years, initial_content
from apps.timeline.models import local_today
from tests.browser.conftest import ROOT, describe, login_by_cookie, run_axe
from tests.conftest import World, zh
from tests.enterprises.test_home_obligations import live_campaign
from tests.filings.conftest import a_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = ROOT / "test-artifacts"
HEIGHT = 900
DEBT = [c.code for c in CORE_INDICATORS].index("debt_to_asset")


def open_as(browser: Any, live_server: Any, user: Any, width: int = 1366) -> Any:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": HEIGHT}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    login_by_cookie(page, live_server, user)
    return page


def check_page(page: Any, name: str, width: int) -> None:
    """No sideways scrolling of the page, no serious accessibility fault, no console error;
    a full-page screenshot."""
    page.set_viewport_size({"width": width, "height": HEIGHT})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, width)
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.console_errors, page.console_errors
    ARTIFACTS.mkdir(exist_ok=True)
    # caret="initial": hiding the caret would inject a style, which the page's CSP refuses.
    page.screenshot(
        path=str(ARTIFACTS / f"editor-{name}-{width}.png"), full_page=True, caret="initial"
    )


def save(page: Any, section: str, *, key: str = "") -> None:
    """Save the section (htmx swaps the editor in place) and wait until it has settled."""
    with page.expect_response(re.compile(rf"/edit/{section}/$")):
        if key:
            page.keyboard.press(key)
        else:
            page.click("[data-testid=save]")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def active(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
             tag: e.tagName.toLowerCase(), id: e.id, testid: e.dataset.testid || '',
             name: e.getAttribute('name') || '', cls: e.className || '' }; }"""
    )


def in_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT


def name_lines(page: Any) -> list[tuple[str, int]]:
    """Each indicator name's number of lines: its height (padding left out: the display's
    names are their header cells) over its line height."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid=indicator-name]'))
             .filter((e) => e.getClientRects().length)
             .map((e) => {
               const s = getComputedStyle(e);
               const height = e.getBoundingClientRect().height - parseFloat(s.paddingTop)
                 - parseFloat(s.paddingBottom);
               return [e.textContent.trim(), Math.round(height / parseFloat(s.lineHeight))];
             })"""
    )


def statuses(page: Any, selector: str) -> dict[str, str]:
    return page.evaluate(
        f"""() => Object.fromEntries(Array.from(document.querySelectorAll('{selector}'))
             .map((e) => [e.dataset.section, e.dataset.status]))"""
    )


def fill_everything(filing: Filing, actor: Any) -> None:
    """Every section complete, through the service (the editor's own path is tested above)."""
    years = [str(y) for y in campaign_years(filing)]
    content = initial_content(filing)
    content["diagnosis"] = {"key_factors": "主业规模效益。", "shortcomings": "研发投入不足。"}
    content["benchmarks"] = {
        "rows": [
            {"id": "b1", "name": "Veolia Environnement S.A.", "country": "法国",
             "level": "world_class", "source": "2023年年报"},
        ]
    }  # fmt: skip
    for i, row in enumerate(content["indicators"]["rows"]):
        base = 60 + i
        row.update(
            baseline_year=int(years[0]) - 1,
            baseline=str(base),
            targets={y: str(base + n + 1) for n, y in enumerate(years)},
            benchmark=str(base + 8),
            benchmark_source="世界一流企业对标数据库（示范）",
        )
    # Net profit within total profit; a million-scale total profit to show the grouping.
    content["indicators"]["rows"][0].update(
        baseline="1175000", targets={y: str(1200000 + n) for n, y in enumerate(years)},
        benchmark="2600000",
    )  # fmt: skip
    content["measures"] = {area.value: f"{area.label}：举措。" for area in ActionArea}
    content["tasks"] = {
        "rows": [
            {"id": "t1", "area": "efficiency", "title": "压降资产负债率专项行动",
             "department": "财务部", "person": "李四", "start": f"{years[0]}-01-01",
             "due": f"{years[-1]}-12-31", "result": "资产负债率降至60%以下"},
        ]
    }  # fmt: skip
    content["assurance"] = {"organisation": "领导小组。", "incentives": "纳入考核。",
                            "constraints": ""}  # fmt: skip
    for key, data in content.items():
        filing.refresh_from_db()
        assert filing.draft is not None
        filing_save_section(
            filing=filing, section=key, data=data,
            base_revision=int(filing.draft.revisions.get(key, 0)), actor=actor,
        )  # fmt: skip


def test_saving_errors_and_tables_in_the_plan_editor(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    campaign = live_campaign("ED", local_today())
    plan = campaign.deliverables.get(kind="plan")
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.lead)
    page = open_as(browser, live_server, world.editor)

    def edit_url(section: str) -> str:
        return reverse("filings:section_edit", args=[filing.pk, section])

    # A new plan: a task list, every section "not started", not the list of what is missing.
    page.goto(filing.get_absolute_url())
    tasks = page.locator("[data-testid=task-list]")
    expect(tasks).to_be_visible()
    expect(page.locator("[data-testid=missing-list]")).to_have_count(0)
    assert set(statuses(page, "[data-testid=task]").values()) == {"not_started"}
    expect(tasks.locator("[data-testid=task-status]").first).to_have_text(zh("Not started"))
    box = tasks.bounding_box()
    assert box is not None and box["y"] + box["height"] <= HEIGHT  # the first screen
    check_page(page, "overview-new", 1366)

    # 1. A long section saved from the bottom of the page.
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(edit_url("measures"))
    paragraph = "；".join(["明确举措、责任部门和量化目标"] * 12)
    for area in ActionArea:
        page.fill(f"textarea[name={area.value}]", f"{area.label}：{paragraph}。\n\n第二段。")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert not in_viewport(page, "#section-heading")  # the heading is far above
    save(page, "measures")
    expect(page.locator("[data-testid=saved]")).to_be_visible()
    assert in_viewport(page, "[data-testid=saved]") and in_viewport(page, "#section-heading")
    assert active(page)["id"] == "section-heading"
    expect(page.locator("#editor-status")).to_have_text(zh("Saved."))
    page.screenshot(path=str(ARTIFACTS / "editor-plan-measures-saved-1366.png"), caret="initial")
    # From the heading, Tab goes on into the form.
    page.keyboard.press("Tab")
    assert active(page)["name"] == ActionArea.EFFICIENCY.value, active(page)
    # Tab from the save button: the next button, not the skip link.
    page.focus("[data-testid=save]")
    page.keyboard.press("Tab")
    assert active(page)["testid"] == "save-next", active(page)
    # Saved from the keyboard (Enter on the button): the same, and Tab stays in the form.
    page.fill(f"textarea[name={ActionArea.SYSTEM_CAPACITY.value}]", "体系能力：五个体系。")
    page.focus("[data-testid=save]")
    save(page, "measures", key="Enter")
    assert active(page)["id"] == "section-heading"
    assert in_viewport(page, "[data-testid=saved]")
    page.keyboard.press("Tab")
    assert "skip-link" not in active(page)["cls"] and active(page)["tag"] == "textarea"
    # Every area filled: the section list beside the editor ticks it, at once.
    assert statuses(page, "[data-testid=section-nav] li[data-section]")["measures"] == ("completed")
    violations = run_axe(page)
    assert not violations, describe(violations)

    # A required field cleared and saved: the tick goes.
    page.fill(f"textarea[name={ActionArea.INNOVATION.value}]", "")
    save(page, "measures")
    assert statuses(page, "[data-testid=section-nav] li[data-section]")["measures"] == (
        "in_progress"
    )
    expect(page.locator("#nav-status-measures")).to_contain_text(zh("In progress"))

    # 2. A refused save: the error summary has focus, its link goes to the cell.
    page.goto(edit_url("indicators"))
    filing.refresh_from_db()
    before = filing.draft.content if filing.draft else None
    debt = f"indicators-{DEBT}-baseline"
    page.fill(f"input[name={debt}]", "12,5")
    save(page, "indicators")
    summary = page.locator("[data-testid=error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(zh("There is a problem"))
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'")
    assert in_viewport(page, "[data-testid=error-summary]")
    page.screenshot(path=str(ARTIFACTS / "editor-plan-indicators-error-1366.png"), caret="initial")
    link = summary.locator(f'a[href="#field-{debt}"]')
    expect(link).to_contain_text("资产负债率")
    expect(link).to_contain_text("12,5")
    expect(page.locator("[data-testid=saved]")).to_have_count(0)
    filing.refresh_from_db()
    assert filing.draft is not None and filing.draft.content == before
    violations = run_axe(page)
    assert not violations, describe(violations)
    # The cell out of sight (the table scrolled to its far right: the baseline has gone under
    # the sticky names): the link brings it back, beside the names, and focuses its input.
    hidden = page.evaluate(
        f"""() => {{ const s = document.querySelector('.plan-table'); s.scrollLeft = s.scrollWidth;
                    const input = document.getElementById('field-{debt}');
                    const name = input.closest('tr').firstElementChild;
                    return input.getBoundingClientRect().left < name.getBoundingClientRect().right;
                 }}"""
    )
    assert hidden
    link.click()
    assert active(page)["id"] == f"field-{debt}"
    geometry = page.evaluate(
        f"""() => {{
          const input = document.getElementById('field-{debt}');
          const scroller = input.closest('.plan-table');
          const name = input.closest('tr').firstElementChild;
          const r = input.getBoundingClientRect(), s = scroller.getBoundingClientRect();
          return {{ left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                    visibleLeft: name.getBoundingClientRect().right, scrollerRight: s.right,
                    invalid: input.getAttribute('aria-invalid'), height: innerHeight }};
        }}"""
    )
    assert geometry["left"] >= geometry["visibleLeft"] - 1, geometry
    assert geometry["right"] <= geometry["scrollerRight"] + 1, geometry
    assert geometry["top"] >= 0 and geometry["bottom"] <= geometry["height"], geometry
    assert geometry["invalid"] == "true"
    # Scrolled: the sticky column casts its shadow over what went under it (scroll timeline).
    edge = """() => getComputedStyle(document.querySelector('.plan-table'))
                  .getPropertyValue('--plan-edge-start')"""
    assert page.evaluate(edge) == "1"
    page.screenshot(
        path=str(ARTIFACTS / "editor-plan-indicators-error-link-1366.png"), caret="initial"
    )

    # A checklist link from the check page (#field-...) lands on its input, focused.
    page.goto(reverse("filings:check", args=[filing.pk]))
    group = page.locator("[data-testid=missing-group][data-section=indicators]")
    group.locator("summary").click()
    with page.expect_navigation():
        group.locator(f'a[href$="#field-indicators-{DEBT}-benchmark"]').click()
    page.wait_for_function(
        f"() => document.activeElement.id === 'field-indicators-{DEBT}-benchmark'"
    )

    # 3. The tables: the editor's overflows at 1366 px and says so; the name column stays.
    page.goto(edit_url("indicators"))
    assert page.evaluate(edge) == "0"  # not scrolled yet: no shadow
    hint = page.locator("[data-testid=scroll-hint]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text(zh("Scroll sideways to see every column"))
    check_page(page, "plan-indicators", 1366)
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    lines = name_lines(page)
    assert len(lines) == len(CORE_INDICATORS)
    assert all(n <= 2 for _, n in lines), lines
    sticky = page.evaluate(
        """() => { const s = document.querySelector('.plan-table'); s.scrollLeft = 400;
                   const th = s.querySelector('tbody tr th').getBoundingClientRect();
                   return [s.scrollLeft, th.left - s.getBoundingClientRect().left]; }"""
    )
    assert sticky[0] > 0 and abs(sticky[1]) <= 1, sticky  # scrolled, and the name still there
    page.evaluate("() => { document.querySelector('.plan-table').scrollLeft = 0; }")
    check_page(page, "plan-indicators", 390)

    # The tasks' editor: the title first, sticky.
    fill_everything(filing, world.editor)
    page.set_viewport_size({"width": 1366, "height": HEIGHT})
    page.goto(edit_url("tasks"))
    first_header = page.locator(".plan-tasks thead th").first
    expect(first_header).to_have_text(zh("Task"))
    position = first_header.evaluate("e => getComputedStyle(e).position")
    assert position == "sticky"
    # "Add a row": focus goes to the new row's first cell, the task's title.
    with page.expect_response(re.compile(r"/edit/tasks/$")):
        page.click("[data-testid=add-row]")
    page.wait_for_function("() => document.activeElement.name === 'tasks-1-title'")
    expect(page.locator("[data-testid=task-row]")).to_have_count(2)
    check_page(page, "plan-tasks", 1366)
    check_page(page, "plan-tasks", 390)

    # 4. The overview of a complete draft: every section completed; each indicator a card at
    # 390 px, its name on one line.
    page.goto(filing.get_absolute_url())
    assert set(statuses(page, "[data-testid=task]").values()) == {"completed"}
    expect(page.locator("[data-testid=task-summary]")).to_contain_text("6")
    check_page(page, "overview", 1366)
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    cards = page.locator("table.plan-cards > tbody > tr:not(.anchor-notes-row)")
    expect(cards).to_have_count(len(CORE_INDICATORS))
    for i in range(cards.count()):
        assert cards.nth(i).evaluate("e => getComputedStyle(e).display") == "block"
        box = cards.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert all(n == 1 for _, n in name_lines(page)), name_lines(page)
    expect(
        page.locator("[data-testid=current-version] [data-testid=scroll-hint]").first
    ).to_be_hidden()
    check_page(page, "overview", 390)

    # 5. The review queue, with this plan submitted.
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    reviewer = open_as(browser, live_server, world.sasac_lead_reviewer)
    reviewer.goto(reverse("reviews:queue", args=["SASAC"]))
    expect(reviewer.locator("[data-testid=queue-row]")).to_have_count(1)
    check_page(reviewer, "queue", 1366)
    check_page(reviewer, "queue", 390)
    reviewer.context.close()
    page.context.close()


def test_a_stage_summarys_tables_fit(browser: Any, live_server: Any, world: World) -> None:
    """The same for a stage summary: its editor's indicator and task tables keep their first
    column in view and their names on two lines at most; its overview shows a card per
    indicator at 390 px; its task list follows what was saved."""
    from playwright.sync_api import expect

    from apps.stages.demo import stage_fill
    from tests.stages.conftest import make_approved_plan

    campaign = live_campaign("ES", local_today())
    make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    h2 = campaign.deliverables.filter(kind="stage_summary").order_by("due_on").first()
    assert h2 is not None
    summary = filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)
    page = open_as(browser, live_server, world.editor)

    page.goto(summary.get_absolute_url())
    task_statuses = statuses(page, "[data-testid=task]")
    assert set(task_statuses) == {"indicators", "tasks", "problems", "adjustments"}
    assert task_statuses["indicators"] == "not_started"
    check_page(page, "stage-overview-new", 1366)

    for section in ("indicators", "tasks"):
        page.set_viewport_size({"width": 1366, "height": HEIGHT})
        page.goto(reverse("filings:section_edit", args=[summary.pk, section]))
        first = page.locator(".plan-table thead th").first
        assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
        check_page(page, f"stage-{section}", 1366)
        page.set_viewport_size({"width": 390, "height": HEIGHT})
        if section == "indicators":
            lines = name_lines(page)
            assert lines and all(n <= 2 for _, n in lines), lines
        check_page(page, f"stage-{section}", 390)

    stage_fill(filing=summary, actor=world.editor)
    page.set_viewport_size({"width": 1366, "height": HEIGHT})
    page.goto(summary.get_absolute_url())
    assert statuses(page, "[data-testid=task]")["indicators"] == "completed"
    check_page(page, "stage-overview", 1366)
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    cards = page.locator("table.plan-cards > tbody > tr:not(.anchor-notes-row)")
    assert cards.count() >= 1
    assert cards.first.evaluate("e => getComputedStyle(e).display") == "block"
    assert all(n <= 2 for _, n in name_lines(page)), name_lines(page)
    expect(
        page.locator("[data-testid=current-version] [data-testid=scroll-hint]").first
    ).to_be_hidden()
    check_page(page, "stage-overview", 390)
    page.context.close()
