import json
import re

import pytest
from django.urls import reverse

from apps.dashboards.selectors import progress_rows, scoped_enterprises
from apps.enterprises.models import Enterprise
from apps.filings.workflow import State
from apps.timeline.obligations import filing_enterprises, obligations_for, status_counts
from tests.conftest import World
from tests.dashboards.conftest import (
    Dash,
    add_result,
    enterprises,
    extend,
    local_deadline,
    make_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def url(code: str = "SASAC", **params: str) -> str:
    base = reverse("dashboards:authority", args=[code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def row_counts(body: str, deliverable_id: int) -> dict[str, int]:
    """The status cells of one deliverable's row in the progress table."""
    match = re.search(
        rf'data-testid="progress-row" data-deliverable="{deliverable_id}">(.*?)</tr>', body, re.S
    )
    assert match, f"no progress row for {deliverable_id}"
    return {
        status: int(n)
        for status, n in re.findall(r'data-testid="count-(\w+)">(\d+)<', match.group(1))
    }


def mixed_world(world: World, dash: Dash) -> None:
    """SASAC's enterprises in every situation the obligation rules know."""
    u = world.lead
    e = [world.central, world.central_other, *enterprises(world.sasac, 8)]
    make_filing(e[0], dash.plan, State.APPROVED, user=u)
    make_filing(e[1], dash.plan, State.SUBMITTED, user=u)
    make_filing(e[2], dash.plan, State.UNDER_REVIEW, user=u)
    make_filing(e[3], dash.plan, State.RETURNED, user=u)
    make_filing(e[4], dash.plan, State.DRAFT, user=u)  # past due: overdue
    # Amendment in progress: the approved version stays in force.
    amended = make_filing(e[5], dash.plan, State.APPROVED, user=u)
    amended.state = State.DRAFT
    amended.save(update_fields=["state"])
    # e[6]: not started and late; e[7]: not started, extended into the future.
    extend(e[7], dash.plan, 30, by=world.admin)
    # A draft of a future stage summary, and one whose extension ran out already.
    make_filing(e[0], dash.s2, State.DRAFT, user=u)
    make_filing(e[1], dash.s2, State.DRAFT, user=u)
    extend(e[1], dash.s2, -1, by=world.admin)
    extend(e[8], dash.s2, -2, by=world.admin)
    # The authority moved the first summary's deadline into the future for everyone.
    local_deadline(world.sasac, dash.s1, 5, by=world.admin)
    make_filing(e[2], dash.s1, State.DRAFT, user=u)
    # Not counted: an inactive enterprise and a subsidiary (the group files).
    gone = enterprises(world.sasac, 1, is_active=False)[0]
    make_filing(gone, dash.plan, State.SUBMITTED, user=u)
    subsidiary = enterprises(world.sasac, 1, parent=e[0])[0]
    make_filing(subsidiary, dash.plan, State.SUBMITTED, user=u)


def test_progress_counts_follow_the_obligation_rules(world: World, dash: Dash) -> None:
    mixed_world(world, dash)
    deliverables = [dash.plan, dash.s1, dash.s2, dash.s3, dash.assessment]
    ours = {
        row.deliverable.pk: row.counts
        for row in progress_rows(world.sasac, deliverables, scoped_enterprises(world.sasac))
    }
    theirs = status_counts(
        obligations_for(filing_enterprises(Enterprise.objects.filter(authority=world.sasac)))
    )
    assert ours == theirs
    # And the figures are the ones the situations above call for.
    assert ours[dash.plan.pk] == {
        "not_started": 1, "draft": 0, "submitted": 1, "under_review": 1, "returned": 1,
        "approved": 2, "overdue": 4,
    }  # fmt: skip
    assert ours[dash.s1.pk]["draft"] == 1 and ours[dash.s1.pk]["overdue"] == 0
    assert ours[dash.s2.pk]["draft"] == 1 and ours[dash.s2.pk]["overdue"] == 2


def test_page_shows_progress_and_only_its_own_enterprises(
    world: World, dash: Dash, client_for
) -> None:
    mixed_world(world, dash)
    make_filing(world.bj_enterprise, dash.plan, State.APPROVED, user=world.bj_lead)
    response = client_for(world.sasac_reviewer).get(url())
    assert response.status_code == 200
    body = response.content.decode()
    plan = row_counts(body, dash.plan.pk)
    assert plan["approved"] == 2 and plan["overdue"] == 4 and plan["total"] == 10
    # Each count leads to the timeline's list of the enterprises behind it.
    drill = reverse("timeline:authority_obligation_list", args=["SASAC"])
    assert f'{drill}?deliverable={dash.plan.pk}&amp;status=overdue"' in body
    # Beijing's enterprise is counted on Beijing's dashboard only.
    assert world.bj_enterprise.name_zh not in body
    assert world.bj_enterprise.credit_code not in body
    bj = client_for(world.bj_reviewer).get(url("11")).content.decode()
    assert row_counts(bj, dash.plan.pk) == {
        "not_started": 0, "draft": 0, "submitted": 0, "under_review": 0, "returned": 0,
        "approved": 1, "overdue": 0, "total": 1,
    }  # fmt: skip
    assert world.central.credit_code not in bj and world.central.name_zh not in bj


def test_access(world: World, dash: Dash, client_for, client) -> None:
    assert client.get(url()).status_code == 302  # to the login page
    assert client_for(world.sasac_lead_reviewer).get(url()).status_code == 200
    assert client_for(world.admin).get(url("11")).status_code == 200
    # Another authority's reviewer, enterprise users: 404, as for an unknown authority.
    assert client_for(world.bj_reviewer).get(url()).status_code == 404
    assert client_for(world.gd_reviewer).get(url("11")).status_code == 404
    assert client_for(world.lead).get(url()).status_code == 404
    assert client_for(world.editor).get(url()).status_code == 404
    assert client_for(world.sasac_reviewer).get(url("NOPE")).status_code == 404


def test_on_track_rate_per_indicator_counts_current_versions_only(
    world: World, dash: Dash, client_for
) -> None:
    u = world.lead
    one = make_filing(world.central, dash.s1, State.SUBMITTED, user=u, versions=2)
    two = make_filing(world.central_other, dash.s1, State.APPROVED, user=u)
    add_result(one, "total_profit", True)
    add_result(one, "roe", False)
    add_result(one, "custom_a1", True, core=False)
    add_result(two, "total_profit", False)
    add_result(two, "roe", None)  # reported without a verdict: not counted
    add_result(two, "custom_b2", False, core=False)
    add_result(two, "custom_b3", True, core=False)
    # The superseded first version of ``one`` said otherwise: not counted.
    first = one.versions.get(number=1)
    add_result(one, "total_profit", False, version=first)
    add_result(one, "net_profit", True, version=first)
    # Another authority's results: not here.
    bj = make_filing(world.bj_enterprise, dash.s1, State.SUBMITTED, user=world.bj_lead)
    add_result(bj, "total_profit", True)

    body = client_for(world.sasac_reviewer).get(url()).content.decode()
    table = body[body.index('data-testid="indicator-table"') :]
    s1_index = 0  # the reporting deliverables in due order: s1, s2, s3, assessment

    def cells(code: str) -> list[str]:
        row = re.search(rf'data-code="{code}">(.*?)</tr>', table, re.S)
        assert row
        return [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r'<td class="text-center">(.*?)</td>', row.group(1), re.S)
        ]

    assert cells("total_profit")[s1_index] == "1 / 2 (50.0%)"
    assert cells("roe")[s1_index] == "0 / 1 (0.0%)"
    assert cells("net_profit")[s1_index] == "0 / 0"
    assert cells("custom")[s1_index] == "2 / 3 (66.7%)"
    assert 'data-testid="custom-indicators" data-n="3"' in table
    chart = json.loads(
        re.search(
            r'<script id="indicators-data" type="application/json">(.*?)</script>', body, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    s1_dataset = chart["datasets"][s1_index]["data"]
    assert s1_dataset[0] == 50.0  # total profit, the first core indicator


def test_distribution_by_category_and_industry(world: World, dash: Dash, client_for) -> None:
    u = world.lead
    c2 = enterprises(world.sasac, 2, category="commercial_2", industry="D")
    pw = enterprises(world.sasac, 1, category="public_welfare", industry="N")
    for enterprise, verdicts in ((c2[0], [True, True]), (c2[1], [False, True]), (pw[0], [False])):
        filing = make_filing(enterprise, dash.s1, State.SUBMITTED, user=u)
        for code, verdict in zip(("total_profit", "roe"), verdicts, strict=False):
            add_result(filing, code, verdict)
    body = client_for(world.sasac_reviewer).get(url()).content.decode()

    def group_row(table: str, value: str) -> list[str]:
        row = re.search(rf'data-testid="{table}-row" data-value="{value}">(.*?)</tr>', body, re.S)
        assert row, value
        return re.findall(r'<td class="text-end">([^<]*)</td>', row.group(1))

    # world's two SASAC enterprises are commercial I, industry C (the factory's).
    assert group_row("categories", "commercial_1") == ["2", "0", "0", "—"]
    assert group_row("categories", "commercial_2") == ["2", "4", "3", "75.0%"]
    assert group_row("categories", "public_welfare") == ["1", "1", "0", "0.0%"]
    assert group_row("industries", "D") == ["2", "4", "3", "75.0%"]
    assert group_row("industries", "C") == ["2", "0", "0", "—"]
    assert 'data-value="B"' not in body  # sections without enterprises are left out
    # Filtered to one category: the progress table counts only its enterprises.
    filtered = client_for(world.sasac_reviewer).get(url(category="commercial_2")).content.decode()
    assert row_counts(filtered, dash.plan.pk)["total"] == 2
    # That list knows no category: no links from filtered counts.
    assert reverse("timeline:authority_obligation_list", args=["SASAC"]) not in filtered
    assert 'data-value="N"' not in filtered


def test_bad_filter_is_reported_and_ignored(world: World, dash: Dash, client_for) -> None:
    response = client_for(world.sasac_reviewer).get(url(category="nonsense", deliverable="x"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="filter-errors"' in body
    assert row_counts(body, dash.plan.pk)["total"] == 2  # unfiltered


def test_trajectory_of_one_enterprise(world: World, dash: Dash, client_for) -> None:
    u = world.lead
    content = {
        "indicators": {
            "rows": [
                {"id": "total_profit", "code": "total_profit", "core": True,
                 "name_zh": "利润总额", "name_en": "Total profit", "unit": "万元",
                 "direction": "higher", "baseline_year": 2025, "baseline": "100",
                 "targets": {"2026": "110", "2027": "121"}, "benchmark": "200"},
                {"id": "x1", "code": "custom_x1", "core": False, "name_zh": "吨钢利润",
                 "name_en": "Profit per tonne", "unit": "元", "direction": "higher",
                 "baseline_year": 2025, "baseline": "5", "targets": {"2026": "6"},
                 "benchmark": "9"},
            ]
        }
    }  # fmt: skip
    make_filing(world.central, dash.plan, State.APPROVED, user=u, content=content)
    first = make_filing(world.central, dash.s1, State.SUBMITTED, user=u)
    add_result(first, "total_profit", True, year=2026, actual="104.5")
    later = make_filing(world.central, dash.s2, State.SUBMITTED, user=u)
    add_result(later, "total_profit", True, year=2026, actual="112")  # supersedes H1's
    add_result(later, "custom_x1", False, year=2026, actual="5.5", core=False)

    client = client_for(world.sasac_reviewer)
    body = client.get(url(enterprise=world.central.credit_code)).content.decode()
    rows = dict(
        re.findall(r'data-testid="trajectory-row" data-year="(\d+)">(.*?)</tr>', body, re.S)
    )

    def cells(year: str) -> list[str]:
        return re.findall(r'<td class="text-end">([^<]*)</td>', rows[year])

    assert cells("2025") == ["100", "—", "—", "200"]
    assert cells("2026") == ["—", "110", "112", "200"]
    assert cells("2027") == ["—", "121", "—", "200"]
    assert '<canvas data-chart="trajectory-data"' in body
    chart = json.loads(
        re.search(
            r'<script id="trajectory-data" type="application/json">(.*?)</script>', body, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    assert chart["labels"] == ["2025", "2026", "2027"]
    assert [d["data"] for d in chart["datasets"]] == [
        [100.0, None, None], [None, 110.0, 121.0], [None, 112.0, None], [200.0, 200.0, 200.0],
    ]  # fmt: skip
    # The custom indicator is offered and shown on request.
    custom = client.get(
        url(enterprise=world.central.credit_code, indicator="custom_x1")
    ).content.decode()
    assert "吨钢利润" in custom
    rows = dict(
        re.findall(r'data-testid="trajectory-row" data-year="(\d+)">(.*?)</tr>', custom, re.S)
    )
    assert cells("2026") == ["—", "6", "5.50", "9"]


def test_picker_is_scoped_to_the_authority(world: World, dash: Dash, client_for) -> None:
    client = client_for(world.sasac_reviewer)
    body = client.get(url(q="中国测试能源")).content.decode()
    assert f'<option value="{world.central.credit_code}"' in body
    assert f'<option value="{world.central_other.credit_code}"' not in body
    # Another authority's enterprise: 404, even for an administrator on this page.
    assert client.get(url(enterprise=world.bj_enterprise.credit_code)).status_code == 404
    admin = client_for(world.admin)
    assert admin.get(url(enterprise=world.bj_enterprise.credit_code)).status_code == 404
    assert admin.get(url("11", enterprise=world.bj_enterprise.credit_code)).status_code == 200
    assert client.get(url(enterprise="NOT-A-CODE")).status_code == 404


def test_without_an_active_campaign(world: World, client_for) -> None:
    from apps.timeline.models import Campaign

    Campaign.objects.update(is_active=False)
    client = client_for(world.sasac_reviewer)
    body = client.get(url()).content.decode()
    assert 'data-testid="progress-table"' not in body
    assert client.get(url(enterprise=world.central.credit_code)).status_code == 200
    national = client.get(reverse("dashboards:national"))
    assert national.status_code == 200
    assert 'data-testid="national-table"' not in national.content.decode()
