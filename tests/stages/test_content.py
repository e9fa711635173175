"""Prefill from the approved plan, the years a report covers, completeness. (How figures are
judged: tests/indicators/test_judging.py.)"""

import datetime as dt
import re

import pytest

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.filings.services import NotAllowed, filing_start, open_draft
from apps.stages.content import no_plan_message, summary_default_year
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
    assert (first["actual"], first["previous"], first["note"]) == ("", "", "")
    # The row carries the indicator as the plan filed it: how it is judged, its definition.
    assert (first["kind"], first["direction"], first["applicable"]) == ("amount", "higher", True)
    assert first["definition_zh"] == source["definition_zh"] != ""
    assert "on_track" not in first  # computed, never typed
    tasks = content["tasks"]["rows"]
    assert [t["title"] for t in tasks] == [t["title"] for t in plan["tasks"]["rows"]]
    assert all(t["status"] == "" and t["evidence"] == "" for t in tasks)
    assert content["adjustments"] == {"text": "", "amendment_filing_id": None}


def test_report_assesses_the_years_that_ended_and_looks_out_to_the_last(
    report: Filing, approved_plan: Filing
) -> None:
    """The campaign runs 2026 to March 2027; the assessment stage starts on 1 January 2027:
    2026 is assessed, 2027 is the outlook (derived from the campaign, not the due date)."""
    content = open_draft(report).content
    section = content["indicators"]
    assert (section["years"], section["outlook_year"]) == (["2026"], "2027")
    plan_row = approved_plan.approved_version.content["indicators"]["rows"][2]
    row = section["rows"][2]
    assert row["targets"] == {
        "2026": plan_row["targets"]["2026"],
        "2027": plan_row["targets"]["2027"],
    }
    assert (row["actuals"], row["outlook"]) == ({"2026": ""}, "")
    assert set(content) == {"indicators", "areas", "experience", "mechanisms", "cases"}


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
        ("indicators", "actual_2026"),
        ("indicators", "outlook"),
        ("indicators", "7-actual_2026"),
        ("areas", "efficiency"),
        ("experience", "text"),
        ("mechanisms", "text"),
        ("cases", "title"),
    } <= fields
    filled = demo_stage_content(content)
    assert kind.completeness(filled, report) == []
    filled["cases"]["rows"][1]["summary"] = " "
    assert [(m.section, m.field) for m in kind.completeness(filled, report)] == [
        ("cases", "1-summary")
    ]
