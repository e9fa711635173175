"""The demo data has stage summaries prefilled from the approved plans, for a named period."""

import os

import pytest
from django.core.management import call_command

from apps.filings.models import Filing
from apps.stages.content import judged

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_stage_summaries() -> None:
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("seed_demo", stdout=quiet)  # idempotent
    summaries = Filing.objects.filter(kind="stage_summary").select_related(
        "latest_submitted", "enterprise", "deliverable"
    )
    assert sorted(s.state for s in summaries) == ["approved", "under_review"]
    for summary in summaries:
        assert summary.latest_submitted is not None
        section = summary.latest_submitted.content["indicators"]
        # The period the summary reports on is recorded with it.
        assert section["period_start"] and section["period_end"]
        rows = section["rows"]
        names = [r["name_zh"] for r in rows]
        # The manufacturer (cdm) added an indicator of its own; it is carried over.
        expected = 9 if summary.enterprise.name_zh == "中国示范装备制造集团有限公司" else 8
        assert len(rows) == expected, names
        if expected == 9:
            assert names[-1] == "专利授权数" and rows[-1]["actual"] != ""
        for row in rows:
            judgement = judged(row, summary, section)
            # A ratio of the period is judged against the year's target directly; the debt
            # ratio by its band; the rest only once the year is whole.
            if row["kind"] == "ratio":
                assert judgement.on_track is not None, row["code"]
            if row["direction"] == "band":
                assert judgement.band_status in ("inside", "near", "outside")
