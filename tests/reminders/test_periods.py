"""A commission's own half-yearly summary: its enterprises are reminded of it, nobody else;
its overdue ones reach its lead reviewers' digest, not another authority's."""

import datetime as dt

import pytest

from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.workflow import State
from apps.reminders.models import ReminderDelivery, RuleKind
from apps.reminders.sweep import sweep
from apps.timeline.models import Campaign, Deliverable
from tests.conftest import World
from tests.factories import UserFactory
from tests.reminders.conftest import make_filing, sent_to
from tests.timeline.fixtures import authority_summary

D = dt.date
pytestmark = pytest.mark.django_db


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_only_that_authoritys_enterprises_are_reminded(
    world: World, annual_campaign: Campaign, annual_summary: Deliverable
) -> None:
    h1 = authority_summary(annual_campaign, world.beijing, half=1)  # due Fri 31 July 2026
    # Every plan is filed (in force): in July only the summaries are anyone's concern.
    plan = annual_campaign.deliverables.get(kind="plan")
    groups = (world.central, world.central_other, world.bj_enterprise, world.gd_enterprise)
    for enterprise in groups:
        make_filing(enterprise, plan, State.APPROVED)
    bj_lead_reviewer = UserFactory.create(email="bj.lead.reviewer@example.cn")
    membership_grant(user=bj_lead_reviewer, role=Role.LEAD_REVIEWER, authority=world.beijing)
    for day in days(D(2026, 7, 1), D(2026, 8, 10)):
        sweep(day)

    about_h1 = ReminderDelivery.objects.filter(deliverable=h1)
    assert set(about_h1.values_list("recipient__email", flat=True)) == {world.bj_lead.email}
    assert sorted(about_h1.values_list("occasion_on", "kind")) == [
        (D(2026, 7, 13), RuleKind.BEFORE_DUE),  # 14 working days before (Mon)
        (D(2026, 7, 22), RuleKind.BEFORE_DUE),  # 7
        (D(2026, 7, 28), RuleKind.BEFORE_DUE),  # 3
        (D(2026, 7, 30), RuleKind.BEFORE_DUE),  # 1
        (D(2026, 7, 31), RuleKind.ON_DUE),
        (D(2026, 8, 1), RuleKind.OVERDUE_REPEAT),
        (D(2026, 8, 8), RuleKind.OVERDUE_REPEAT),
    ]
    # SASAC's and Guangdong's people heard nothing of it (of anything, in July: the
    # campaign's annual summary is due in January).
    for email in (world.lead.email, world.editor.email, world.other_lead.email):
        assert sent_to(email) == []
    assert len(sent_to(world.bj_lead.email)) == 7

    # Overdue more than 7 days on 8 August: in Beijing's lead reviewers' digest only.
    digests = ReminderDelivery.objects.filter(kind=RuleKind.ESCALATION)
    assert set(digests.values_list("recipient__email", flat=True)) == {bj_lead_reviewer.email}
    (digest,) = digests
    assert [e["deliverable_zh"] for e in digest.payload["entries"]] == [h1.title_zh]
    assert digest.authority == world.beijing
