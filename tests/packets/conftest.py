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
from tests.filings.conftest import a_submission


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
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    assert filing.latest_submitted is not None
    return filing.latest_submitted


def approve(filing: Filing, world: World, lead: Any = None) -> FilingVersion:
    """Submit (as ``lead``, default the central enterprise's lead), start the review and
    approve through the lead reviewer's decision: both packets are rendered on commit when
    called inside django_capture_on_commit_callbacks(execute=True)."""
    from apps.reviews.services import decision_make

    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=lead or world.lead
    )
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    filing.refresh_from_db()
    assert filing.approved_version is not None
    return filing.approved_version


def simple_filing(world: World, enterprise: Any, deliverable: Deliverable, actor: Any) -> Filing:
    """A filing of the minimal kind (tests/filings/conftest.py simple_kind must be active),
    with its note written."""
    filing = filing_start(enterprise=enterprise, deliverable=deliverable, actor=actor)
    draft = open_draft(filing)
    filing_save_section(
        filing=filing, section="note", data={"text": f"{enterprise.name_zh}的说明"},
        base_revision=int(draft.revisions.get("note", 0)), actor=actor,
    )  # fmt: skip
    return filing


def amend(filing: Filing, world: World, text: str) -> Filing:
    """Open an amendment of the central enterprise's approved filing and rewrite its note
    (minimal kind)."""
    from tests.filings.conftest import fill

    filing = filing_transition(filing=filing, action="amend", actor=world.lead)
    fill(filing, world, text)
    filing.refresh_from_db()
    return filing


def return_for_revision(filing: Filing, world: World, text: str) -> FilingVersion:
    """Submit the central enterprise's draft, start the review, return it through the lead
    reviewer's decision, and rewrite the note of the new draft (minimal kind). Returns the
    returned version."""
    from apps.reviews.services import decision_make
    from tests.filings.conftest import fill

    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    returned = filing.latest_submitted
    assert returned is not None
    decision_make(
        filing=filing, outcome="return", reasons="请补充指标", actor=world.sasac_lead_reviewer
    )
    fill(filing, world, text)
    return returned
