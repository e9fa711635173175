"""An authority's own deliverable, wherever deliverables are listed or counted outside the
obligations: the dashboards (expected counts per deliverable and authority), the packets
page and the review queue's filter. One rule: ``Deliverable.objects.for_authority``."""

import datetime as dt
from typing import Any

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse

from apps.dashboards.selectors import (
    active_deliverables,
    national_rows,
    progress_rows,
    scoped_enterprises,
)
from apps.packets.selectors import authority_deliverables, get_authority_deliverable
from apps.reviews.queue import QueueFilter, queue_filings
from apps.timeline.models import Campaign, Deliverable
from tests.conftest import World
from tests.timeline.fixtures import authority_summary

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def bj_h1(world: World, annual_campaign: Campaign) -> Deliverable:
    return authority_summary(annual_campaign, world.beijing, half=1)


def test_dashboard_deliverables_and_counts(world: World, bj_h1: Deliverable) -> None:
    assert bj_h1 in active_deliverables(world.beijing)
    assert bj_h1 not in active_deliverables(world.guangdong)
    assert bj_h1 in active_deliverables()  # the national overview lists every one
    today = D(2026, 8, 3)
    bj_rows = progress_rows(world.beijing, [bj_h1], scoped_enterprises(world.beijing), today=today)
    assert [(r.deliverable, r.total, r.counts["overdue"]) for r in bj_rows] == [(bj_h1, 1, 1)]
    # Guangdong's enterprises do not owe it: no row, not "1 not started".
    assert progress_rows(world.guangdong, [bj_h1], scoped_enterprises(world.guangdong)) == []
    expected = {
        row.authority.code: row.enterprises for row in national_rows(bj_h1, [], today=today)
    }
    assert expected["11"] == 1
    assert expected["44"] == 0 and expected["SASAC"] == 0
    overdue = {row.authority.code: row.overdue for row in national_rows(bj_h1, [], today=today)}
    assert (overdue["11"], overdue["44"], overdue["SASAC"]) == (1, 0, 0)
    plan = bj_h1.campaign.deliverables.get(kind="plan")
    everyone = {row.authority.code: row.enterprises for row in national_rows(plan, [], today=today)}
    assert (everyone["11"], everyone["44"], everyone["SASAC"]) == (1, 1, 2)


def test_the_authority_dashboards(world: World, client_for: Any, bj_h1: Deliverable) -> None:
    bj = client_for(world.bj_reviewer).get(reverse("dashboards:authority", args=["11"]))
    assert bj_h1.title_zh in bj.content.decode()
    gd = client_for(world.gd_reviewer).get(reverse("dashboards:authority", args=["44"]))
    assert gd.status_code == 200
    assert bj_h1.title_zh not in gd.content.decode()
    # Asked for by its id, it is no choice on Guangdong's dashboard.
    gd = client_for(world.gd_reviewer).get(
        reverse("dashboards:authority", args=["44"]), {"deliverable": bj_h1.pk}
    )
    assert bj_h1.title_zh not in gd.content.decode()


def test_packets_and_the_review_queue(world: World, bj_h1: Deliverable) -> None:
    assert bj_h1 in authority_deliverables(world.beijing)
    assert bj_h1 not in authority_deliverables(world.guangdong)
    assert get_authority_deliverable(bj_h1.pk, world.beijing) == bj_h1
    with pytest.raises(Http404):
        get_authority_deliverable(bj_h1.pk, world.guangdong)

    def choices(authority: Any) -> set[int]:
        queue = QueueFilter(QueryDict(), queryset=queue_filings(authority), authority=authority)
        return {d.pk for d in queue.form.fields["deliverable"].queryset}

    assert bj_h1.pk in choices(world.beijing)
    assert bj_h1.pk not in choices(world.guangdong)
    assert bj_h1.campaign.deliverables.get(kind="plan").pk in choices(world.guangdong)
