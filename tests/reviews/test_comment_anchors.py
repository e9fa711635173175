"""Comments on any part of a real filing (plan, stage summary, assessment report), chosen
from targets named as people name them; a refused comment keeps what was typed; comments
show beside the rows they are about, in the version shown and in later ones."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reviews.models import Comment
from apps.reviews.services import comment_add, decision_make
from apps.stages.demo import stage_fill
from apps.timeline.models import Campaign, Deliverable
from tests.conftest import World, zh
from tests.filings.conftest import a_submission
from tests.stages.conftest import make_approved_plan

pytestmark = pytest.mark.django_db


def under_review(filing: Filing, world: World) -> Filing:
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    return filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)


@pytest.fixture
def plan_filing(world: World, plan: Deliverable) -> Filing:
    """A real implementation plan, filled in and under review."""
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    plan_fill(filing=filing, content=demo_plan_content(filing, seed=3), actor=world.editor)
    return under_review(filing, world)


def stage_filing(world: World, campaign: Campaign, **deliverable: str) -> Filing:
    make_approved_plan(world, campaign.deliverables.get(kind="plan"))
    filing = filing_start(
        enterprise=world.central,
        deliverable=campaign.deliverables.get(**deliverable),
        actor=world.editor,
    )
    stage_fill(filing=filing, actor=world.editor)
    return under_review(filing, world)


def row_id(filing: Filing, section: str, **match: str) -> str:
    assert filing.latest_submitted is not None
    rows = filing.latest_submitted.content[section]["rows"]
    return next(r["id"] for r in rows if all(r.get(k) == v for k, v in match.items()))


def first_row(filing: Filing, section: str) -> dict[str, Any]:
    assert filing.latest_submitted is not None
    row: dict[str, Any] = filing.latest_submitted.content[section]["rows"][0]
    return row


def post_comment(client: Any, filing: Filing, anchor: str, body: str, **extra: str) -> Any:
    assert filing.latest_submitted is not None
    data = {"version": filing.latest_submitted.number, "anchor": anchor, "body": body, **extra}
    return client.post(reverse("reviews:comment", args=[filing.pk]), data)


def page(client: Any, filing: Filing) -> str:
    response = client.get(reverse("filings:detail", args=[filing.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def comment_form(body: str) -> str:
    return body.split('data-testid="comment-form"', 1)[1].split("</form>", 1)[0]


def select_options(body: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The optgroup labels and the (value, label) options of the comment target select."""
    select = body.split('id="comment-anchor"', 1)[1].split("</select>", 1)[0]
    groups = re.findall(r'<optgroup label="([^"]*)">', select)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return groups, options


def notes_beside(body: str, row: str) -> str:
    """What the page shows under the row with this id (its notes row), or ""."""
    found = re.search(
        r'<tr class="anchor-notes-row" data-testid="row-notes" data-row="'
        + re.escape(row)
        + r'">(.*?)</tr>',
        body,
        re.DOTALL,
    )
    return found.group(1) if found else ""


# --- Accepted, on every kind -------------------------------------------------------------


