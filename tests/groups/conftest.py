"""A group with subsidiaries that file to it, its reviewers, and another group beside it."""

from dataclasses import dataclass

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.enterprises.models import Enterprise, Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.filings.services import filing_start, filing_transition
from apps.groups.services import group_policy_set
from apps.plans.demo import demo_plan_content, plan_fill
from apps.timeline.models import Campaign
from tests.conftest import World, login_verified
from tests.factories import EnterpriseFactory, UserFactory
from tests.filings.conftest import a_submission


@dataclass
class Group:
    sub_a: Enterprise
    sub_b: Enterprise
    grandchild: Enterprise
    other_sub: Enterprise
    a_lead: User
    b_lead: User
    reviewer: User
    lead_reviewer: User
    other_group_reviewer: User


@pytest.fixture
def group(world: World) -> Group:
    """The central group with two subsidiaries and one of theirs; another SASAC group with
    one subsidiary and a reviewer of its own."""
    sub_a = EnterpriseFactory(authority=world.sasac, parent=world.central, name_zh="甲子公司")
    sub_b = EnterpriseFactory(authority=world.sasac, parent=world.central, name_zh="乙子公司")
    grandchild = EnterpriseFactory(authority=world.sasac, parent=sub_a, name_zh="甲孙公司")
    other_sub = EnterpriseFactory(authority=world.sasac, parent=world.central_other)
    g = Group(
        sub_a=sub_a, sub_b=sub_b, grandchild=grandchild, other_sub=other_sub,
        a_lead=UserFactory(email="a.lead@example.cn"),
        b_lead=UserFactory(email="b.lead@example.cn"),
        reviewer=UserFactory(email="group.reviewer@example.cn"),
        lead_reviewer=UserFactory(email="group.lead@example.cn"),
        other_group_reviewer=UserFactory(email="other.group.reviewer@example.cn"),
    )  # fmt: skip
    membership_grant(user=g.a_lead, role=Role.LEAD, enterprise=sub_a)
    membership_grant(user=g.b_lead, role=Role.LEAD, enterprise=sub_b)
    membership_grant(user=g.reviewer, role=Role.GROUP_REVIEWER, enterprise=world.central)
    membership_grant(user=g.lead_reviewer, role=Role.GROUP_LEAD_REVIEWER, enterprise=world.central)
    membership_grant(
        user=g.other_group_reviewer, role=Role.GROUP_REVIEWER, enterprise=world.central_other
    )
    group_policy_set(group=world.central, max_tier=1, actor=world.lead)
    group_policy_set(group=world.central_other, max_tier=1, actor=world.other_lead)
    return g


def submitted_plan(enterprise: Enterprise, lead: User, campaign: Campaign) -> Filing:
    enterprise.refresh_from_db()  # the policy set whether it files
    filing = filing_start(
        enterprise=enterprise, deliverable=campaign.deliverables.get(kind="plan"), actor=lead
    )
    plan_fill(filing=filing, content=demo_plan_content(filing, seed=4), actor=lead)
    return filing_transition(filing=filing, action="submit", submission=a_submission(),
                             actor=lead)  # fmt: skip


def status(user: User, url: str) -> int:
    return login_verified(Client(), user).get(url).status_code
