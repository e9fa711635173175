"""A plan of the real plan kind, filled with the demo content and submitted."""

from pathlib import Path
from typing import Any

import pytest

from apps.filings.kinds import get_kind
from apps.filings.models import Filing, FilingVersion
from apps.filings.services import filing_save_section, filing_start, filing_transition, open_draft
from apps.plans.demo import demo_plan_content
from apps.timeline.models import Deliverable
from tests.conftest import World


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def fill_plan(filing: Filing, world: World) -> None:
    content = demo_plan_content(filing, seed=filing.enterprise_id)
    for section in get_kind(filing.kind).sections:
        draft = open_draft(filing)
        filing_save_section(
            filing=filing, section=section.key, data=content[section.key],
            base_revision=int(draft.revisions.get(section.key, 0)), actor=world.editor,
        )  # fmt: skip


@pytest.fixture
def plan_filing(world: World, plan: Deliverable) -> Filing:
    filing = filing_start(enterprise=world.central, deliverable=plan, actor=world.editor)
    fill_plan(filing, world)
    return filing


def submit(filing: Filing, world: World) -> FilingVersion:
    filing = filing_transition(filing=filing, action="submit", actor=world.lead)
    assert filing.latest_submitted is not None
    return filing.latest_submitted
