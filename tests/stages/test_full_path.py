"""The three kinds of filing through the same workflow services: reminder → draft → submit →
return → resubmit → approve → packet, and no reminder once handed in. No kind has workflow
code of its own."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.filings.workflow import State
from apps.packets.models import Packet, PacketKind, PacketState
from apps.plans.demo import demo_plan_content, plan_fill
from apps.reminders.models import ReminderDelivery
from apps.reminders.sweep import sweep
from apps.reviews.models import Decision
from apps.reviews.services import decision_make
from apps.stages.demo import stage_fill
from apps.stages.models import IndicatorResult
from apps.timeline.models import Campaign
from tests.conftest import World
from tests.filings.conftest import a_submission
from tests.stages.conftest import make_approved_plan

pytestmark = pytest.mark.django_db


def fill(filing: Filing, world: World) -> None:
    if filing.kind == "plan":
        plan_fill(filing=filing, content=demo_plan_content(filing, seed=3), actor=world.editor)
    else:
        stage_fill(filing=filing, actor=world.editor)


@pytest.mark.parametrize("kind", ["plan", "stage_summary", "assessment_report"])
def test_full_path(
    kind: str, world: World, campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    plan_deliverable = campaign.deliverables.get(kind="plan")
    if kind == "plan":
        deliverable = plan_deliverable
    else:
        make_approved_plan(world, plan_deliverable)
        deliverable = campaign.deliverables.filter(kind=kind).order_by("due_on").first()
    assert deliverable is not None

    def reminded(day: dt.date) -> set[str]:
        """Who the sweep of ``day`` reminded about this enterprise's deliverable, by email."""
        mail.outbox = []
        sweep(day)
        sent = ReminderDelivery.objects.filter(
            enterprise=world.central, deliverable=deliverable, occasion_on=day, state="sent"
        )
        return {d.recipient.email for d in sent}

    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_start(enterprise=world.central, deliverable=deliverable, actor=world.editor)
        assert filing.kind == kind and filing.state == State.DRAFT
        fill(filing, world)
    # On the due date, a draft is reminded (mandatory), to the lead and the editor, by email.
    assert reminded(deliverable.due_on) == {world.lead.email, world.editor.email}
    assert {m.to[0] for m in mail.outbox} >= {world.lead.email, world.editor.email}
    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_transition(
            filing=filing, action="submit", submission=a_submission(), actor=world.lead
        )
    assert filing.state == State.SUBMITTED
    first = filing.latest_submitted
    assert first is not None and first.is_frozen

    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
        decision_make(
            filing=filing, outcome="return", reasons="请补充说明。", actor=world.sasac_lead_reviewer
        )
    filing.refresh_from_db()
    assert filing.state == State.RETURNED and filing.draft_id is not None

    with django_capture_on_commit_callbacks(execute=True):
        filing = filing_transition(
            filing=filing, action="submit", submission=a_submission(), actor=world.lead
        )
        second = filing.latest_submitted
        assert second is not None and second.number > first.number
        filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
        decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    filing.refresh_from_db()
    assert filing.state == State.APPROVED and filing.approved_version_id == second.pk
    assert Decision.objects.filter(filing=filing, outcome="approve").exists()

    packets = {(p.version_id, p.kind): p for p in Packet.objects.filter(version__filing=filing)}
    assert packets[(first.pk, PacketKind.SUBMISSION)].state == PacketState.READY
    assert packets[(second.pk, PacketKind.SUBMISSION)].state == PacketState.READY
    final = packets[(second.pk, PacketKind.FINAL)]
    assert final.state == PacketState.READY and final.size

    # Approved: the weekly overdue reminder no longer comes.
    assert reminded(deliverable.due_on + dt.timedelta(days=8)) == set()

    results = IndicatorResult.objects.filter(filing=filing)
    if kind == "plan":
        assert not results.exists()
    else:  # one row per indicator for each submitted version
        assert results.filter(version=first).count() == 8
        assert results.filter(version=second).count() == 8
