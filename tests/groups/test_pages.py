"""The group's section of its headquarters' page: its tree with what each subsidiary filed,
and the form that says which subsidiaries file (the group's filing officer or lead reviewer
only)."""

import pytest
from django.test import Client

from apps.audit.models import AuditEvent
from apps.groups.models import GroupFilingPolicy
from tests.conftest import World, login_verified
from tests.groups.conftest import Group, submitted_plan

pytestmark = pytest.mark.django_db


def test_the_tree_shows_each_unit_and_the_form_only_to_who_sets_it(
    world: World, group: Group, campaign: object
) -> None:
    submitted_plan(group.sub_a, group.a_lead, campaign)  # type: ignore[arg-type]
    url = world.central.get_absolute_url()
    for user, form in ((world.lead, True), (group.lead_reviewer, True), (group.reviewer, False),
                       (world.sasac_reviewer, False)):  # fmt: skip
        page = login_verified(Client(), user).get(url)
        assert page.status_code == 200, user.email
        html = page.content.decode()
        assert html.count('data-testid="group-unit"') == 3  # two subsidiaries, a grandchild
        assert group.sub_a.name_zh in html and group.grandchild.name_zh in html
        assert ('data-testid="group-policy-form"' in html) is form, user.email
    # Another group's reviewer: not this group's page.
    assert login_verified(Client(), group.other_group_reviewer).get(url).status_code == 404


def test_setting_the_policy_from_the_page(world: World, group: Group) -> None:
    url = f"/groups/{world.central.credit_code}/policy/"
    form = {"max_tier": "", "listed": [str(group.grandchild.pk)]}
    # A subsidiary, a plain group reviewer, another group's reviewer: 404, nothing changes.
    for user in (group.a_lead, group.reviewer, group.other_group_reviewer, world.sasac_reviewer):
        assert login_verified(Client(), user).post(url, form).status_code == 404, user.email
    assert GroupFilingPolicy.objects.get(group=world.central).max_tier == 1
    response = login_verified(Client(), group.lead_reviewer).post(url, form)
    assert response.status_code == 302
    policy = GroupFilingPolicy.objects.get(group=world.central)
    assert (policy.max_tier, [e.pk for e in policy.listed.all()]) == (None, [group.grandchild.pk])
    assert policy.commission_sees_subsidiaries is False  # the box left unticked
    group.grandchild.refresh_from_db()
    group.sub_a.refresh_from_db()
    assert (group.grandchild.files_to_group, group.sub_a.files_to_group) == (True, False)
    assert AuditEvent.objects.filter(action="groups.policy_set", actor=group.lead_reviewer).exists()
