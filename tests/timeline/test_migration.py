"""The data migration to annual summaries (0005): the 2023 campaign's half-yearly summaries
are replaced, those with filings kept with their half-year as period; the demo campaign's
summaries get periods. Run as the house runs a data migration's function: with the app
registry (tests/reminders/test_migration.py)."""

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.filings.models import AttachmentType, Filing
from apps.timeline.campaigns import campaign_ensure, demo_campaign, summary_periods
from apps.timeline.models import AuthorityDeadline, Campaign, Deliverable, Stage
from tests.conftest import World

D = dt.date
pytestmark = pytest.mark.django_db
migration = importlib.import_module("apps.timeline.migrations.0005_annual_summaries")

HALF_YEARS = [
    ("2023年上半年阶段性总结", "Stage summary, first half of 2023", D(2023, 7, 31)),
    ("2023年下半年阶段性总结", "Stage summary, second half of 2023", D(2024, 1, 31)),
    ("2024年上半年阶段性总结", "Stage summary, first half of 2024", D(2024, 7, 31)),
    ("2024年下半年阶段性总结", "Stage summary, second half of 2024", D(2025, 1, 31)),
]


def half_yearly_vc2023() -> Campaign:
    """VC2023 as the earlier migration made it: four half-yearly summaries, no periods."""
    campaign = Campaign.objects.get(code="VC2023")
    campaign.deliverables.filter(kind="stage_summary").delete()
    stage = campaign.stages.get(kind="implementation")
    for title_zh, title_en, due_on in HALF_YEARS:
        Deliverable.objects.create(
            campaign=campaign, stage=stage, kind="stage_summary", title_zh=title_zh,
            title_en=title_en, due_on=due_on,
        )  # fmt: skip
    return campaign


def summaries(campaign: Campaign) -> list[tuple[str, dt.date, dt.date | None, dt.date | None]]:
    return [
        (d.title_zh, d.due_on, d.period_starts_on, d.period_ends_on)
        for d in campaign.deliverables.filter(kind="stage_summary").order_by("due_on", "id")
    ]


def test_half_years_read_from_titles() -> None:
    assert migration.half_year_period("2023年上半年阶段性总结", "") == (
        D(2023, 1, 1),
        D(2023, 6, 30),
    )
    assert migration.half_year_period("2024年下半年阶段性总结", "") == (
        D(2024, 7, 1), D(2024, 12, 31)
    )  # fmt: skip
    assert migration.half_year_period("总结", "Summary, second half of 2024") == (
        D(2024, 7, 1), D(2024, 12, 31)
    )  # fmt: skip
    assert migration.half_year_period("第一期阶段性总结", "Stage summary, period 1") is None


def historical_apps() -> Any:
    """The models as the migration sees them when ``migrate`` runs it: the project state
    just before it, its dependencies applied."""
    loader = MigrationLoader(connection)
    node = ("timeline", "0005_annual_summaries")
    return loader.project_state(nodes=[node], at_end=False).apps


@pytest.mark.parametrize("registry", ["current", "historical"])
def test_vc2023_becomes_annual_and_keeps_what_was_filed(world: World, registry: str) -> None:
    models = apps if registry == "current" else historical_apps()
    campaign = half_yearly_vc2023()
    filed = campaign.deliverables.get(title_zh="2023年下半年阶段性总结")
    filing = Filing.objects.create(
        enterprise=world.central, deliverable=filed, kind="stage_summary"
    )
    unfiled = campaign.deliverables.get(title_zh="2024年上半年阶段性总结")
    AuthorityDeadline.objects.create(
        deliverable=unfiled, authority=world.beijing, due_on=D(2024, 8, 5), set_by=world.admin
    )
    plan_before = campaign.deliverables.get(kind="plan")

    migration.forwards(models, None)

    assert summaries(campaign) == [
        # Kept: it has a filing; its period is its title's half-year.
        ("2023年下半年阶段性总结", D(2024, 1, 31), D(2023, 7, 1), D(2023, 12, 31)),
        ("2023年度阶段性总结", D(2024, 1, 31), D(2023, 1, 1), D(2023, 12, 31)),
        ("2024年度阶段性总结", D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31)),
    ]
    filing.refresh_from_db()
    assert filing.deliverable_id == filed.pk  # nothing filed is lost
    assert not AuthorityDeadline.objects.filter(authority=world.beijing).exists()
    plan = campaign.deliverables.get(kind="plan")
    assert (plan.pk, plan.due_on, plan.period) == (plan_before.pk, D(2023, 3, 31), None)
    report = campaign.deliverables.get(kind="assessment_report")
    assert (report.due_on, report.period) == (D(2025, 3, 31), None)
    for annual in campaign.deliverables.filter(title_zh__endswith="年度阶段性总结"):
        assert set(
            AttachmentType.objects.filter(deliverable=annual).values_list("code", flat=True)
        ) == {"decision_record", "cover_letter"}
    for deliverable in campaign.deliverables.all():
        deliverable.full_clean()

    # Again: nothing changes.
    count = Deliverable.objects.count()
    migration.forwards(models, None)
    assert Deliverable.objects.count() == count
    assert len(summaries(campaign)) == 3


def test_a_database_made_after_the_change_gets_the_annual_periods() -> None:
    """Migration 0002 runs the annual spec against a Deliverable without periods: 0005 sets
    them."""
    campaign = Campaign.objects.get(code="VC2023")
    campaign.deliverables.update(period_starts_on=None, period_ends_on=None)
    migration.forwards(apps, None)
    assert summaries(campaign) == [
        ("2023年度阶段性总结", D(2024, 1, 31), D(2023, 1, 1), D(2023, 12, 31)),
        ("2024年度阶段性总结", D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31)),
    ]


def test_the_demo_campaign_gets_periods_and_an_administrators_stay() -> None:
    seeded_on = D(2026, 11, 19)
    campaign = campaign_ensure(
        demo_campaign(seeded_on),
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )
    deliverables = campaign.deliverables.filter(kind="stage_summary").order_by("due_on")
    deliverables.update(period_starts_on=None, period_ends_on=None)  # as seeded before
    last = deliverables.last()
    assert last is not None
    Deliverable.objects.filter(pk=last.pk).update(
        period_starts_on=D(2026, 7, 1), period_ends_on=D(2026, 12, 31)
    )
    migration.forwards(apps, None)
    expected = summary_periods([d.due_on for d in deliverables], 2026)
    assert [(d.period_starts_on, d.period_ends_on) for d in deliverables] == [
        expected[0],  # 2026, months 1 to 9
        expected[1],  # 2026, months 1 to 10
        (D(2026, 7, 1), D(2026, 12, 31)),  # the administrator's, left alone
    ]
    assert expected[:2] == [(D(2026, 1, 1), D(2026, 9, 30)), (D(2026, 1, 1), D(2026, 10, 31))]