def test_comments_on_rows_fields_and_sections_of_a_plan(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    task = first_row(plan_filing, "tasks")
    benchmark = first_row(plan_filing, "benchmarks")
    anchors = {
        "indicators||debt_to_asset": "请说明资产负债率的测算口径。",
        "indicators|baseline|debt_to_asset": "基期值与年报不一致。",
        f"tasks||{task['id']}": "任务成果需量化。",
        f"benchmarks||{benchmark['id']}": "请补充对标数据来源年份。",
        "diagnosis|key_factors|": "关键因素写得较笼统。",
        "measures||": "七个方面的措施需对应指标。",
        "": "总体意见：基本完整。",
    }
    for anchor, body in anchors.items():
        response = post_comment(client, plan_filing, anchor, body)
        assert response.status_code == 302
        assert response["Location"] == plan_filing.get_absolute_url()

    stored = {(c.section, c.field, c.row_id): c.body for c in Comment.objects.all()}
    assert stored == {
        ("indicators", "", "debt_to_asset"): "请说明资产负债率的测算口径。",
        ("indicators", "baseline", "debt_to_asset"): "基期值与年报不一致。",
        ("tasks", "", task["id"]): "任务成果需量化。",
        ("benchmarks", "", benchmark["id"]): "请补充对标数据来源年份。",
        ("diagnosis", "key_factors", ""): "关键因素写得较笼统。",
        ("measures", "", ""): "七个方面的措施需对应指标。",
        ("", "", ""): "总体意见：基本完整。",
    }

    body = page(client, plan_filing)
    # The list names each target in words, against the comment's own version.
    targets = re.findall(r'data-testid="comment-target">([^<]*)<', body)
    assert targets == [
        "核心指标 · 资产负债率",
        "核心指标 · 资产负债率 · 基期值",
        f"重点任务 · {task['title']}",
        f"对标企业 · {benchmark['name']}",
        "价值诊断 · 价值创造关键因素",
        zh("Measures under the seven action areas"),
        "整个备案",
    ]
    # Beside their rows in the plan shown, and the others at their section.
    beside_debt = notes_beside(body, "debt_to_asset")
    assert "请说明资产负债率的测算口径。" in beside_debt and "基期值与年报不一致。" in beside_debt
    assert "基期值" in beside_debt  # the field of the row the second one is about
    assert "任务成果需量化。" in notes_beside(body, task["id"])
    assert "请补充对标数据来源年份。" in notes_beside(body, benchmark["id"])
    diagnosis = body.split('id="sec-diagnosis"', 1)[1].split('id="sec-benchmarks"', 1)[0]
    assert "关键因素写得较笼统。" in diagnosis


def test_comments_on_rows_of_a_stage_summary(world: World, campaign: Campaign, client_for) -> None:
    summary = stage_filing(world, campaign, title_en="H2 summary")
    client = client_for(world.sasac_lead_reviewer)
    debt = row_id(summary, "indicators", name_zh="资产负债率")
    task = first_row(summary, "tasks")
    post_comment(client, summary, f"indicators||{debt}", "实际值低于目标。")
    post_comment(client, summary, f"tasks|evidence|{task['id']}", "佐证材料不足。")
    assert {(c.section, c.field, c.row_id) for c in Comment.objects.all()} == {
        ("indicators", "", debt),
        ("tasks", "evidence", task["id"]),
    }
    body = page(client, summary)
    assert "实际值低于目标。" in notes_beside(body, debt)
    assert "佐证材料不足。" in notes_beside(body, task["id"])
    targets = re.findall(r'data-testid="comment-target">([^<]*)<', body)
    assert targets == ["指标完成情况 · 资产负债率", f"重点任务进展 · {task['title']} · 佐证材料"]


def test_comments_on_rows_of_an_assessment_report(
    world: World, campaign: Campaign, client_for
) -> None:
    report = stage_filing(world, campaign, kind="assessment_report")
    client = client_for(world.sasac_reviewer)
    debt = row_id(report, "indicators", name_zh="资产负债率")
    post_comment(client, report, "cases||case1", "案例请补充量化成效。")
    post_comment(client, report, f"indicators||{debt}", "与年报核对。")
    assert {(c.section, c.row_id) for c in Comment.objects.all()} == {
        ("cases", "case1"),
        ("indicators", debt),
    }
    body = page(client, report)
    cases = body.split('id="sec-cases"', 1)[1]
    assert 'data-testid="row-notes" data-section="cases" data-row="case1"' in cases
    assert "案例请补充量化成效。" in cases
    assert "与年报核对。" in notes_beside(body, debt)
    targets = re.findall(r'data-testid="comment-target">([^<]*)<', body)
    assert targets == ["典型案例 · 司库体系建设", "目标完成情况 · 资产负债率"]


# --- The target list ---------------------------------------------------------------------


def test_targets_are_named_not_keyed(world: World, plan_filing: Filing, client_for) -> None:
    body = page(client_for(world.sasac_reviewer), plan_filing)
    groups, options = select_options(body)
    assert groups[:3] == ["价值诊断", "对标企业", "核心指标"]
    labels = [label for _value, label in options]
    assert ("indicators||debt_to_asset", "核心指标 · 资产负债率") in options
    assert ("diagnosis|key_factors|", "价值诊断 · 价值创造关键因素") in options
    assert ("", "整个备案") in options
    assert ("indicators||", "核心指标（整个部分）") in options
    # No storage key, row id or separator in anything a person reads.
    assert plan_filing.latest_submitted is not None
    content = plan_filing.latest_submitted.content
    keys = set(content)
    for data in content.values():
        keys |= set(data)
        for row in data.get("rows", []):
            keys |= set(row) | {row["id"]}
    for label in labels + groups:
        assert "|" not in label
        assert not keys & set(re.findall(r"[A-Za-z_0-9]+", label)), label


# --- Refused: the typed text stays, with the reason at the form ----------------------------


def test_a_refused_comment_keeps_the_text_and_says_why(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    typed = "请说明资产负债率<65%的测算口径。"
    # What the old select sent for a row: "rows" is not a field of the row.
    response = post_comment(client, plan_filing, "indicators|rows|debt_to_asset", typed)
    assert response.status_code == 302
    assert response["Location"] == plan_filing.get_absolute_url() + "#comment-errors"
    assert not Comment.objects.exists()

    form = comment_form(page(client, plan_filing))
    error = zh("“%(where)s” has no such item to comment on.", where="核心指标 · 资产负债率")
    assert 'data-testid="comment-error-summary"' in form
    assert f'<a href="#comment-anchor">{error}</a>' in form
    assert 'id="comment-anchor-error"' in form and form.count(error) == 2
    assert f">{'请说明资产负债率&lt;65%的测算口径。'}</textarea>" in form
    assert 'name="internal" value="yes" id="comment-internal">' in form  # left unticked
    # Shown once: the next visit has a fresh form.
    again = comment_form(page(client, plan_filing))
    assert "comment-error-summary" not in again and "></textarea>" in again


def test_an_empty_comment_is_refused_at_its_field(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    post_comment(client, plan_filing, "indicators||debt_to_asset", "   ", internal="yes")
    assert not Comment.objects.exists()
    form = comment_form(page(client, plan_filing))
    assert f'<a href="#comment-body">{zh("Write the comment.")}</a>' in form
    assert 'id="comment-body-error"' in form
    assert '<option value="indicators||debt_to_asset" selected>' in form  # target kept


def test_a_row_of_another_version_is_refused_by_name(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    post_comment(client, plan_filing, "tasks||no-such-row", "意见")
    assert not Comment.objects.exists()
    form = comment_form(page(client, plan_filing))
    assert zh("“%(section)s” has no such row in this version: it may have been removed.",
              section="重点任务") in form  # fmt: skip
    assert "no-such-row" not in form.split('id="comment-anchor"')[0]


# --- Who may ------------------------------------------------------------------------------


def test_outsiders_get_404_on_the_comment_post(
    world: World, plan_filing: Filing, client_for
) -> None:
    for outsider in (world.bj_reviewer, world.other_lead, world.lead):
        response = post_comment(
            client_for(outsider), plan_filing, "indicators||debt_to_asset", "意见"
        )
        assert response.status_code == 404, outsider.email
    assert not Comment.objects.exists()


# --- Beside the rows, in later versions ---------------------------------------------------


def test_row_comments_follow_the_row_into_later_versions(
    world: World, plan_filing: Filing, client_for
) -> None:
    v1 = plan_filing.latest_submitted
    assert v1 is not None
    task = first_row(plan_filing, "tasks")
    comment_add(filing=plan_filing, version=v1, author=world.sasac_reviewer,
                body="任务成果需量化。", internal=False, section="tasks",
                row_id=task["id"])  # fmt: skip
    comment_add(filing=plan_filing, version=v1, author=world.sasac_reviewer,
                body="内部：口径存疑。", internal=True, section="indicators",
                row_id="debt_to_asset")  # fmt: skip
    decision_make(filing=plan_filing, outcome="return", reasons="请修改",
                  actor=world.sasac_lead_reviewer)  # fmt: skip

    # The enterprise reorders its tasks in the new draft: the comment follows the row.
    plan_filing.refresh_from_db()
    assert plan_filing.draft is not None
    content = plan_filing.draft.content
    content["tasks"]["rows"].reverse()
    plan_fill(filing=plan_filing, content=content, actor=world.editor)
    lead_page = page(client_for(world.lead), plan_filing)
    beside = notes_beside(lead_page, task["id"])
    assert "任务成果需量化。" in beside
    assert zh("on version %(number)s", number=1) in beside
    assert "内部：口径存疑。" not in lead_page  # internal stays with the reviewers

    plan_filing = under_review(plan_filing, world)
    reviewer_page = page(client_for(world.sasac_reviewer), plan_filing)
    assert 'data-testid="current-version" data-version="2"' in reviewer_page
    assert "任务成果需量化。" in notes_beside(reviewer_page, task["id"])
    assert "内部：口径存疑。" in notes_beside(reviewer_page, "debt_to_asset")
    # The rows are in the new order, each note under its own row.
    tasks = reviewer_page.split('id="sec-tasks"', 1)[1]
    assert tasks.index(task["title"]) > tasks.index(content["tasks"]["rows"][0]["title"])
    assert tasks.index("任务成果需量化。") > tasks.index(task["title"])


def test_a_new_comment_shows_although_the_version_is_cached(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    assert "请核对。" not in page(client, plan_filing)
    post_comment(client, plan_filing, "indicators||debt_to_asset", "请核对。", internal="yes")
    assert "请核对。" in notes_beside(page(client, plan_filing), "debt_to_asset")
    # The enterprise's rendering of the same version has none of the reviewers' notes.
    assert "请核对。" not in page(client_for(world.lead), plan_filing)


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_however_many_comments(
    world: World, plan_filing: Filing, client_for
) -> None:
    client = client_for(world.sasac_reviewer)
    url = reverse("filings:detail", args=[plan_filing.pk])
    post_comment(client, plan_filing, "indicators||debt_to_asset", "一")
    count_queries(client, url)  # warm the per-user caches
    few = count_queries(client, url)
    for code in ("total_profit", "net_profit", "roe", "debt_to_asset"):
        post_comment(client, plan_filing, f"indicators||{code}", f"意见 {code}")
    post_comment(client, plan_filing, f"tasks||{first_row(plan_filing, 'tasks')['id']}", "二")
    assert Comment.objects.count() >= 5
    count_queries(client, url)
    assert count_queries(client, url) == few
