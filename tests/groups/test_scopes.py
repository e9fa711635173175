"""A group files inside itself first: its subsidiaries file to the group headquarters, whose
group reviewers review them with the same workflow; the commission reads, per the group's
policy, what the group accepted. Every level sees its own and nothing of its neighbours."""

from typing import Any

import pytest
from django.test import Client

from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.services import NotAllowed, filing_start, filing_transition
from apps.groups.models import GroupFilingPolicy
from apps.groups.services import PolicyRefused, group_policy_set
from apps.notifications.models import Notification
from apps.reviews.services import decision_make
from apps.timeline.models import Campaign
from tests.conftest import World, login_verified
from tests.factories import UserFactory
from tests.groups.conftest import Group, status, submitted_plan

pytestmark = pytest.mark.django_db


def test_the_policy_decides_who_files_to_the_group(world: World, group: Group) -> None:
    for enterprise in (group.sub_a, group.sub_b, group.grandchild):
        enterprise.refresh_from_db()
    assert (group.sub_a.files_to_group, group.sub_b.files_to_group) == (True, True)
    assert group.grandchild.files_to_group is False  # tier 2: covered by the group
    group_policy_set(group=world.central, max_tier=None, listed=[group.grandchild])
    for enterprise in (group.sub_a, group.grandchild):
        enterprise.refresh_from_db()
    assert (group.sub_a.files_to_group, group.grandchild.files_to_group) == (False, True)
    with pytest.raises(PolicyRefused):  # another group's subsidiary
        group_policy_set(group=world.central, max_tier=None, listed=[group.other_sub])
    with pytest.raises(PolicyRefused):  # a subsidiary sets no policy
        group_policy_set(group=group.sub_a, max_tier=1)


def test_a_subsidiary_the_group_does_not_require_files_nothing(
    world: World, group: Group, campaign: Campaign
) -> None:
    grandchild_lead = UserFactory(email="grandchild.lead@example.cn")
    membership_grant(user=grandchild_lead, role=Role.LEAD, enterprise=group.grandchild)
    with pytest.raises(NotAllowed):
        filing_start(
            enterprise=group.grandchild, deliverable=campaign.deliverables.get(kind="plan"),
            actor=grandchild_lead,
        )  # fmt: skip


def test_every_level_sees_its_own_and_nothing_of_its_neighbours(
    world: World, group: Group, campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the notifications follow it
        filing = submitted_plan(group.sub_a, group.a_lead, campaign)
    assert filing.reviewing_group_id == world.central.pk
    url = f"/filings/{filing.pk}/"
    # The subsidiary itself, and the group's reviewers; the group's queue lists it.
    assert status(group.a_lead, url) == 200
    assert status(group.reviewer, url) == 200
    queue = f"/groups/{world.central.credit_code}/queue/"
    page = login_verified(Client(), group.reviewer).get(queue)
    assert page.status_code == 200 and group.sub_a.name_zh in page.content.decode()
    # Its sibling, another group's reviewer, the commission while the group reviews, another
    # commission: nothing.
    assert status(group.b_lead, url) == 404
    assert status(group.other_group_reviewer, url) == 404
    assert status(group.other_group_reviewer, queue) == 404
    assert status(group.a_lead, queue) == 404  # a subsidiary has no queue of its group
    assert status(world.sasac_reviewer, url) == 404
    sasac_queue = login_verified(Client(), world.sasac_reviewer).get("/authorities/SASAC/queue/")
    assert group.sub_a.name_zh not in sasac_queue.content.decode()
    assert status(world.bj_reviewer, url) == 404
    # The group's reviewers were told, not the commission's.
    told = set(
        Notification.objects.filter(verb="submitted").values_list("recipient__email", flat=True)
    )
    assert {group.reviewer.email, group.lead_reviewer.email} <= told
    assert world.sasac_reviewer.email not in told


def test_the_group_accepts_and_the_commission_reads_it_per_policy(
    world: World, group: Group, campaign: Campaign, client_for: Any
) -> None:
    filing = submitted_plan(group.sub_a, group.a_lead, campaign)
    filing = filing_transition(filing=filing, action="start_review", actor=group.reviewer)
    decision_make(filing=filing, outcome="approve", reasons="", actor=group.lead_reviewer)
    filing.refresh_from_db()
    assert filing.state == "approved" and filing.approved_version_id is not None
    decision = filing.decisions.get()
    assert decision.filing_number is None  # the group accepts; no commission's register
    url = f"/filings/{filing.pk}/"
    # The commission reads what the group accepted, and may not decide on it.
    assert status(world.sasac_reviewer, url) == 200
    assert not world.sasac_lead_reviewer.has_perm("reviews.decide", filing)
    assert status(world.bj_reviewer, url) == 404
    # A group that keeps its subsidiaries' filings to itself.
    GroupFilingPolicy.objects.filter(group=world.central).update(commission_sees_subsidiaries=False)
    assert status(world.sasac_reviewer, url) == 404


def test_an_authority_reviewer_cannot_decide_what_a_group_reviews(
    world: World, group: Group, campaign: Campaign
) -> None:
    filing = submitted_plan(group.sub_a, group.a_lead, campaign)
    assert not world.sasac_lead_reviewer.has_perm("reviews.decide", filing)
    assert group.lead_reviewer.has_perm("reviews.decide", filing)
    assert not group.reviewer.has_perm("reviews.decide", filing)  # a reviewer, not the lead
    assert group.reviewer.has_perm("reviews.comment", filing)
