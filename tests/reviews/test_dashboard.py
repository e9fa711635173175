import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.reviews.services import assignment_create, decision_make
from tests.conftest import World
from tests.filings.conftest import drive, filing, simple_kind  # noqa: F401

pytestmark = pytest.mark.django_db


def test_dashboard_figures_and_scope(world: World, filing, client_for) -> None:  # noqa: F811
    filing = drive(filing, world, "submit", "start_review")
    assignment_create(
        filing=filing, reviewers=[world.sasac_reviewer], actor=world.sasac_lead_reviewer
    )
    url = reverse("reviews:dashboard", args=["SASAC"])
    client = client_for(world.sasac_lead_reviewer)
    client.get(url)  # warm the navigation cache
    with CaptureQueriesContext(connection) as before:
        body = client.get(url).content.decode()
    assert world.sasac_reviewer.full_name in body
    decision_make(filing=filing, outcome="approve", reasons="", actor=world.sasac_lead_reviewer)
    with CaptureQueriesContext(connection) as after:
        body = client.get(url).content.decode()
    assert 'data-testid="median-days"' in body
    assert len(before.captured_queries) == len(after.captured_queries)
    # plain reviewers, other authorities and enterprises: 404
    assert client_for(world.sasac_reviewer).get(url).status_code == 404
    assert client_for(world.bj_reviewer).get(url).status_code == 404
    assert client_for(world.lead).get(url).status_code == 404


def test_lead_reviewer_lets_reviewers_self_assign(world: World, client_for) -> None:
    from apps.reviews.selectors import review_settings_for

    url = reverse("reviews:settings_update", args=["SASAC"])
    assert (
        client_for(world.sasac_reviewer).post(url, {"reviewers_may_self_assign": "yes"}).status_code
        == 404
    )
    client_for(world.sasac_lead_reviewer).post(url, {"reviewers_may_self_assign": "yes"})
    assert review_settings_for(world.sasac).reviewers_may_self_assign
    assert (
        client_for(world.bj_reviewer)
        .post(reverse("reviews:settings_update", args=["SASAC"]), {})
        .status_code
        == 404
    )
