import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Enterprise
from apps.filings.models import Filing
from apps.timeline.models import Campaign, Deliverable, deadline_for, local_today
from apps.timeline.obligations import (
    DueSource,
    ObligationStatus,
    effective_due_on,
    filing_enterprises,
    obligation_for,
    obligations_for,
    status_counts,
)
from apps.timeline.services import authority_deadline_set, extension_grant
from tests.conftest import World
from tests.enterprises.test_home_obligations import live_campaign
from tests.timeline.fixtures import authority_summary

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(y: int, m: int, d: int, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_precedence_pure() -> None:
    campaign, authority, extension = D(2026, 3, 31), D(2026, 4, 15), D(2026, 5, 1)
    assert effective_due_on(campaign, None, None) == (campaign, DueSource.CAMPAIGN)
    assert effective_due_on(campaign, authority, None) == (authority, DueSource.AUTHORITY)
    assert effective_due_on(campaign, authority, extension) == (extension, DueSource.EXTENSION)
    assert effective_due_on(campaign, None, extension) == (extension, DueSource.EXTENSION)


@pytest.mark.django_db
def test_precedence_through_the_services(world: World, plan: Deliverable) -> None:
    now = at(2026, 3, 1, 9, 0)
    assert obligation_for(world.bj_enterprise, plan, now=now).due_on == D(2026, 3, 31)
    authority_deadline_set(
        deliverable=plan, authority=world.beijing, due_on=D(2026, 4, 10), actor=world.admin
    )
    ob = obligation_for(world.bj_enterprise, plan, now=now)
    assert (ob.due_on, ob.due_source) == (D(2026, 4, 10), DueSource.AUTHORITY)
    # another authority's enterprise keeps the campaign date
    assert obligation_for(world.gd_enterprise, plan, now=now).due_on == D(2026, 3, 31)
    extension_grant(
        deliverable=plan,
        enterprise=world.bj_enterprise,
        due_on=D(2026, 4, 30),
        reason="重组",
        actor=world.admin,
    )
    ob = obligation_for(world.bj_enterprise, plan, now=now)
    assert (ob.due_on, ob.due_source) == (D(2026, 4, 30), DueSource.EXTENSION)
    # the extension is one enterprise's: its neighbour keeps the authority deadline
    other = Enterprise.objects.create(
        credit_code=make_credit_code("91110000999999990"),
        name_zh="北京其他",
        authority=world.beijing,
        category="commercial_1",
        industry="C",
    )
    assert obligation_for(other, plan, now=now).due_on == D(2026, 4, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("server_zone", ["Asia/Shanghai", "UTC", "America/Los_Angeles"])
def test_time_zone_edge(world: World, plan: Deliverable, server_zone: str) -> None:
    with override_settings(TIME_ZONE=server_zone):
        on_time = obligation_for(world.central, plan, now=at(2026, 3, 31, 23, 30))
        late = obligation_for(world.central, plan, now=at(2026, 4, 1, 0, 30))
    assert on_time.status == ObligationStatus.NOT_STARTED
    assert late.status == ObligationStatus.OVERDUE
    assert deadline_for(D(2026, 3, 31)) == at(2026, 4, 1, 0, 0)
    # the same instants written in UTC
    utc = ZoneInfo("UTC")
    assert (
        obligation_for(world.central, plan, now=dt.datetime(2026, 3, 31, 15, 59, tzinfo=utc)).status
        == ObligationStatus.NOT_STARTED
    )
    assert (
        obligation_for(world.central, plan, now=dt.datetime(2026, 3, 31, 16, 0, tzinfo=utc)).status
        == ObligationStatus.OVERDUE
    )


@pytest.mark.django_db
def test_days_left_and_working_days(world: World, h2: Deliverable) -> None:
    ob = obligation_for(world.central, h2, now=at(2026, 12, 10, 8, 0))  # Thursday
    assert ob.days_left == 5
    assert ob.working_days_left == 3  # Fri 11, Mon 14, Tue 15


def make_enterprises(n: int, authority) -> None:  # type: ignore[no-untyped-def]
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(f"95440000{i:09d}"),
            name_zh=f"企业{i}",
            authority=authority,
            category="commercial_1",
            industry="C",
        )
        for i in range(n)
    )


def count_queries(queryset) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        obligations = obligations_for(queryset)
    return len(ctx.captured_queries), len(obligations)


@pytest.mark.django_db
def test_selector_queries_do_not_grow_with_enterprises(world: World, campaign, plan) -> None:  # type: ignore[no-untyped-def]
    make_enterprises(10, world.guangdong)
    authority_deadline_set(
        deliverable=plan, authority=world.guangdong, due_on=D(2026, 4, 9), actor=world.admin
    )
    qs = filing_enterprises(Enterprise.objects.filter(authority=world.guangdong))
    small, n_small = count_queries(qs)
    Enterprise.objects.filter(credit_code__startswith="9544").delete()
    make_enterprises(5000, world.guangdong)
    large, n_large = count_queries(qs)
    assert small == large, (small, large)
    assert n_small == 11 * 4 and n_large == 5001 * 4


