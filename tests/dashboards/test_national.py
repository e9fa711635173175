import csv
import io
import re

import pytest
from django.urls import reverse

from apps.filings.workflow import State
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

URL = "/national/overview/"


def national_row(body: str, code: str) -> dict[str, str]:
    match = re.search(rf'data-testid="national-row" data-authority="{code}">(.*?)</tr>', body, re.S)
    assert match, code
    return {
        key: re.sub(r"<[^>]+>", "", value).strip()
        for key, value in re.findall(r'data-testid="([\w-]+)">(.*?)</td>', match.group(1), re.S)
    }


def populate(world: World, dash: Dash) -> list[str]:
    """Filings of every kind under SASAC, Beijing and Guangdong; returns every enterprise
    name made, none of which may appear on the national pages."""
    u = world.lead
    bj_more = enterprises(world.beijing, 3, name_zh="北京秘密企业有限公司")
    gd_more = enterprises(world.guangdong, 1, name_zh="广东秘密企业有限公司")
    make_filing(world.central, dash.plan, State.APPROVED, user=u)
    make_filing(world.central_other, dash.plan, State.DRAFT, user=u)  # never counted
    make_filing(world.bj_enterprise, dash.plan, State.UNDER_REVIEW, user=u)
    make_filing(bj_more[0], dash.plan, State.APPROVED, user=u)
    make_filing(bj_more[1], dash.plan, State.RETURNED, user=u)
    make_filing(bj_more[2], dash.plan, State.DRAFT, user=u)
    # Guangdong's lead reviewer moved the plan's deadline into the future: nothing overdue.
    local_deadline(world.guangdong, dash.plan, 9, by=world.admin)
    # One Beijing enterprise without a filing has an extension into the future.
    extra = enterprises(world.beijing, 1, name_zh="北京延期企业有限公司")[0]
    extend(extra, dash.plan, 3, by=world.admin)
    summary = make_filing(bj_more[0], dash.s1, State.SUBMITTED, user=u)
    add_result(summary, "total_profit", True)
    add_result(summary, "roe", False)
    add_result(summary, "net_profit", True)
    draft_summary = make_filing(world.central, dash.s1, State.SUBMITTED, user=u)
    add_result(draft_summary, "total_profit", False)
    return [
        e.name_zh
        for e in [world.central, world.central_other, world.bj_enterprise,
                  world.gd_enterprise, *bj_more, *gd_more, extra]
    ]  # fmt: skip


def test_counts_per_authority_without_drafts(world: World, dash: Dash, client_for) -> None:
    populate(world, dash)
    body = client_for(world.sasac_reviewer).get(URL).content.decode()
    assert national_row(body, "SASAC") == {
        "enterprises": "2", "submitted": "1", "approved": "1", "not-submitted": "1",
        "overdue": "1", "rate": "0.0% (0/1)",
    }  # fmt: skip
    assert national_row(body, "11") == {
        "enterprises": "5", "submitted": "3", "approved": "1", "not-submitted": "2",
        "overdue": "1", "rate": "66.7% (2/3)",
    }  # fmt: skip
    assert national_row(body, "44") == {
        "enterprises": "2", "submitted": "0", "approved": "0", "not-submitted": "2",
        "overdue": "0", "rate": "—",
    }  # fmt: skip
    assert national_row(body, "XPCC")["enterprises"] == "0"
    total = re.search(r'data-testid="national-total">(.*?)</tr>', body, re.S)
    assert total
    assert re.findall(r'<td class="text-end">([^<]*)</td>', total.group(1))[:5] == [
        "9", "4", "2", "5", "2",
    ]  # fmt: skip
    # A draft's state never shows: no "draft" column, no draft count.
    assert "national-draft" not in body


def test_no_enterprise_detail_anywhere(world: World, dash: Dash, client_for) -> None:
    names = populate(world, dash)
    client = client_for(world.sasac_lead_reviewer)
    page = client.get(URL).content.decode()
    exports = [
        b"".join(client.get(reverse("dashboards:national_export", args=["csv"]))
                 .streaming_content).decode("utf-8-sig"),  # type: ignore[attr-defined]
        _xlsx_text(client.get(reverse("dashboards:national_export", args=["xlsx"])).content),
    ]  # fmt: skip
    for text in (page, *exports):
        for name in names:
            assert name not in text
        for credit_code in (world.central.credit_code, world.bj_enterprise.credit_code):
            assert credit_code not in text


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return "\n".join(
        ",".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def test_export_has_the_page_figures(world: World, dash: Dash, client_for) -> None:
    populate(world, dash)
    client = client_for(world.admin)
    response = client.get(reverse("dashboards:national_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))  # type: ignore[attr-defined]
    )
    assert len(rows) == 38
    bj = next(r for r in rows if r["authority"] == "11")
    assert (bj["enterprises"], bj["submitted"], bj["approved"], bj["overdue"]) == (
        "5",
        "3",
        "1",
        "1",
    )
    assert bj["on_track_rate_percent"] == "66.7"
    xlsx = client.get(reverse("dashboards:national_export", args=["xlsx"]))
    assert xlsx.status_code == 200
    assert "11,北京市国资委" in _xlsx_text(xlsx.content)
    assert client.get(reverse("dashboards:national_export", args=["pdf"])).status_code == 404


def test_choosing_a_stage_summary(world: World, dash: Dash, client_for) -> None:
    populate(world, dash)
    body = client_for(world.sasac_reviewer).get(f"{URL}?deliverable={dash.s1.pk}").content.decode()
    row = national_row(body, "11")
    assert (row["submitted"], row["rate"]) == ("1", "66.7% (2/3)")
    # The first summary is past due: Beijing's other four have not submitted it.
    assert row["overdue"] == "4"


def test_access(world: World, dash: Dash, client_for, client) -> None:
    assert client.get(URL).status_code == 302
    for user in (world.sasac_reviewer, world.sasac_lead_reviewer, world.admin):
        assert client_for(user).get(URL).status_code == 200, user
    export = reverse("dashboards:national_export", args=["csv"])
    for user in (world.bj_reviewer, world.gd_reviewer, world.lead, world.bj_lead, world.editor):
        assert client_for(user).get(URL).status_code == 404, user
        assert client_for(user).get(export).status_code == 404, user
