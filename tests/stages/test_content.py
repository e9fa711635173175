"""Prefill from the approved plan, progress, on-track suggestion, completeness."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.filings.services import NotAllowed, filing_start, open_draft
from apps.stages.content import (
    expected_share,
    no_plan_message,
    progress,
    suggest_on_track,
    summary_default_year,
)
from apps.stages.demo import demo_stage_content
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db


def test_summary_cannot_start_without_an_approved_plan(world: World, h2: Deliverable) -> None:
    with pytest.raises(NotAllowed, match=re.escape(no_plan_message())):
        filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)
    assert not Filing.objects.filter(deliverable=h2).exists()


def test_a_submitted_but_unapproved_plan_is_not_enough(
    world: World, plan: Deliverable, h2: Deliverable
) -> None:
    from apps.filings.services import filing_transition
    from apps.plans.demo import demo_plan_content, plan_fill

    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    plan_fill(filing=filing, content=demo_plan_content(filing), actor=world.editor)
    filing_transition(filing=filing, action="submit", submission=a_submission(), actor=world.lead)
    with pytest.raises(NotAllowed):
        filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)


def test_summary_is_prefilled_from_the_approved_plan(
    summary: Filing, approved_plan: Filing
) -> None:
    content = open_draft(summary).content
    plan = approved_plan.approved_version.content
    assert content["indicators"]["year"] == "2026"  # H2 summary due 2026-12-15
    rows = content["indicators"]["rows"]
    assert [r["id"] for r in rows] == [r["id"] for r in plan["indicators"]["rows"]]
    first, source = rows[0], plan["indicators"]["rows"][0]
    assert first["name_zh"] == source["name_zh"] == "利润总额"
    assert first["target"] == source["targets"]["2026"] != ""
    assert first["baseline"] == source["baseline"]
    assert first["benchmark"] == source["benchmark"]
    assert (first["actual"], first["on_track"], first["note"]) == ("", None, "")
    tasks = content["tasks"]["rows"]
    assert [t["title"] for t in tasks] == [t["title"] for t in plan["tasks"]["rows"]]
    assert all(t["status"] == "" and t["evidence"] == "" for t in tasks)
    assert content["adjustments"] == {"text": "", "amendment_filing_id": None}


def test_report_covers_the_final_campaign_year(report: Filing, approved_plan: Filing) -> None:
    content = open_draft(report).content
    assert content["indicators"]["year"] == "2027"
    plan_row = approved_plan.approved_version.content["indicators"]["rows"][2]
    assert content["indicators"]["rows"][2]["target"] == plan_row["targets"]["2027"]
    assert set(content) == {"indicators", "areas", "experience", "cases"}


@pytest.mark.parametrize(
    ("due", "year"),
    [
        (dt.date(2027, 2, 28), 2026),
        (dt.date(2026, 7, 31), 2026),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2025, 12, 1), 2026),
    ],
)
def test_default_year(summary: Filing, due: dt.date, year: int) -> None:
    summary.deliverable.due_on = due
    assert summary_default_year(summary) == year  # kept within the campaign (2026–2027)


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "direction", "expected"),
    [
        ("100", "120", "110", "higher", "0.5"),
        ("100", "120", "125", "higher", "1.25"),
        ("100", "120", "90", "higher", "-0.5"),
        ("65", "60", "62.5", "lower", "0.5"),  # debt ratio falling: halfway
        ("65", "60", "67", "lower", "-0.4"),
        ("-50", "10", "-20", "higher", "0.5"),  # a loss narrowing
        ("60", "60", "59", "lower", "1"),  # hold the line, kept
        ("60", "60", "61", "lower", "0"),
        ("60", "60", "60", "higher", "1"),
    ],
)
def test_progress(baseline: str, target: str, actual: str, direction: str, expected: str) -> None:
    row = {"baseline": baseline, "target": target, "actual": actual, "direction": direction}
    assert progress(row) == Decimal(expected)


@pytest.mark.parametrize("blank", ["baseline", "target", "actual"])
def test_progress_of_a_blank_is_none(blank: str) -> None:
    row = {"baseline": "1", "target": "2", "actual": "1.5", "direction": "higher", blank: ""}
    assert progress(row) is None
    assert suggest_on_track(progress(row), Decimal(1)) is None


def test_progress_is_bounded() -> None:
    row = {"baseline": "1", "target": "1.0000001", "actual": "1000", "direction": "higher"}
    assert progress(row) == Decimal(9999)


def test_expected_share(summary: Filing, report: Filing, h1: Deliverable) -> None:
    assert expected_share(summary, 2026) == Decimal("0.9562")  # due 15 December
    summary.deliverable = h1  # due 31 July
    assert expected_share(summary, 2026) == Decimal("0.5808")
    assert expected_share(summary, 2025) == Decimal(1)  # a past year is over
    assert expected_share(report, 2027) == Decimal(1)
    assert suggest_on_track(Decimal("0.6"), Decimal("0.5808")) is True
    assert suggest_on_track(Decimal("0.5"), Decimal("0.5808")) is False


def test_summary_completeness(summary: Filing) -> None:
    kind = get_kind("stage_summary")
    content = open_draft(summary).content
    missing = kind.completeness(content, summary)
    fields = {(m.section, m.field) for m in missing}
    assert ("indicators", "actual") in fields and ("indicators", "7-actual") in fields
    assert ("tasks", "status") in fields
    filled = demo_stage_content(content)
    assert kind.completeness(filled, summary) == []
    filled["tasks"]["rows"][0]["evidence"] = ""  # done, without evidence
    assert [(m.section, m.field) for m in kind.completeness(filled, summary)] == [
        ("tasks", "evidence")
    ]
    filled["tasks"]["rows"][0].update(status="in_progress")  # in progress needs none
    assert kind.completeness(filled, summary) == []
    filled["tasks"]["rows"][0].update(status="finished")  # not a status
    assert [m.field for m in kind.completeness(filled, summary)] == ["status"]


def test_report_completeness(report: Filing) -> None:
    kind = get_kind("assessment_report")
    content = open_draft(report).content
    fields = {(m.section, m.field) for m in kind.completeness(content, report)}
    assert {
        ("indicators", "actual"),
        ("areas", "efficiency"),
        ("experience", "text"),
        ("cases", "title"),
    } <= fields
    filled = demo_stage_content(content)
    assert kind.completeness(filled, report) == []
    filled["cases"]["rows"][1]["summary"] = " "
    assert [(m.section, m.field) for m in kind.completeness(filled, report)] == [
        ("cases", "1-summary")
    ]