@pytest.mark.django_db
def test_only_groups_owe_deliverables(world: World, campaign) -> None:  # type: ignore[no-untyped-def]
    Enterprise.objects.create(
        credit_code=make_credit_code("91110000888888880"),
        name_zh="子企业",
        authority=world.sasac,
        category="commercial_1",
        industry="C",
        parent=world.central,
    )
    enterprises = filing_enterprises(Enterprise.objects.filter(authority=world.sasac))
    assert set(enterprises) == {world.central, world.central_other}


# --- An authority's own deliverables ---------------------------------------------------------


@pytest.mark.django_db
def test_an_authority_only_deliverable_is_owed_by_that_authoritys_enterprises(
    world: World, annual_campaign: Campaign
) -> None:
    h1 = authority_summary(annual_campaign, world.beijing, half=1)
    assert h1.applies_to(world.beijing.pk) and not h1.applies_to(world.guangdong.pk)
    campaign_wide = annual_campaign.deliverables.get(kind="plan")
    assert campaign_wide.applies_to(world.guangdong.pk)
    # The query and the method are one rule.
    for authority in (world.beijing, world.guangdong, world.sasac):
        queried = set(
            Deliverable.objects.filter(campaign=annual_campaign).for_authority(authority.pk)
        )
        assert queried == {
            d for d in annual_campaign.deliverables.all() if d.applies_to(authority.pk)
        }
    owed = {
        (ob.enterprise, ob.deliverable.title_zh)
        for ob in obligations_for(
            [world.bj_enterprise, world.gd_enterprise, world.central], now=at(2026, 5, 1, 9, 0)
        )
        if ob.deliverable == h1
    }
    assert owed == {(world.bj_enterprise, h1.title_zh)}
    # Four deliverables for Beijing's enterprise (plan, annual summary, its H1, assessment),
    # three for the others.
    counts = status_counts(
        obligations_for(filing_enterprises(Enterprise.objects.all()), now=at(2026, 5, 1, 9, 0))
    )
    assert sum(counts[h1.pk].values()) == 1
    assert sum(counts[campaign_wide.pk].values()) == 4


@pytest.mark.django_db
def test_the_start_page_lists_it_for_that_authoritys_enterprise_only(
    world: World, client_for: Any
) -> None:
    campaign = live_campaign("P1", local_today())
    own = Deliverable.objects.create(
        campaign=campaign,
        stage=campaign.stages.get(kind="implementation"),
        kind="stage_summary",
        title_zh="北京市国资委季度总结P1",
        title_en="Beijing quarterly summary P1",
        due_on=local_today() + dt.timedelta(days=3),
        period_starts_on=dt.date(local_today().year, 1, 1),
        period_ends_on=local_today() + dt.timedelta(days=2),
        authority=world.beijing,
    )
    assert own.title_zh in client_for(world.bj_lead).get(reverse("home")).content.decode()
    html = client_for(world.lead).get(reverse("home")).content.decode()
    assert "总结一P1" in html  # the campaign's own deliverables are there
    assert own.title_zh not in html


@pytest.mark.django_db
def test_outsiders_can_neither_see_nor_start_it(
    world: World, client_for: Any, annual_campaign: Campaign
) -> None:
    h1 = authority_summary(annual_campaign, world.beijing, half=1)
    start = reverse("filings:start", args=[world.central.credit_code, h1.pk])
    lead = client_for(world.lead)  # SASAC's enterprise
    assert lead.post(start).status_code == 404
    assert not Filing.objects.filter(deliverable=h1).exists()
    assert (
        h1.title_zh
        not in lead.get(
            reverse("enterprises:enterprise_detail", args=[world.central.credit_code])
        ).content.decode()
    )
    # Nor its authority: SASAC's lead reviewer sets no deadline, grants no extension for it.
    sasac = client_for(world.sasac_lead_reviewer)
    assert (
        sasac.get(reverse("timeline:authority_deadline_edit", args=["SASAC", h1.pk])).status_code
        == 404
    )
    assert (
        sasac.get(
            reverse("timeline:extension_edit", args=[world.central.credit_code, h1.pk])
        ).status_code
        == 404
    )
    # Beijing's enterprise sees it, and may start it (the summary's own rule, an approved
    # plan first, then applies: a redirect back with that message, not a 404).
    bj = client_for(world.bj_lead)
    page = bj.get(
        reverse("enterprises:enterprise_detail", args=[world.bj_enterprise.credit_code])
    ).content.decode()
    assert h1.title_zh in page
    response = bj.post(reverse("filings:start", args=[world.bj_enterprise.credit_code, h1.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_services_refuse_it_for_outsiders(world: World, annual_campaign: Campaign) -> None:
    from apps.filings.services import NotAllowed, filing_start

    h1 = authority_summary(annual_campaign, world.beijing, half=1)
    with pytest.raises(NotAllowed):
        filing_start(enterprise=world.central, deliverable=h1, actor=world.lead)
    with pytest.raises(ValidationError):
        authority_deadline_set(
            deliverable=h1, authority=world.sasac, due_on=D(2026, 8, 5), actor=world.admin
        )
    with pytest.raises(ValidationError):
        extension_grant(
            deliverable=h1,
            enterprise=world.central,
            due_on=D(2026, 8, 31),
            reason="重组",
            actor=world.admin,
        )
    assert not Filing.objects.filter(deliverable=h1).exists()
