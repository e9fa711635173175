"""Assigning reviewers: who may, to whom, in bulk, by oneself, and the internal trail."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing, FilingEvent
from apps.filings.services import NotAllowed
from apps.reviews.models import Assignment
from apps.reviews.selectors import assignments_for, filings_assigned_to, review_settings_for
from apps.reviews.services import (
    assignment_create,
    assignment_remove,
    assignment_self,
    assignments_bulk,
    review_settings_update,
)
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
def second_filing(world: World, plan: Deliverable, simple_kind: object) -> Filing:
    return submitted_filing(world.central_other, plan, world.other_lead)


def test_lead_reviewer_assigns_two_reviewers_to_two_filings(
    world: World, under_review: Filing, second_filing: Filing
) -> None:
    colleague: User = UserFactory.create(email="sasac.reviewer2@example.cn")
    membership_grant(user=colleague, role=Role.REVIEWER, authority=world.sasac)
    reviewers = [world.sasac_reviewer, colleague]

    made = assignments_bulk(
        filings=[second_filing, under_review], reviewers=reviewers, actor=world.sasac_lead_reviewer
    )

    assert len(made) == 4
    for filing in (under_review, second_filing):
        assert {a.reviewer for a in assignments_for(filing)} == set(reviewers)
        events = FilingEvent.objects.filter(filing=filing, action="assign")
        assert events.count() == 2
        assert all(e.internal for e in events)
        assert {e.data["reviewer"] for e in events} == {r.pk for r in reviewers}
    assert AuditEvent.objects.filter(action="review.assign").count() == 4
    assert set(filings_assigned_to(colleague)) == {under_review, second_filing}

    # Idempotent: assigning again returns the same rows and records nothing.
    again = assignments_bulk(
        filings=[under_review, second_filing], reviewers=reviewers, actor=world.sasac_lead_reviewer
    )
    assert {a.pk for a in again} == {a.pk for a in made}
    assert Assignment.objects.count() == 4
    assert FilingEvent.objects.filter(action="assign").count() == 4


def test_a_reviewer_of_another_authority_is_refused_and_nothing_written(
    world: World, under_review: Filing, second_filing: Filing
) -> None:
    events_before = FilingEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        assignments_bulk(
            filings=[under_review, second_filing],
            reviewers=[world.sasac_reviewer, world.bj_reviewer],
            actor=world.sasac_lead_reviewer,
        )
    assert world.bj_reviewer.full_name in str(exc.value)
    assert not Assignment.objects.exists()
    assert FilingEvent.objects.count() == events_before
    assert not AuditEvent.objects.filter(action="review.assign").exists()


@pytest.mark.parametrize("who", ["editor", "lead", "other_lead", "bj_lead", "sasac_reviewer",
                                 "bj_reviewer", "gd_reviewer", "admin"])  # fmt: skip
def test_only_the_lead_reviewer_assigns(world: World, under_review: Filing, who: str) -> None:
    with pytest.raises(NotAllowed):
        assignment_create(
            filing=under_review, reviewers=[world.sasac_reviewer], actor=getattr(world, who)
        )
    assert not Assignment.objects.exists()


def test_an_enterprise_member_cannot_be_assigned(world: World, under_review: Filing) -> None:
    with pytest.raises(ValidationError):
        assignment_create(
            filing=under_review, reviewers=[world.editor], actor=world.sasac_lead_reviewer
        )
    with pytest.raises(ValidationError):
        assignment_create(filing=under_review, reviewers=[], actor=world.sasac_lead_reviewer)


def test_self_assignment_only_when_the_authority_allows_it(
    world: World, under_review: Filing
) -> None:
    assert review_settings_for(world.sasac).reviewers_may_self_assign is False
    with pytest.raises(NotAllowed):
        assignment_self(filing=under_review, actor=world.sasac_reviewer)

    with pytest.raises(NotAllowed):  # a plain reviewer does not change the settings
        review_settings_update(
            authority=world.sasac, reviewers_may_self_assign=True, actor=world.sasac_reviewer
        )
    review_settings_update(
        authority=world.sasac, reviewers_may_self_assign=True, actor=world.sasac_lead_reviewer
    )
    with pytest.raises(NotAllowed):  # another authority's reviewer
        assignment_self(filing=under_review, actor=world.bj_reviewer)
    assignment = assignment_self(filing=under_review, actor=world.sasac_reviewer)
    assert assignment.reviewer == world.sasac_reviewer
    event = FilingEvent.objects.get(filing=under_review, action="assign")
    assert event.internal and event.data["self"] is True

    # Taken: a second reviewer cannot take it as well.
    colleague: User = UserFactory.create(email="sasac.reviewer2@example.cn")
    membership_grant(user=colleague, role=Role.REVIEWER, authority=world.sasac)
    with pytest.raises(NotAllowed):
        assignment_self(filing=under_review, actor=colleague)


def test_other_authorities_settings_do_not_count(world: World, under_review: Filing) -> None:
    with pytest.raises(NotAllowed):  # Beijing's lead reviewer cannot change SASAC's
        review_settings_update(
            authority=world.sasac, reviewers_may_self_assign=True, actor=world.bj_reviewer
        )
    review_settings_update(
        authority=world.beijing, reviewers_may_self_assign=True, actor=world.admin
    )
    with pytest.raises(NotAllowed):
        assignment_self(filing=under_review, actor=world.sasac_reviewer)


def test_remove_keeps_history_and_allows_reassignment(world: World, under_review: Filing) -> None:
    lead = world.sasac_lead_reviewer
    assignment_create(filing=under_review, reviewers=[world.sasac_reviewer], actor=lead)
    with pytest.raises(NotAllowed):
        assignment_remove(
            filing=under_review, reviewer=world.sasac_reviewer, actor=world.sasac_reviewer
        )
    assert assignment_remove(filing=under_review, reviewer=world.sasac_reviewer, actor=lead)
    assert not assignment_remove(filing=under_review, reviewer=world.sasac_reviewer, actor=lead)
    assert not assignments_for(under_review).exists()
    event = FilingEvent.objects.get(filing=under_review, action="unassign")
    assert event.internal
    assert AuditEvent.objects.filter(action="review.unassign").count() == 1

    assignment_create(filing=under_review, reviewers=[world.sasac_reviewer], actor=lead)
    assert Assignment.objects.filter(filing=under_review).count() == 2
    assert assignments_for(under_review).count() == 1
