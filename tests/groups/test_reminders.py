"""A subsidiary that files to its group is reminded of what it owes the group; one its group
files for is not; its lateness is not escalated to the commission."""

import datetime as dt

import pytest

from apps.reminders.models import ReminderDelivery, RuleKind
from apps.reminders.sweep import sweep
from apps.timeline.models import Deliverable
from tests.conftest import World
from tests.groups.conftest import Group

pytestmark = pytest.mark.django_db


def test_subsidiaries_filing_to_the_group_are_reminded(
    world: World, group: Group, plan: Deliverable
) -> None:
    # The plan is due 31 March 2026: the day itself, then a week late.
    sweep(dt.date(2026, 3, 31), lock=False)
    sweep(dt.date(2026, 4, 30), lock=False)
    reminded = set(
        ReminderDelivery.objects.filter(deliverable=plan).values_list("enterprise_id", flat=True)
    )
    assert {group.sub_a.pk, group.sub_b.pk, world.central.pk} <= reminded
    assert group.grandchild.pk not in reminded  # covered by the group's filing
    to_a = ReminderDelivery.objects.filter(enterprise=group.sub_a, deliverable=plan)
    assert set(to_a.values_list("recipient__email", flat=True)) == {group.a_lead.email}
    # The commission's escalation digest lists the late groups, not the subsidiaries.
    digests = ReminderDelivery.objects.filter(kind=RuleKind.ESCALATION)
    assert digests.exists()
    for digest in digests:
        names = {e["enterprise_zh"] for e in digest.payload["entries"]}
        assert group.sub_a.name_zh not in names and group.sub_b.name_zh not in names
