"""An indicator of the enterprise's own, from the plan to the summary and the dashboard."""

import datetime as dt
from typing import Any

import pytest

from apps.dashboards.selectors import CUSTOM, current_results, indicator_rows
from apps.filings.services import filing_start, filing_transition, open_draft
from apps.plans.demo import demo_plan_content, plan_fill
from apps.stages.demo import stage_fill
from apps.stages.models import IndicatorResult
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.filings.conftest import a_submission
from tests.stages.conftest import approve

pytestmark = pytest.mark.django_db


def test_a_custom_indicator_is_carried_into_the_summary_and_the_dashboard(
    world: World, plan: Deliverable, h2: Deliverable, django_capture_on_commit_callbacks: Any
) -> None:
    # The summary reports the whole year 2026.
    h2.period_starts_on, h2.period_ends_on = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    h2.save()
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    plan_fill(filing=filing, content=demo_plan_content(filing, seed=3, custom=True),
              actor=world.editor)  # fmt: skip
    approve(filing, world)
    summary = filing_start(enterprise=world.central, deliverable=h2, actor=world.editor)
    rows = open_draft(summary).content["indicators"]["rows"]
    custom = rows[-1]
    assert (custom["name_zh"], custom["core"], custom["unit"]) == ("专利授权数", False, "项")
    assert custom["target"] != ""
    # Every actual beyond its target: on track, the custom one included.
    stage_fill(filing=summary, actor=world.editor, share="1.1")
    # The results are written once the submission commits.
    with django_capture_on_commit_callbacks(execute=True):
        filing_transition(filing=summary, action="submit", submission=a_submission(),
                          actor=world.lead)  # fmt: skip
    result = IndicatorResult.objects.get(filing=summary, code=custom["code"])
    assert (result.core, result.on_track, result.year, result.full_year) == (
        False, True, 2026, True)  # fmt: skip
    table = indicator_rows(current_results(deliverables=[h2]), [h2])
    custom_row = next(r for r in table if r.code == CUSTOM)
    assert (custom_row.indicators, custom_row.total.reported, custom_row.total.on_track) == (
        1, 1, 1)  # fmt: skip
