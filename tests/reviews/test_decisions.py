"""Recommendations and decisions: who, when, the filing numbers, and that neither record
can be changed afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing, FilingEvent
from apps.filings.services import IllegalTransition, NotAllowed, filing_transition
from apps.filings.workflow import State
from apps.reviews.models import Decision, FilingNumberSequence, Recommendation
from apps.reviews.selectors import decisions_for, recommendations_for
from apps.reviews.services import decision_make, recommendation_make
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.factories import UserFactory
from tests.filings.conftest import drive
from tests.reviews.conftest import submitted_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_review(world: World, filing: Filing) -> Filing:
    return drive(filing, world, "submit", "start_review")


@pytest.fixture
def second(world: World, plan: Deliverable, simple_kind: object) -> Filing:
    return submitted_filing(
        world.central_other, plan, world.other_lead, reviewer=world.sasac_reviewer
    )


def approve(filing: Filing, world: World) -> Decision:
    return decision_make(
        filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer
    )


def test_approvals_number_filings_per_campaign_and_authority(
    world: World, under_review: Filing, second: Filing, plan: Deliverable
) -> None:
    code = plan.campaign.code
    first = approve(under_review, world)
    assert first.filing_number == f"{code}-SASAC-0001"
    assert first.version == under_review.latest_submitted
    assert approve(second, world).filing_number == f"{code}-SASAC-0002"
    under_review.refresh_from_db()
    assert under_review.state == State.APPROVED
    assert under_review.approved_version == first.version

    # Another authority counts from 1.
    bj = submitted_filing(world.bj_enterprise, plan, world.bj_lead)
    bj_lead_reviewer: User = UserFactory.create(email="bj.lead.reviewer@example.cn")
    membership_grant(user=bj_lead_reviewer, role=Role.LEAD_REVIEWER, authority=world.beijing)
    filing_transition(filing=bj, action="start_review", actor=world.bj_reviewer)
    decision = decision_make(filing=bj, outcome="approve", reasons="", actor=bj_lead_reviewer)
    assert decision.filing_number == f"{code}-11-0001"

    assert list(decisions_for(under_review)) == [first]
    audit = AuditEvent.objects.get(action="review.decide", target_id=str(first.pk))
    assert audit.data["filing_number"] == first.filing_number
    assert FilingEvent.objects.filter(filing=under_review, action="approve").exists()


def test_a_return_gets_reasons_and_no_number(world: World, under_review: Filing) -> None:
    with pytest.raises(ValidationError):
        decision_make(
            filing=under_review, outcome="return", reasons="  ", actor=world.sasac_lead_reviewer
        )
    under_review.refresh_from_db()
    assert under_review.state == State.UNDER_REVIEW

    decision = decision_make(
        filing=under_review,
        outcome="return",
        reasons="目标不可量化",
        actor=world.sasac_lead_reviewer,
    )
    assert decision.filing_number is None
    assert decision.reasons == "目标不可量化"
    under_review.refresh_from_db()
    assert under_review.state == State.RETURNED
    event = FilingEvent.objects.get(filing=under_review, action="return")
    assert event.data["reason"] == "目标不可量化" and not event.internal
    assert not FilingNumberSequence.objects.exists()


def test_an_unknown_outcome_is_refused(world: World, under_review: Filing) -> None:
    with pytest.raises(ValidationError):
        decision_make(
            filing=under_review, outcome="amend", reasons="x", actor=world.sasac_lead_reviewer
        )
    assert not Decision.objects.exists()


def test_a_refused_decision_writes_nothing_and_takes_no_number(
    world: World, filing: Filing, second: Filing, plan: Deliverable
) -> None:
    filing = drive(filing, world, "submit")  # submitted, review not started
    with pytest.raises(IllegalTransition):
        approve(filing, world)
    with pytest.raises(NotAllowed):
        decision_make(filing=second, outcome="approve", reasons="", actor=world.sasac_reviewer)
    assert not Decision.objects.exists()
    assert not FilingNumberSequence.objects.exists()
    assert approve(second, world).filing_number == f"{plan.campaign.code}-SASAC-0001"


def test_a_failure_after_numbering_gives_the_number_back(
    world: World,
    under_review: Filing,
    second: Filing,
    plan: Deliverable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    approve(under_review, world)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr("apps.reviews.services.audit_log", broken)
    with pytest.raises(RuntimeError):
        approve(second, world)
    monkeypatch.undo()
    second.refresh_from_db()
    assert second.state == State.UNDER_REVIEW
    assert FilingNumberSequence.objects.get().last_number == 1
    assert approve(second, world).filing_number == f"{plan.campaign.code}-SASAC-0002"


def test_an_amendment_approval_keeps_the_plans_number_with_a_change_number(
    world: World, under_review: Filing, second: Filing, plan: Deliverable
) -> None:
    approve(under_review, world)
    filing = drive(under_review, world, "amend", "submit", "start_review")
    assert approve(filing, world).filing_number == f"{plan.campaign.code}-SASAC-0001-1"
    filing = drive(filing, world, "amend", "submit", "start_review")
    assert approve(filing, world).filing_number == f"{plan.campaign.code}-SASAC-0001-2"
    assert decisions_for(filing).count() == 3
    # the sequence moved for the first approval only: the next plan is the second
    assert FilingNumberSequence.objects.get().last_number == 1
    assert approve(second, world).filing_number == f"{plan.campaign.code}-SASAC-0002"


@pytest.mark.postgres
def test_decisions_cannot_be_changed_or_deleted(world: World, under_review: Filing) -> None:
    decision = approve(under_review, world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="改过")
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.filing_number = "X-0001"
        decision.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.delete()
    for sql in (
        "UPDATE reviews_decision SET filing_number = NULL WHERE id = %s",
        "DELETE FROM reviews_decision WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [decision.pk])
    decision.refresh_from_db()
    assert decision.filing_number is not None
    assert decision.filing_number.endswith("-SASAC-0001")


def test_the_database_refuses_an_approval_with_a_blank_number_and_a_bare_return(
    world: World, under_review: Filing
) -> None:
    # An approval without a number (NULL) is a receipt, e.g. of a stage summary; a blank
    # number is never one.
    version = under_review.latest_submitted
    assert version is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            filing=under_review,
            version=version,
            decided_by=world.sasac_lead_reviewer,
            outcome="approve",
            filing_number="",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            filing=under_review,
            version=version,
            decided_by=world.sasac_lead_reviewer,
            outcome="return",
        )


# --- Recommendations ------------------------------------------------------------------------


def test_reviewers_recommend_while_under_review(world: World, under_review: Filing) -> None:
    recommendation = recommendation_make(
        filing=under_review,
        outcome="return",
        reasoning="指标缺少对标值",
        actor=world.sasac_reviewer,
    )
    assert recommendation.version == under_review.latest_submitted
    event = FilingEvent.objects.get(filing=under_review, action="recommend")
    assert event.internal
    assert list(recommendations_for(world.sasac_lead_reviewer, under_review)) == [recommendation]
    for outsider in (world.lead, world.editor, world.bj_reviewer, world.admin):
        assert not recommendations_for(outsider, under_review).exists()

    with pytest.raises(ValidationError):
        recommendation_make(
            filing=under_review, outcome="approve", reasoning=" ", actor=world.sasac_reviewer
        )
    with pytest.raises(NotAllowed):
        recommendation_make(
            filing=under_review, outcome="approve", reasoning="好", actor=world.bj_reviewer
        )
    assert Recommendation.objects.count() == 1


def test_no_recommendation_outside_review(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit")
    with pytest.raises(IllegalTransition):
        recommendation_make(
            filing=filing, outcome="approve", reasoning="好", actor=world.sasac_reviewer
        )


@pytest.mark.postgres
def test_recommendations_cannot_be_changed_or_deleted(world: World, under_review: Filing) -> None:
    recommendation = recommendation_make(
        filing=under_review, outcome="approve", reasoning="好", actor=world.sasac_reviewer
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=recommendation.pk).update(outcome="return")
    with pytest.raises(IntegrityError), transaction.atomic():
        recommendation.delete()
