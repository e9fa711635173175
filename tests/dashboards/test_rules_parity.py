"""The dashboards count what the indicator module judges (apps.indicators.judging): for every
demo enterprise, each result the dashboards count carries the module's answer for the figure
filed, and each authority's on-track rates are the module's, added up."""

import os
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from apps.dashboards.selectors import (
    CUSTOM,
    active_deliverables,
    current_results,
    indicator_rows,
)
from apps.enterprises.models import Authority, Enterprise
from apps.filings.models import Filing
from apps.indicators.judging import judge
from apps.stages.content import judged, year_row
from apps.stages.models import IndicatorResult

pytestmark = pytest.mark.django_db


def module_answers(filing: Filing) -> dict[tuple[str, int], bool | None]:
    """(code, year) → on track, as the module judges the filing's latest submitted version."""
    version = filing.latest_submitted
    assert version is not None
    section = version.content["indicators"]
    answers: dict[tuple[str, int], bool | None] = {}
    for row in section["rows"]:
        if row.get("applicable") is False:
            continue
        if section.get("years"):
            for year in section["years"]:
                answers[(row["code"], int(year))] = judge(year_row(row, int(year))).on_track
        else:
            answers[(row["code"], int(section["year"]))] = judged(row, filing, section).on_track
    return answers


def test_dashboards_count_what_the_indicator_module_judges(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # The results are written once each submission commits, as in production.
    with open(os.devnull, "w") as quiet, django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=quiet)
    reports = Filing.objects.filter(
        kind__in=("stage_summary", "assessment_report"), latest_submitted__isnull=False
    ).select_related("latest_submitted", "deliverable", "enterprise")
    assert reports.count() >= 2
    judged_somewhere = 0
    for filing in reports:
        answers = module_answers(filing)
        stored = {
            (r.code, r.year): r.on_track
            for r in IndicatorResult.objects.current().filter(filing=filing)
        }
        assert stored == answers, filing.enterprise.name_zh
        judged_somewhere += sum(v is not None for v in answers.values())
    assert judged_somewhere > 0  # the demo's figures are judged, not all left open

    for authority in Authority.objects.filter(code__in=("SASAC", "11", "44", "4403")):
        deliverables = active_deliverables(authority)
        expected: Counter[tuple[str, str]] = Counter()
        groups = Enterprise.objects.filter(authority=authority, is_active=True, parent__isnull=True)
        for filing in reports.filter(enterprise__in=groups, deliverable__in=deliverables):
            for (code, _year), on_track in module_answers(filing).items():
                key = code if not code.startswith("custom_") else CUSTOM
                if on_track is not None:
                    expected[(key, "reported")] += 1
                    expected[(key, "on_track")] += on_track
        table = indicator_rows(current_results(deliverables=deliverables, authority=authority),
                               deliverables)  # fmt: skip
        shown: Counter[tuple[str, str]] = Counter()
        for row in table:
            if row.total.reported:
                shown[(row.code, "reported")] = row.total.reported
                shown[(row.code, "on_track")] = row.total.on_track
        assert +shown == +expected, authority.code
