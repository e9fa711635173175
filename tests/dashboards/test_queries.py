"""The dashboards cost the same number of queries at a small and a large data size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.enterprises.models import Authority
from apps.filings.workflow import State
from tests.conftest import World
from tests.dashboards.conftest import (
    Dash,
    add_result,
    enterprises,
    extend,
    make_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STATES = [State.APPROVED, State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.DRAFT]
CODES = ["total_profit", "net_profit", "roe", "custom_q"]


def grow(world: World, dash: Dash, authority: Authority, n: int) -> None:
    """``n`` more enterprises with plans and summaries in every state, results, an
    extension: every branch of every query has rows to count."""
    categories = ["commercial_1", "commercial_2", "public_welfare"]
    for i in range(n):
        (enterprise,) = enterprises(
            authority, 1, category=categories[i % 3], industry="CDEFG"[i % 5]
        )
        make_filing(enterprise, dash.plan, STATES[i % len(STATES)], user=world.lead)
        if i % 2:
            summary = make_filing(enterprise, dash.s1, State.SUBMITTED, user=world.lead)
            for j, code in enumerate(CODES):
                add_result(summary, code, (i + j) % 3 != 0, core=not code.startswith("custom"))
        if i % 5 == 0:
            extend(enterprise, dash.s2, 0, by=world.admin)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


def urls(world: World) -> list[str]:
    dashboard = reverse("dashboards:authority", args=["SASAC"])
    return [
        dashboard,
        f"{dashboard}?enterprise={world.central.credit_code}&q=测试",
        f"{dashboard}?category=commercial_1&industry=C",
        *(
            reverse("dashboards:authority_export", args=["SASAC", table, fmt])
            for table in ("progress", "indicators", "categories", "industries")
            for fmt in ("csv", "xlsx")
        ),
        reverse("dashboards:national"),
        reverse("dashboards:national_export", args=["csv"]),
        reverse("dashboards:national_export", args=["xlsx"]),
    ]


def test_same_queries_at_two_sizes(world: World, dash: Dash, client_for) -> None:
    client = client_for(world.sasac_lead_reviewer)
    grow(world, dash, world.sasac, 2)
    grow(world, dash, world.beijing, 1)
    make_filing(world.central, dash.plan, State.APPROVED, user=world.lead)
    for url in urls(world):
        client.get(url)  # warm the per-user navigation cache
    small = {url: queries(client, url) for url in urls(world)}
    grow(world, dash, world.sasac, 40)
    grow(world, dash, world.beijing, 15)
    grow(world, dash, world.guangdong, 10)
    large = {url: queries(client, url) for url in urls(world)}
    assert small == large
    # And few: a dozen or so for the whole dashboard.
    assert max(small.values()) <= 20, small
