"""A filed assessment report of the central enterprise (from tests/stages), and helpers that
take a nomination through its steps as the roles the workflow wants."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.enterprises.models import Role
from apps.enterprises.services import membership_grant
from apps.filings.models import Filing
from apps.nominations import services
from apps.nominations.models import Nomination, PublicNotice
from apps.timeline.models import local_today
from tests.conftest import World
from tests.factories import UserFactory
from tests.stages.conftest import (  # noqa: F401 - fixtures, used by name
    approved_plan,
    approved_report,
    final,
    report,
    submitted_report,
)


@pytest.fixture
def second_reviewer(world: World) -> User:
    """Another reviewer of SASAC, so that two plain reviewers can score."""
    user: User = UserFactory(email="sasac.reviewer2@example.cn")
    membership_grant(user=user, role=Role.REVIEWER, authority=world.sasac)
    return user


@pytest.fixture
def bj_lead_reviewer(world: World) -> User:
    """The lead reviewer of another authority (Beijing)."""
    user: User = UserFactory(email="bj.lead@example.cn")
    membership_grant(user=user, role=Role.LEAD_REVIEWER, authority=world.beijing)
    return user


def nominate_model(filing: Filing, world: World) -> Nomination:
    return services.nomination_nominate(
        filing=filing, kind="model_enterprise", field="efficiency", actor=world.sasac_reviewer
    )


def score_twice(nomination: Nomination, world: World, second: User) -> None:
    services.nomination_score(nomination=nomination, score=82, actor=world.sasac_reviewer)
    services.nomination_score(nomination=nomination, score=90, comment="很好。", actor=second)


def propose(nomination: Nomination, world: World, *, publish_summary: bool = True) -> Nomination:
    return services.nomination_propose(
        nomination=nomination, publish_summary=publish_summary, actor=world.sasac_lead_reviewer
    )


def publish(world: World, *nominations: Nomination, days: int = 5) -> PublicNotice:
    today = local_today()
    return services.notice_publish(
        authority=world.sasac,
        title="2025年价值创造示范企业公示",
        starts_on=today,
        ends_on=today + dt.timedelta(days=days),
        nominations=list(nominations),
        actor=world.sasac_lead_reviewer,
    )


def end_notice(notice: PublicNotice) -> PublicNotice:
    """Time passes: the notice ran from ten days ago until yesterday (Beijing)."""
    today = local_today()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1)
    )
    notice.refresh_from_db()
    return notice


def in_notice(filing: Filing, world: World, second: User) -> tuple[Nomination, PublicNotice]:
    """A model-enterprise nomination scored twice, proposed and listed in a notice."""
    nomination = nominate_model(filing, world)
    score_twice(nomination, world, second)
    propose(nomination, world)
    notice = publish(world, nomination)
    nomination.refresh_from_db()
    return nomination, notice
