"""IndicatorResult rows: derived from a frozen version on submission, once."""

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from apps.filings.kinds import get_kind
from apps.filings.models import Filing
from apps.filings.services import filing_transition, open_draft
from apps.packets.models import PacketKind
from apps.packets.rendering import render_packet_pdf
from apps.stages.demo import stage_fill
from apps.stages.hooks import write_indicator_results
from apps.stages.models import IndicatorResult
from apps.stages.services import indicator_results_write
from tests.conftest import World
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db


def submitted(filing: Filing, world: World, capture: Any) -> Filing:
    stage_fill(filing=filing, actor=world.editor)
    with capture(execute=True):
        filing = filing_transition(
            filing=filing, action="submit", submission=a_submission(), actor=world.lead
        )
    return filing


def test_rows_are_written_on_submit(
    summary: Filing, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    filing = submitted(summary, world, django_capture_on_commit_callbacks)
    version = filing.latest_submitted
    assert version is not None
    row = version.content["indicators"]["rows"][0]
    results = IndicatorResult.objects.filter(version=version)
    assert results.count() == 8
    first = results.get(code=row["code"])
    assert (first.enterprise_id, first.authority_id, first.deliverable_id, first.year) == (
        world.central.pk,
        world.sasac.pk,
        summary.deliverable_id,
        2026,
    )
    assert first.actual == Decimal(row["actual"]) and first.target == Decimal(row["target"])
    assert first.baseline == Decimal(row["baseline"])
    assert first.progress == Decimal("0.9000")  # the demo reports 90% of the way
    # Set up without a period, the summary reports the year 2026 whole: 90 % of the way to
    # the year's target is short of it.
    assert first.on_track is False
    assert (first.kind, first.full_year) == ("amount", True)
    assert first.core and first.name_zh == "利润总额" and first.direction == "higher"
    assert IndicatorResult.objects.current().filter(filing=filing).count() == 8


def test_writing_again_changes_nothing(
    summary: Filing, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    filing = submitted(summary, world, django_capture_on_commit_callbacks)
    version = filing.latest_submitted
    assert version is not None
    ids = set(IndicatorResult.objects.filter(version=version).values_list("id", flat=True))
    assert indicator_results_write(version_id=version.pk) == 8
    write_indicator_results(filing.pk, "submit", version.pk)
    assert set(IndicatorResult.objects.filter(version=version).values_list("id", flat=True)) == ids


def test_blank_numbers_are_null_and_drafts_are_skipped(summary: Filing, world: World) -> None:
    draft = open_draft(summary)
    assert indicator_results_write(version_id=draft.pk) == 0  # a draft is not frozen
    stage_fill(filing=summary, actor=world.editor)
    draft = open_draft(summary)
    content = draft.content
    content["indicators"]["rows"][0]["benchmark"] = ""
    # Saved through the service (the editor would restore the plan's benchmark).
    from apps.filings.services import filing_save_section

    filing_save_section(
        filing=summary,
        section="indicators",
        data=content["indicators"],
        base_revision=int(draft.revisions["indicators"]),
        actor=world.editor,
    )
    filing = filing_transition(
        filing=summary, action="submit", submission=a_submission(), actor=world.lead
    )
    assert filing.latest_submitted is not None
    indicator_results_write(version_id=filing.latest_submitted.pk)
    row = IndicatorResult.objects.get(version=filing.latest_submitted, code="total_profit")
    assert row.benchmark is None  # a blank is NULL, not zero


def test_other_actions_write_nothing(summary: Filing, world: World) -> None:
    write_indicator_results(summary.pk, "withdraw", open_draft(summary).pk)
    assert not IndicatorResult.objects.exists()


@pytest.mark.parametrize("fixture", ["summary", "report"])
def test_packet_has_the_section_titles(
    fixture: str, request: pytest.FixtureRequest, world: World, tmp_path: Path
) -> None:
    filing: Filing = request.getfixturevalue(fixture)
    stage_fill(filing=filing, actor=world.editor)
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    assert filing.latest_submitted is not None
    path = tmp_path / "packet.pdf"
    path.write_bytes(render_packet_pdf(filing.latest_submitted, kind=PacketKind.SUBMISSION))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert filing.enterprise.name_zh in text
    with translation.override("zh-hans"):
        for section in get_kind(filing.kind).sections:
            assert str(section.title) in text, section.title
    assert "利润总额" in text


def test_numbers_too_large_to_count_are_null(summary: Filing, world: World) -> None:
    from apps.filings.services import filing_save_section

    stage_fill(filing=summary, actor=world.editor)
    draft = open_draft(summary)
    section = draft.content["indicators"]
    section["rows"][0]["actual"] = "12345678901234567890.5"
    section["rows"][1]["actual"] = "1.123456"
    filing_save_section(
        filing=summary,
        section="indicators",
        data=section,
        base_revision=int(draft.revisions["indicators"]),
        actor=world.editor,
    )
    filing = filing_transition(
        filing=summary, action="submit", submission=a_submission(), actor=world.lead
    )
    assert filing.latest_submitted is not None
    assert indicator_results_write(version_id=filing.latest_submitted.pk) == 8
    results = IndicatorResult.objects.filter(version=filing.latest_submitted)
    assert results.get(code="total_profit").actual is None
    assert results.get(code="net_profit").actual == Decimal("1.1235")
