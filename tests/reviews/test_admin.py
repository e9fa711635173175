"""The admin lists every review model; the records are read-only there."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.filings.models import Filing
from apps.reviews.models import AuthorityReviewSettings
from apps.reviews.services import comment_add, decision_make, recommendation_make
from tests.conftest import World
from tests.factories import UserFactory
from tests.filings.conftest import drive

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]

MODELS = ["authorityreviewsettings", "assignment", "comment", "recommendation", "decision",
          "filingnumbersequence"]  # fmt: skip
READ_ONLY = ["assignment", "comment", "recommendation", "decision", "filingnumbersequence"]


@pytest.fixture
def superuser(world: World) -> User:
    user: User = UserFactory.create(email="root@example.cn", is_staff=True, is_superuser=True)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_changelists_search_and_filter(
    world: World, filing: Filing, superuser: User, client_for: LoginAs, model: str
) -> None:
    filing = drive(filing, world, "submit", "start_review")
    assert filing.latest_submitted is not None
    comment_add(filing=filing, version=filing.latest_submitted, author=world.sasac_reviewer,
                body="意见", internal=True)  # fmt: skip
    recommendation_make(filing=filing, outcome="approve", reasoning="好",
                        actor=world.sasac_reviewer)  # fmt: skip
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    client = client_for(superuser)
    url = reverse(f"admin:reviews_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": world.central.credit_code}).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_records_cannot_be_added_in_the_admin(
    superuser: User, client_for: LoginAs, model: str
) -> None:
    response = client_for(superuser).get(reverse(f"admin:reviews_{model}_add"))
    assert response.status_code == 403


def test_settings_saved_in_the_admin_are_audited(
    world: World, superuser: User, client_for: LoginAs
) -> None:
    client = client_for(superuser)
    response = client.post(
        reverse("admin:reviews_authorityreviewsettings_add"),
        {"authority": world.sasac.pk, "reviewers_may_self_assign": "on"},
    )
    assert response.status_code == 302
    assert AuthorityReviewSettings.objects.get(authority=world.sasac).reviewers_may_self_assign
    assert AuditEvent.objects.filter(action="review.settings").count() == 1
