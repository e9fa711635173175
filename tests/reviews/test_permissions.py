"""The state × role matrix of the review actions: every user of the world, every state."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.filings.models import Filing, FilingEvent
from apps.filings.services import FilingError
from apps.reviews.models import Assignment, Comment, Decision, Recommendation
from apps.reviews.services import (
    assignment_create,
    comment_add,
    decision_make,
    recommendation_make,
)
from tests.conftest import World
from tests.filings.conftest import drive
from tests.reviews.conftest import PATHS

pytestmark = pytest.mark.django_db

ROLES = ["editor", "lead", "other_lead", "bj_lead", "sasac_reviewer", "sasac_lead_reviewer",
         "bj_reviewer", "gd_reviewer", "admin"]  # fmt: skip
REVIEWERS = {"sasac_reviewer", "sasac_lead_reviewer"}
LEAD_REVIEWER = {"sasac_lead_reviewer"}


def _decide(world: World, filing: Filing, actor: object) -> object:
    return decision_make(filing=filing, outcome="approve", reasons="同意", actor=actor)


def _recommend(world: World, filing: Filing, actor: object) -> object:
    return recommendation_make(filing=filing, outcome="approve", reasoning="同意", actor=actor)


def _comment(world: World, filing: Filing, actor: object) -> object:
    version = filing.latest_submitted or filing.draft
    assert version is not None
    return comment_add(filing=filing, version=version, author=actor, body="意见", internal=True)


def _assign(world: World, filing: Filing, actor: object) -> object:
    return assignment_create(filing=filing, reviewers=[world.sasac_reviewer], actor=actor)


# action: (service call, model written, event action, who may, in which states)
ACTIONS: dict[str, tuple[Callable[..., object], type[Any], str, set[str], set[str]]] = {
    "decide": (_decide, Decision, "approve", LEAD_REVIEWER, {"under_review"}),
    "recommend": (_recommend, Recommendation, "recommend", REVIEWERS, {"under_review"}),
    "comment": (_comment, Comment, "comment", REVIEWERS, set(PATHS) - {"draft"}),
    "assign": (_assign, Assignment, "assign", LEAD_REVIEWER, set(PATHS) - {"draft"}),
}
# The rules say who, and "submitted at least once"; the services add the state.
RULE_NEEDS_SUBMISSION = {"recommend", "comment", "assign"}


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", ROLES)
def test_state_role_matrix(world: World, filing: Filing, state: str, action: str, who: str) -> None:
    filing = drive(filing, world, *PATHS[state])
    assert filing.state == state
    call, model, event_action, roles, states = ACTIONS[action]
    actor = getattr(world, who)
    allowed = who in roles and state in states

    rule = who in roles and (state != "draft" or action not in RULE_NEEDS_SUBMISSION)
    assert actor.has_perm(f"reviews.{action}", filing) == rule

    events_before = FilingEvent.objects.filter(filing=filing, action=event_action).count()
    try:
        call(world, filing, actor)
    except (FilingError, ValidationError):
        assert not allowed, f"{who} should be able to {action} a filing {state}"
        assert not model.objects.exists()
        assert FilingEvent.objects.filter(filing=filing, action=event_action).count() == (
            events_before
        )
        return
    assert allowed, f"{who} must not {action} a filing {state}"
    assert model.objects.filter(filing=filing).count() == 1
    assert FilingEvent.objects.filter(filing=filing, action=event_action).count() == (
        events_before + 1
    )


def test_view_internal_is_for_the_authority_reviewers(world: World, filing: Filing) -> None:
    filing = drive(filing, world, "submit")
    for who in ROLES:
        assert getattr(world, who).has_perm("reviews.view_internal", filing) == (who in REVIEWERS)
