"""The demo data has stage summaries prefilled from the approved plans."""

import os

import pytest
from django.core.management import call_command

from apps.filings.models import Filing
from apps.stages.content import progress

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_stage_summaries() -> None:
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("seed_demo", stdout=quiet)  # idempotent
    summaries = Filing.objects.filter(kind="stage_summary").select_related("latest_submitted")
    assert sorted(s.state for s in summaries) == ["approved", "under_review"]
    for summary in summaries:
        assert summary.latest_submitted is not None
        rows = summary.latest_submitted.content["indicators"]["rows"]
        assert len(rows) == 8 and all(progress(r) is not None for r in rows)
