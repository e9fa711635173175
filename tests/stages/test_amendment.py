"""Dynamic adjustment: a stage summary opens an amendment of the approved plan through the
workflow's AMEND, and records it."""

from typing import Any

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.filings.models import Filing
from apps.filings.services import NotAllowed, filing_transition, open_draft
from apps.filings.workflow import State
from apps.stages.services import summary_open_amendment
from tests.conftest import World
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db


def test_lead_opens_an_amendment(summary: Filing, approved_plan: Filing, world: World) -> None:
    approved_version = approved_plan.approved_version_id
    plan = summary_open_amendment(filing=summary, actor=world.lead)
    assert plan.pk == approved_plan.pk and plan.state == State.DRAFT
    assert plan.approved_version_id == approved_version  # still in force
    assert open_draft(summary).content["adjustments"]["amendment_filing_id"] == plan.pk
    assert plan.events.filter(action="amend").count() == 1
    assert AuditEvent.objects.filter(action="stages.open_amendment").count() == 1
    # Asked again while the amendment is open: the link only, no second transition.
    summary_open_amendment(filing=summary, actor=world.lead)
    assert plan.events.filter(action="amend").count() == 1


def test_the_summary_keeps_its_targets_during_the_amendment(
    summary: Filing, approved_plan: Filing, world: World, client_for: Any
) -> None:
    summary_open_amendment(filing=summary, actor=world.lead)
    client: Client = client_for(world.editor)
    html = client.get(f"/filings/{summary.pk}/edit/indicators/").content.decode()
    assert "利润总额" in html


@pytest.mark.parametrize("who", ["editor", "other_lead", "sasac_lead_reviewer"])
def test_only_the_enterprise_lead(
    summary: Filing, approved_plan: Filing, world: World, who: str
) -> None:
    with pytest.raises(NotAllowed):
        summary_open_amendment(filing=summary, actor=getattr(world, who))
    approved_plan.refresh_from_db()
    assert approved_plan.state == State.APPROVED


def test_not_without_an_open_draft(summary: Filing, world: World) -> None:
    from apps.stages.demo import stage_fill

    stage_fill(filing=summary, actor=world.editor)
    filing = filing_transition(
        filing=summary, action="submit", submission=a_submission(), actor=world.lead
    )
    with pytest.raises(NotAllowed):
        summary_open_amendment(filing=filing, actor=world.lead)


def test_through_the_page(
    summary: Filing, approved_plan: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.lead)
    page = client.get(f"/filings/{summary.pk}/").content.decode()
    assert 'data-testid="open-amendment-form"' in page
    url = f"/filings/{summary.pk}/stages/amend-plan/"
    client.post(url)  # without the confirmation: nothing happens
    approved_plan.refresh_from_db()
    assert approved_plan.state == State.APPROVED
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    approved_plan.refresh_from_db()
    assert approved_plan.state == State.DRAFT
    page = client.get(f"/filings/{summary.pk}/").content.decode()
    assert f'href="/filings/{approved_plan.pk}/"' in page
    html = client.get(f"/filings/{summary.pk}/edit/adjustments/").content.decode()
    assert 'data-testid="amendment-link"' in html


@pytest.mark.parametrize("who", ["editor", "other_lead", "bj_lead", "sasac_lead_reviewer"])
def test_outsiders_get_404(
    summary: Filing, approved_plan: Filing, world: World, client_for: Any, who: str
) -> None:
    client: Client = client_for(getattr(world, who))
    response = client.post(f"/filings/{summary.pk}/stages/amend-plan/", {"confirm": "yes"})
    assert response.status_code == 404
    approved_plan.refresh_from_db()
    assert approved_plan.state == State.APPROVED


def test_the_start_button_refuses_with_a_message(
    world: World, client_for: Any, campaign: Any
) -> None:
    h2 = campaign.deliverables.get(title_en="H2 summary")
    client: Client = client_for(world.lead)
    response = client.post(
        f"/enterprises/{world.central.credit_code}/deliverables/{h2.pk}/filing/", follow=True
    )
    assert response.status_code == 200
    assert not Filing.objects.filter(deliverable=h2).exists()
    from django.utils import translation
    from django.utils.html import escape

    from apps.stages.content import no_plan_message

    with translation.override(response.headers.get("Content-Language") or "zh-hans"):
        assert escape(no_plan_message()) in response.content.decode()
